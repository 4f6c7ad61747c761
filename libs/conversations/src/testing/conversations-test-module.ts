import { Test } from '@nestjs/testing';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { ConversationWriter } from '../application/conversation-writer';
import { CONVERSATION_HANDLERS } from '../application/handlers';
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
      ...CONVERSATION_HANDLERS,
    ],
  }).compile();
  await moduleRef.init();
  return { store, clock, commands: moduleRef.get(CommandBus), queries: moduleRef.get(QueryBus), close: () => moduleRef.close() };
}
