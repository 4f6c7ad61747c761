import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RecordedEvent } from '../../../domain/conversation';
import { ConversationNotFoundError } from '../../../domain/conversation.errors';
import { CLOCK, Clock } from '../../../conversations.options';
import { seatOf } from '../../access';
import { ConversationWriter } from '../../conversation-writer';
import { toMessageView } from '../../views';
import { AddMessageCommand, AddMessageResult } from './add-message.command';

@CommandHandler(AddMessageCommand)
export class AddMessageHandler implements ICommandHandler<AddMessageCommand, AddMessageResult> {
  constructor(
    private readonly writer: ConversationWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ conversationId, author, message }: AddMessageCommand): Promise<AddMessageResult> {
    const { event, duplicate, conversation: after } = await this.writer.write(conversationId, (conversation) => {
      const seat = author.kind === 'actor' ? seatOf(conversation, author.actor) : conversation.participantById(author.participantId);
      if (!seat) throw new ConversationNotFoundError();
      return conversation.addMessage(seat, message, this.clock.now());
    });
    return { message: toMessageView(event as RecordedEvent<'MessageAdded'>), conversation: after.snapshot(), duplicate };
  }
}
