import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Conversation } from '../../../domain/conversation';
import { ConversationNotFoundError } from '../../../domain/conversation.errors';
import { CONVERSATION_STORE, ConversationStore } from '../../../domain/conversation-store.port';
import { assertCanRead } from '../../access';
import { decodeCursor, encodeCursor, pageSize } from '../../cursor';
import { MessageView, Page, toMessageView } from '../../views';
import { ListMessagesQuery } from './list-messages.query';

@QueryHandler(ListMessagesQuery)
export class ListMessagesHandler implements IQueryHandler<ListMessagesQuery, Page<MessageView>> {
  constructor(@Inject(CONVERSATION_STORE) private readonly store: ConversationStore) {}

  async execute({ conversationId, requester, first, after }: ListMessagesQuery): Promise<Page<MessageView>> {
    const size = pageSize(first, 50);
    const state = await this.store.load(conversationId);
    if (!state) throw new ConversationNotFoundError();
    assertCanRead(Conversation.fromState(state), requester);
    const afterSeq = after ? decodeCursor<{ s: number }>(after, { s: 'number' }).s : 0;
    const rows = await this.store.listMessages(conversationId, afterSeq, size + 1);
    const items = rows.slice(0, size).map(toMessageView);
    const last = items.at(-1);
    return { items, hasNextPage: rows.length > size, endCursor: last ? messageCursor(last) : null };
  }
}

export function messageCursor(message: MessageView): string {
  return encodeCursor({ s: message.seq });
}
