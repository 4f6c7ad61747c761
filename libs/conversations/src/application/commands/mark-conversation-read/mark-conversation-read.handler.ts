import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ConversationState } from '../../../domain/conversation';
import { CLOCK, Clock } from '../../../conversations.options';
import { seatOf } from '../../access';
import { ConversationWriter } from '../../conversation-writer';
import { MarkConversationReadCommand } from './mark-conversation-read.command';

@CommandHandler(MarkConversationReadCommand)
export class MarkConversationReadHandler implements ICommandHandler<MarkConversationReadCommand, ConversationState> {
  constructor(
    private readonly writer: ConversationWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ conversationId, actor }: MarkConversationReadCommand): Promise<ConversationState> {
    const { conversation } = await this.writer.write(conversationId, (c) => c.markRead(seatOf(c, actor), this.clock.now()));
    return conversation.snapshot();
  }
}
