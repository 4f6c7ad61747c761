import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PublishConversationChangesCommand } from '../../application/sagas/publish-conversation-changes.command';
import { ConversationEventsPublisher } from './conversation-events-publisher';

@CommandHandler(PublishConversationChangesCommand)
export class PublishConversationChangesHandler implements ICommandHandler<PublishConversationChangesCommand, void> {
  constructor(private readonly publisher: ConversationEventsPublisher) {}

  async execute(): Promise<void> {
    this.publisher.notify();
  }
}
