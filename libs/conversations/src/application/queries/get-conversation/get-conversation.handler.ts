import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Conversation, ConversationState } from '../../../domain/conversation';
import { ConversationNotFoundError } from '../../../domain/conversation.errors';
import { CONVERSATION_STORE, ConversationStore } from '../../../domain/conversation-store.port';
import { assertCanRead } from '../../access';
import { GetConversationQuery } from './get-conversation.query';

@QueryHandler(GetConversationQuery)
export class GetConversationHandler implements IQueryHandler<GetConversationQuery, ConversationState> {
  constructor(@Inject(CONVERSATION_STORE) private readonly store: ConversationStore) {}

  async execute({ conversationId, requester }: GetConversationQuery): Promise<ConversationState> {
    const state = await this.store.load(conversationId);
    if (!state) throw new ConversationNotFoundError();
    assertCanRead(Conversation.fromState(state), requester);
    return state;
  }
}
