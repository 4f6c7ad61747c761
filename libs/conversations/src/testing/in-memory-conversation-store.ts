import { aliasChangesOf } from '../domain/alias/alias-records';
import { Actor, Conversation, ConversationState, PendingEvent, RecordedEvent } from '../domain/conversation';
import { AliasRecord, AppendOutcome, ConversationPageCursor, ConversationStore } from '../domain/conversation-store.port';

/** The store port in memory, with the same uniqueness rules as MongoDB's indexes. For unit tests. */
export class InMemoryConversationStore implements ConversationStore {
  readonly log = new Map<string, RecordedEvent[]>();
  private readonly states = new Map<string, ConversationState>();
  private readonly aliases = new Map<string, AliasRecord>();

  async load(conversationId: string): Promise<ConversationState | null> {
    return this.states.get(conversationId) ?? null;
  }

  async append(conversationId: string, current: ConversationState | null, pending: PendingEvent): Promise<AppendOutcome> {
    const expectedVersion = current?.version ?? 0;
    const log = this.log.get(conversationId) ?? [];
    const duplicate = log.find((e) => e.idempotencyKey === pending.idempotencyKey);
    if (duplicate) return { status: 'duplicate', event: duplicate };
    if (log.length !== expectedVersion) return { status: 'conflict' };
    const event: RecordedEvent = { ...pending, conversationId, seq: expectedVersion + 1 };
    this.log.set(conversationId, [...log, event]);
    this.states.set(conversationId, Conversation.apply(this.states.get(conversationId) ?? null, event));
    const { upserts, revoked } = aliasChangesOf(event);
    for (const alias of upserts) this.aliases.set(alias.token, alias);
    for (const token of revoked) this.aliases.set(token, { ...this.aliases.get(token)!, revoked: true });
    return { status: 'appended', event };
  }

  async catchUp(conversationId: string): Promise<ConversationState | null> {
    return this.load(conversationId);
  }

  async listMessages(conversationId: string, afterSeq: number, limit: number): Promise<RecordedEvent<'MessageAdded'>[]> {
    return (this.log.get(conversationId) ?? [])
      .filter((e): e is RecordedEvent<'MessageAdded'> => e.type === 'MessageAdded' && e.seq > afterSeq)
      .slice(0, limit);
  }

  async listConversations(actor: Actor, after: ConversationPageCursor | null, limit: number): Promise<ConversationState[]> {
    return [...this.states.values()]
      .filter((s) => Conversation.fromState(s).participantFor(actor))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .filter((s) => !after || s.createdAt < after.createdAt || (s.createdAt === after.createdAt && s.id < after.id))
      .slice(0, limit);
  }

  async findAliasByToken(token: string): Promise<AliasRecord | null> {
    return this.aliases.get(token) ?? null;
  }
}
