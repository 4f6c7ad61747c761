import { Command } from '@nestjs/cqrs';

/** Ask the change publisher to run now. */
export class PublishConversationChangesCommand extends Command<void> {
  constructor(readonly conversationId: string) {
    super();
  }
}
