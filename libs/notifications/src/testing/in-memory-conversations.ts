import { randomUUID } from 'node:crypto';
import type { QueryBus } from '@nestjs/cqrs';
import { CONVERSATION_EVENT_VERSION, ConversationEvent, ConversationEventType } from '@libs/contracts';
import {
  Actor,
  Conversation,
  ConversationNotFoundError,
  ConversationState,
  GetConversationQuery,
  NewParticipant,
  ParticipantState,
  PendingEvent,
  RecordedEvent,
  assertCanRead,
} from '@libs/conversations';
import { clone } from './clone';

export const TEST_ALIAS_DOMAIN = 'relay.example.com';

/**
 * Conversations as the notifier sees them: a log of real domain events (the Conversation aggregate
 * decides and folds them), the `conversation.events` messages they become, and a QueryBus stand-in
 * answering GetConversationQuery with the real rules (unknown or not a participant: not found;
 * participants found by account, else by address). The read model can be made to trail the log.
 */
export class InMemoryConversations {
  /** Every state of each conversation: [0] after its first event, [v - 1] at version v. */
  private readonly versions = new Map<string, ConversationState[]>();
  /** Conversations whose read model answers at an older version. */
  private readonly trailing = new Map<string, number>();
  /** Every GetConversationQuery asked, for assertions. */
  readonly asked: GetConversationQuery[] = [];

  /** Use where a handler wants a QueryBus. */
  readonly queries = {
    execute: async (query: unknown): Promise<ConversationState> => {
      if (!(query instanceof GetConversationQuery)) throw new Error(`InMemoryConversations answers GetConversationQuery only, not ${(query as object)?.constructor?.name}`);
      this.asked.push(query);
      const state = this.readModel(query.conversationId);
      if (!state) throw new ConversationNotFoundError();
      assertCanRead(Conversation.fromState(state), query.requester);
      return clone(state);
    },
  } as unknown as QueryBus;

  create(
    input: { subject: string; useCase?: string | null; creator: Actor & { displayName: string }; participants: NewParticipant[] },
    now = new Date(),
  ): ConversationState {
    const id = randomUUID();
    this.record(id, Conversation.create(input, TEST_ALIAS_DOMAIN, now));
    return this.state(id);
  }

  addParticipant(conversationId: string, participant: NewParticipant, now = new Date()): ParticipantState {
    const pending = Conversation.fromState(this.state(conversationId)).addParticipant(participant, null, TEST_ALIAS_DOMAIN, now);
    if (!pending) throw new Error(`${participant.email} is already a participant`);
    this.record(conversationId, pending);
    return this.participant(conversationId, participant.email);
  }

  /** Records a message by `authorId` and returns its `conversation.events` message. */
  addMessage(conversationId: string, authorId: string, body: string, now = new Date()): ConversationEvent<'MessageAdded'> {
    const author = this.participantById(conversationId, authorId);
    const pending = Conversation.fromState(this.state(conversationId)).addMessage(author, { body, source: 'CHAT', idempotencyKey: randomUUID() }, now);
    return this.record(conversationId, pending);
  }

  markRead(conversationId: string, participantId: string, now = new Date()): ConversationEvent<'ConversationRead'> {
    const pending = Conversation.fromState(this.state(conversationId)).markRead(this.participantById(conversationId, participantId), now);
    if (!pending) throw new Error(`${participantId} has nothing unread`);
    return this.record(conversationId, pending);
  }

  /** From now on the read model answers as it was at `version`, until `catchUp`. */
  trailAt(conversationId: string, version: number): void {
    this.trailing.set(conversationId, version);
  }

  catchUp(conversationId: string): void {
    this.trailing.delete(conversationId);
  }

  /** The latest state (the log's, not the read model's). */
  state(conversationId: string): ConversationState {
    const versions = this.versions.get(conversationId);
    if (!versions) throw new Error(`No conversation ${conversationId}`);
    return clone(versions[versions.length - 1]);
  }

  participant(conversationId: string, email: string): ParticipantState {
    const seat = this.state(conversationId).participants.find((p) => p.email === email.toLowerCase());
    if (!seat) throw new Error(`${email} is not in conversation ${conversationId}`);
    return seat;
  }

  private participantById(conversationId: string, participantId: string): ParticipantState {
    const seat = this.state(conversationId).participants.find((p) => p.id === participantId);
    if (!seat) throw new Error(`${participantId} is not in conversation ${conversationId}`);
    return seat;
  }

  private readModel(conversationId: string): ConversationState | null {
    const versions = this.versions.get(conversationId);
    if (!versions) return null;
    const at = this.trailing.get(conversationId);
    return at === undefined ? versions[versions.length - 1] : (versions[at - 1] ?? null);
  }

  private record<T extends ConversationEventType>(conversationId: string, pending: PendingEvent<T>): ConversationEvent<T> {
    const versions = this.versions.get(conversationId) ?? [];
    const recorded: RecordedEvent<T> = { ...pending, conversationId, seq: versions.length + 1 };
    versions.push(Conversation.apply(versions[versions.length - 1] ?? null, recorded as RecordedEvent));
    this.versions.set(conversationId, versions);
    return {
      id: randomUUID(),
      type: pending.type,
      version: CONVERSATION_EVENT_VERSION,
      occurredAt: pending.occurredAt,
      data: pending.data,
      conversationId,
      seq: recorded.seq,
    } as ConversationEvent<T>;
  }
}
