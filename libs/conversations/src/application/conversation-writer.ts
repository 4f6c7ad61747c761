import { Inject, Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { Conversation, ConversationState, PendingEvent, RecordedEvent } from '../domain/conversation';
import { ConversationNotFoundError, WriteContentionError } from '../domain/conversation.errors';
import { CONVERSATION_STORE, ConversationStore } from '../domain/conversation-store.port';
import { ConversationEventRecorded } from './events/conversation-event-recorded.event';
import { KeyedMutex } from './keyed-mutex';

export interface WriteResult {
  conversation: Conversation;
  event: RecordedEvent | null;
  /** True when the idempotency key was already recorded: `event` is the earlier one. */
  duplicate: boolean;
}

const MAX_ATTEMPTS = 100;

/**
 * The one way to change a conversation: load, let the aggregate decide, append at the next
 * position. Losing the race for a position means another writer changed the conversation first,
 * so the decision is taken again on the new state (optimistic concurrency).
 */
@Injectable()
export class ConversationWriter {
  private readonly queue = new KeyedMutex();

  constructor(
    @Inject(CONVERSATION_STORE) private readonly store: ConversationStore,
    private readonly eventBus: EventBus,
  ) {}

  async create(conversationId: string, created: PendingEvent<'ConversationCreated'>): Promise<WriteResult> {
    const outcome = await this.store.append(conversationId, null, created);
    if (outcome.status === 'conflict') throw new WriteContentionError(conversationId);
    return this.finish(conversationId, null, outcome.event, outcome.status === 'duplicate');
  }

  async write(conversationId: string, decide: (conversation: Conversation) => PendingEvent | null): Promise<WriteResult> {
    return this.queue.run(conversationId, () => this.writeNow(conversationId, decide));
  }

  private async writeNow(conversationId: string, decide: (conversation: Conversation) => PendingEvent | null): Promise<WriteResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const state = await this.store.load(conversationId);
      if (!state) throw new ConversationNotFoundError();
      const conversation = Conversation.fromState(state);
      const pending = decide(conversation);
      if (!pending) return { conversation, event: null, duplicate: false };
      const outcome = await this.store.append(conversationId, state, pending);
      if (outcome.status !== 'conflict') return this.finish(conversationId, state, outcome.event, outcome.status === 'duplicate');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, attempt * 2)));
    }
    throw new WriteContentionError(conversationId);
  }

  private async finish(conversationId: string, before: ConversationState | null, event: RecordedEvent, duplicate: boolean): Promise<WriteResult> {
    if (!duplicate) {
      this.eventBus.publish(new ConversationEventRecorded(event));
      return { conversation: Conversation.fromState(Conversation.apply(before, event)), event, duplicate };
    }
    const state = (await this.store.load(conversationId)) ?? (await this.store.catchUp(conversationId));
    if (!state) throw new ConversationNotFoundError();
    return { conversation: Conversation.fromState(state), event, duplicate };
  }
}
