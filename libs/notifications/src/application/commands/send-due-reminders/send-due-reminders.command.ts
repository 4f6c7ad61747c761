import { Command } from '@nestjs/cqrs';

export interface DueRemindersOutcome {
  /** Stages taken by this instance and sent (on at least one channel, or none allowed). */
  sent: number;
  /** Stages another instance took first, or that moved on meanwhile. */
  skipped: number;
  /** Stages postponed after a transient failure. */
  postponed: number;
}

/** Sends the reminder stages that are due now (by the notifier's clock). */
export class SendDueRemindersCommand extends Command<DueRemindersOutcome> {
  constructor(readonly limit = 100) {
    super();
  }
}
