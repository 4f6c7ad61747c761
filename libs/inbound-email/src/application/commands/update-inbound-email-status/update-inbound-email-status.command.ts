import { Command } from '@nestjs/cqrs';
import { InboundEmailReceivedData } from '@libs/contracts';
import { InboundEmailOutcome, InboundEmailRecord } from '../../../domain/inbound-email';

/**
 * The relay's outcome for an inbound email (processed, ignored, quarantined, bounced, failed),
 * with a short machine-readable reason. The latest outcome wins: an email delivered again for
 * further recipients is processed again.
 *
 * Pass the event's data as `received`: the ingress accepts email while MongoDB is down, so the
 * record may not exist; it is then created from the event instead of the update failing.
 *
 * @throws InboundEmailNotFoundError (only without `received`), InvalidInboundEmailError (INBOUND_INVALID_STATUS)
 */
export class UpdateInboundEmailStatusCommand extends Command<InboundEmailRecord> {
  constructor(
    readonly inboundEmailId: string,
    readonly status: InboundEmailOutcome,
    readonly reason: string | null = null,
    readonly received: InboundEmailReceivedData | null = null,
  ) {
    super();
  }
}
