import { Command } from '@nestjs/cqrs';
import { InboundEmailOutcome, InboundEmailRecord } from '../../../domain/inbound-email';

/**
 * The relay's outcome for an inbound email (processed, ignored, quarantined, bounced, failed),
 * with a short machine-readable reason. The latest outcome wins: an email delivered again for
 * further recipients is processed again.
 *
 * @throws InboundEmailNotFoundError, InvalidInboundEmailError (INBOUND_INVALID_STATUS)
 */
export class UpdateInboundEmailStatusCommand extends Command<InboundEmailRecord> {
  constructor(
    readonly inboundEmailId: string,
    readonly status: InboundEmailOutcome,
    readonly reason: string | null = null,
  ) {
    super();
  }
}
