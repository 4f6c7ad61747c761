import { Command } from '@nestjs/cqrs';
import { ConversationEvent } from '@libs/contracts';

export interface ConversationEventOutcome {
  deliveries: { sent: number; failed: number; alreadyDone: number };
  remindersCancelled: number;
}

/** One event of `conversation.events`, as the notifier sees it: fan-out, reminders. */
export class HandleConversationEventCommand extends Command<ConversationEventOutcome> {
  constructor(readonly event: ConversationEvent) {
    super();
  }
}
