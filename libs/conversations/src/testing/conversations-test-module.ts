import { Test } from '@nestjs/testing';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { AddMessageHandler } from '../application/commands/add-message/add-message.handler';
import { AddParticipantHandler } from '../application/commands/add-participant/add-participant.handler';
import { CreateConversationHandler } from '../application/commands/create-conversation/create-conversation.handler';
import { MarkConversationReadHandler } from '../application/commands/mark-conversation-read/mark-conversation-read.handler';
import { RevokeAliasHandler } from '../application/commands/revoke-alias/revoke-alias.handler';
import { ConversationWriter } from '../application/conversation-writer';
import { GetConversationHandler } from '../application/queries/get-conversation/get-conversation.handler';
import { ListConversationsHandler } from '../application/queries/list-conversations/list-conversations.handler';
import { ListMessagesHandler } from '../application/queries/list-messages/list-messages.handler';
import { ResolveAliasHandler } from '../application/queries/resolve-alias/resolve-alias.handler';
import { CLOCK, CONVERSATIONS_OPTIONS, Clock } from '../conversations.options';
import { ACCOUNT_LOOKUP } from '../domain/account-lookup.port';
import { CONVERSATION_STORE } from '../domain/conversation-store.port';
import { InMemoryConversationStore } from './in-memory-conversation-store';

export class MovableClock implements Clock {
  constructor(private current = new Date('2026-01-01T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Command and query buses over the in-memory store, for handler specs. */
export async function conversationsTestBed(accounts: Record<string, string> = {}) {
  const store = new InMemoryConversationStore();
  const clock = new MovableClock();
  const moduleRef = await Test.createTestingModule({
    imports: [CqrsModule.forRoot()],
    providers: [
      { provide: CONVERSATION_STORE, useValue: store },
      { provide: CONVERSATIONS_OPTIONS, useValue: { aliasDomain: 'relay.example.com', legacyAliasDomains: ['legacy.example.com'] } },
      { provide: CLOCK, useValue: clock },
      { provide: ACCOUNT_LOOKUP, useValue: { accountIdForEmail: async (email: string) => accounts[email] ?? null } },
      ConversationWriter,
      CreateConversationHandler,
      AddParticipantHandler,
      AddMessageHandler,
      MarkConversationReadHandler,
      RevokeAliasHandler,
      GetConversationHandler,
      ListConversationsHandler,
      ListMessagesHandler,
      ResolveAliasHandler,
    ],
  }).compile();
  await moduleRef.init();
  return { store, clock, commands: moduleRef.get(CommandBus), queries: moduleRef.get(QueryBus), close: () => moduleRef.close() };
}
