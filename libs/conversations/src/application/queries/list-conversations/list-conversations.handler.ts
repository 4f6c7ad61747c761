import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ConversationState } from '../../../domain/conversation';
import { CONVERSATION_STORE, ConversationStore } from '../../../domain/conversation-store.port';
import { decodeCursor, encodeCursor, pageSize } from '../../cursor';
import { Page } from '../../views';
import { ListConversationsQuery } from './list-conversations.query';

@QueryHandler(ListConversationsQuery)
export class ListConversationsHandler implements IQueryHandler<ListConversationsQuery, Page<ConversationState>> {
  constructor(@Inject(CONVERSATION_STORE) private readonly store: ConversationStore) {}

  async execute({ actor, first, after }: ListConversationsQuery): Promise<Page<ConversationState>> {
    const size = pageSize(first);
    const cursor = after ? decodeCursor<{ c: string; i: string }>(after, { c: 'string', i: 'string' }) : null;
    const rows = await this.store.listConversations(actor, cursor && { createdAt: cursor.c, id: cursor.i }, size + 1);
    const items = rows.slice(0, size);
    const last = items.at(-1);
    return { items, hasNextPage: rows.length > size, endCursor: last ? conversationCursor(last) : null };
  }
}

export function conversationCursor(state: ConversationState): string {
  return encodeCursor({ c: state.createdAt, i: state.id });
}
