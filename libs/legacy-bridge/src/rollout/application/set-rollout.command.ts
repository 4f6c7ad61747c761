import { Command } from '@nestjs/cqrs';
import { Rollout, RolloutInput } from '../rollout';

/**
 * Sets a use case's rollout (admin / operator). Validated by the handler (DomainError, category
 * Invalid); live in this process at once, in every other within ROLLOUT_REFRESH_MS.
 * Rolling back is setting mode LEGACY_ONLY.
 */
export class SetRolloutCommand extends Command<Rollout> {
  constructor(
    readonly input: RolloutInput,
    /** Who asks (an admin's email); recorded as `updatedBy` and logged. */
    readonly actor: string | null,
  ) {
    super();
  }
}
