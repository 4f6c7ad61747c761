import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Rollout, createRollout, describeRollout } from '../rollout';
import { ROLLOUT_STORE, RolloutStore } from '../rollout-store.port';
import { RolloutRegistry } from '../rollout.registry';
import { SetRolloutCommand } from './set-rollout.command';

@CommandHandler(SetRolloutCommand)
export class SetRolloutHandler implements ICommandHandler<SetRolloutCommand, Rollout> {
  private readonly logger = new Logger(SetRolloutHandler.name);

  constructor(
    @Inject(ROLLOUT_STORE) private readonly store: RolloutStore,
    private readonly registry: RolloutRegistry,
  ) {}

  async execute(command: SetRolloutCommand): Promise<Rollout> {
    const rollout = createRollout(command.input, command.actor);
    // Only for the log line: a failed read must not stop a rollback.
    const previous = await this.store.get(rollout.useCase).catch(() => undefined);
    const saved = await this.store.save(rollout);
    this.registry.remember(saved);
    void this.registry.refresh();
    this.logger.log(
      `Rollout ${saved.useCase} set by ${saved.updatedBy ?? 'an unknown actor'}: ${previous === undefined ? '(unknown)' : describeRollout(previous)} → ${describeRollout(saved)}`,
    );
    return saved;
  }
}
