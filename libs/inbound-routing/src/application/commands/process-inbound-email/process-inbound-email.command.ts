import { Command } from '@nestjs/cqrs';
import { InboundEmailReceivedData } from '@libs/contracts';

export type InboundOutcome =
  /** `bounced`: recipients refused on the way (each answered by at most one bounce an hour). */
  | { status: 'processed'; messageIds: string[]; bounced: string[]; legacy: number }
  | { status: 'ignored'; reason: string }
  | { status: 'quarantined'; reason: string }
  /** Refused for these reasons; a bounce went out unless the sender had one this hour already. */
  | { status: 'bounced'; reasons: string[] };

/** Decide what one received email becomes: messages, a hand-over, a bounce, or nothing. */
export class ProcessInboundEmailCommand extends Command<InboundOutcome> {
  constructor(readonly email: InboundEmailReceivedData) {
    super();
  }
}
