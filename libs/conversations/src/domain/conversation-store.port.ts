import { Actor, ConversationState, PendingEvent, RecordedEvent } from './conversation';

export type AppendOutcome =
  | { status: 'appended'; event: RecordedEvent }
  /** The same idempotency key was recorded before: this is that event. */
  | { status: 'duplicate'; event: RecordedEvent }
  /** Another writer took the next position first: reload and decide again. */
  | { status: 'conflict' };

export interface AliasRecord {
  address: string;
  token: string;
  conversationId: string;
  participantId: string;
  revoked: boolean;
}

export interface ConversationPageCursor {
  createdAt: string;
  id: string;
}

/**
 * The conversation log and its read models. Every change is one event appended at position
 * `expectedVersion + 1`; the position and the idempotency key are both unique per conversation,
 * so concurrent writers in any number of processes can neither interleave nor duplicate.
 */
export interface ConversationStore {
  load(conversationId: string): Promise<ConversationState | null>;
  /** `current` is the state the decision was taken on (at `expectedVersion`), to project from. */
  append(conversationId: string, current: ConversationState | null, event: PendingEvent): Promise<AppendOutcome>;
  /** Brings the read models up to the log (after a crash between the two writes). */
  catchUp(conversationId: string): Promise<ConversationState | null>;
  listMessages(conversationId: string, afterSeq: number, limit: number): Promise<RecordedEvent<'MessageAdded'>[]>;
  listConversations(actor: Actor, after: ConversationPageCursor | null, limit: number): Promise<ConversationState[]>;
  findAliasByToken(token: string): Promise<AliasRecord | null>;
}

export const CONVERSATION_STORE = Symbol('CONVERSATION_STORE');
