import { Command } from '@nestjs/cqrs';
import { Actor, ConversationState } from '../../../domain/conversation';

export class MarkConversationReadCommand extends Command<ConversationState> {
  constructor(
    readonly conversationId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
