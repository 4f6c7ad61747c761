import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ConversationEventType } from '@libs/contracts';
import { currentTraceId } from '@libs/observability';
import { aliasChangesOf } from '../../domain/alias/alias-records';
import { Actor, Conversation, ConversationState, PendingEvent, RecordedEvent } from '../../domain/conversation';
import { AliasRecord, AppendOutcome, ConversationPageCursor, ConversationStore } from '../../domain/conversation-store.port';
import {
  ALIAS_MODEL,
  AliasDocument,
  CONVERSATION_EVENT_MODEL,
  CONVERSATION_MODEL,
  CONVERSATION_OUTBOX_MODEL,
  ConversationDocument,
  ConversationEventDocument,
  ConversationOutboxDocument,
} from './conversation.schemas';

const DUPLICATE_KEY = 11000;
const RECENT_KEYS = 20_000;

/** The trace in which an event is written travels with it to `conversation.events`. */
function metadataOf(traceId: string | undefined): Pick<ConversationEventDocument, 'metadata'> {
  return traceId ? { metadata: { traceId } } : {};
}

/** How many log positions a catch-up asks for at once. */
const CATCH_UP_WINDOW = 16;

export function eventId(conversationId: string, seq: number): string {
  return `${conversationId}:${String(seq).padStart(10, '0')}`;
}

@Injectable()
export class MongoConversationStore implements ConversationStore, OnModuleInit {
  /** Idempotency keys recorded by this process, so a retry is answered without a query. */
  private readonly recent = new Map<string, RecordedEvent>();

  constructor(
    @InjectModel(CONVERSATION_EVENT_MODEL) private readonly events: Model<ConversationEventDocument>,
    @InjectModel(CONVERSATION_OUTBOX_MODEL) private readonly outbox: Model<ConversationOutboxDocument>,
    @InjectModel(CONVERSATION_MODEL) private readonly conversations: Model<ConversationDocument>,
    @InjectModel(ALIAS_MODEL) private readonly aliases: Model<AliasDocument>,
  ) {}

  /** The unique indexes are what make duplicates impossible: they must exist before any write. */
  async onModuleInit(): Promise<void> {
    await Promise.all([this.events.createIndexes(), this.conversations.createIndexes(), this.aliases.createIndexes(), this.outbox.createIndexes()]);
  }

  async load(conversationId: string): Promise<ConversationState | null> {
    const doc = await this.conversations.findById(conversationId).lean<ConversationDocument>().exec();
    return doc ? toState(doc) : null;
  }

  async append(conversationId: string, current: ConversationState | null, pending: PendingEvent): Promise<AppendOutcome> {
    const remembered = this.recent.get(`${conversationId}\u0000${pending.idempotencyKey}`);
    if (remembered) return { status: 'duplicate', event: remembered };
    const event: RecordedEvent = { ...pending, conversationId, seq: (current?.version ?? 0) + 1 };
    const id = eventId(conversationId, event.seq);
    // Outbox first: if this process dies right after the event insert, the entry is already there.
    await this.outbox
      .updateOne({ _id: id }, { $setOnInsert: { conversationId, seq: event.seq, createdAt: new Date() } }, { upsert: true })
      .exec();
    try {
      await this.events.create({
        _id: id,
        conversationId,
        seq: event.seq,
        type: event.type,
        data: event.data,
        idempotencyKey: event.idempotencyKey,
        occurredAt: new Date(event.occurredAt),
        ...metadataOf(currentTraceId()),
      });
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      const duplicate = await this.duplicateOf(error, id, conversationId, pending.idempotencyKey);
      if (duplicate) return { status: 'duplicate', event: this.remember(duplicate) };
      // The position is taken: the read model may be behind the log (a writer died between its
      // two writes), so bring it up before the caller decides again.
      await this.catchUp(conversationId);
      return { status: 'conflict' };
    }
    this.remember(event);
    await this.project(current, event);
    return { status: 'appended', event };
  }

  /**
   * After a duplicate-key error: the earlier event with this idempotency key, or null when the
   * position was taken by a different change. MongoDB names the index in `keyPattern`; servers
   * that do not are answered by looking at the position itself (a primary-key read).
   */
  private async duplicateOf(error: unknown, id: string, conversationId: string, idempotencyKey: string): Promise<RecordedEvent | null> {
    const keyPattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern;
    if (keyPattern && '_id' in keyPattern) return null;
    if (!keyPattern) {
      const atPosition = await this.events.findById(id).lean<ConversationEventDocument>().exec();
      if (atPosition) return atPosition.idempotencyKey === idempotencyKey ? toRecorded(atPosition) : null;
    }
    const existing = await this.events.findOne({ conversationId, idempotencyKey }).lean<ConversationEventDocument>().exec();
    return existing ? toRecorded(existing) : null;
  }

  private remember(event: RecordedEvent): RecordedEvent {
    this.recent.set(`${event.conversationId}\u0000${event.idempotencyKey}`, event);
    if (this.recent.size > RECENT_KEYS) this.recent.delete(this.recent.keys().next().value as string);
    return event;
  }

  async catchUp(conversationId: string): Promise<ConversationState | null> {
    const current = await this.load(conversationId);
    const missing = await this.eventsAfter(conversationId, current?.version ?? 0);
    if (missing.length === 0) return current;
    let state = current;
    for (const doc of missing) {
      const event = toRecorded(doc);
      await this.applyAliases(event);
      state = Conversation.apply(state, event);
    }
    await this.saveState(state!, current?.version ?? 0);
    return (await this.load(conversationId)) ?? state;
  }

  /**
   * The log after `version`, read by primary key: positions are dense, so the next ones are
   * `<conversationId>:<version + 1>`, `+ 2`, ... until one is missing. Usually that is one or two
   * events (a reader that saw an event before its projection), read in one `_id $in` query.
   */
  private async eventsAfter(conversationId: string, version: number): Promise<ConversationEventDocument[]> {
    const found: ConversationEventDocument[] = [];
    for (let from = version + 1; ; from += CATCH_UP_WINDOW) {
      const ids = Array.from({ length: CATCH_UP_WINDOW }, (_, i) => eventId(conversationId, from + i));
      const docs = await this.events.find({ _id: { $in: ids } }).lean<ConversationEventDocument[]>().exec();
      const bySeq = new Map(docs.map((doc) => [doc.seq, doc]));
      for (let seq = from; seq < from + CATCH_UP_WINDOW; seq++) {
        const doc = bySeq.get(seq);
        if (!doc) return found;
        found.push(doc);
      }
    }
  }

  async listMessages(conversationId: string, afterSeq: number, limit: number): Promise<RecordedEvent<'MessageAdded'>[]> {
    const docs = await this.events
      .find({ conversationId, type: 'MessageAdded', seq: { $gt: afterSeq } })
      .sort({ seq: 1 })
      .limit(limit)
      .lean<ConversationEventDocument[]>()
      .exec();
    return docs.map((doc) => toRecorded(doc) as RecordedEvent<'MessageAdded'>);
  }

  async listConversations(actor: Actor, after: ConversationPageCursor | null, limit: number): Promise<ConversationState[]> {
    const member = actor.accountId
      ? { $or: [{ 'participants.accountId': actor.accountId }, { 'participants.email': actor.email.toLowerCase() }] }
      : { 'participants.email': actor.email.toLowerCase() };
    const page = after
      ? { $or: [{ createdAt: { $lt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), _id: { $lt: after.id } }] }
      : {};
    const docs = await this.conversations
      .find({ $and: [member, page] })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<ConversationDocument[]>()
      .exec();
    return docs.map(toState);
  }

  async findAliasByToken(token: string): Promise<AliasRecord | null> {
    const doc = await this.aliases.findById(token).lean<AliasDocument>().exec();
    return doc ? { token: doc._id, address: doc.address, conversationId: doc.conversationId, participantId: doc.participantId, revoked: doc.revoked } : null;
  }

  /**
   * Applies a just-recorded event to the read models, from the state it was decided on. If that
   * replacement does not match (the read model moved meanwhile), a catch-up from the log fixes it.
   */
  private async project(current: ConversationState | null, event: RecordedEvent): Promise<void> {
    await this.applyAliases(event);
    const saved = await this.saveState(Conversation.apply(current, event), event.seq - 1);
    if (!saved) await this.catchUp(event.conversationId);
  }

  private async applyAliases(event: RecordedEvent): Promise<void> {
    const { upserts, revoked } = aliasChangesOf(event);
    await Promise.all([
      ...upserts.map((a) =>
        this.aliases
          .updateOne(
            { _id: a.token },
            { $setOnInsert: { address: a.address, conversationId: a.conversationId, participantId: a.participantId, revoked: false } },
            { upsert: true },
          )
          .exec(),
      ),
      ...revoked.map((token) => this.aliases.updateOne({ _id: token }, { $set: { revoked: true } }).exec()),
    ]);
  }

  /** Replaces the read model only if it is still at `fromVersion`; false when it was not. */
  private async saveState(state: ConversationState, fromVersion: number): Promise<boolean> {
    const doc = toDocument(state);
    if (fromVersion === 0) {
      try {
        await this.conversations.create(doc);
        return true;
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        return false;
      }
    }
    const result = await this.conversations.replaceOne({ _id: state.id, version: fromVersion }, doc).exec();
    return result.matchedCount === 1;
  }
}


export function toRecorded(doc: ConversationEventDocument): RecordedEvent {
  return {
    conversationId: doc.conversationId,
    seq: doc.seq,
    type: doc.type as ConversationEventType,
    data: withStoredDefaults(doc.type, doc.data) as RecordedEvent['data'],
    idempotencyKey: doc.idempotencyKey,
    occurredAt: new Date(doc.occurredAt).toISOString(),
  };
}

/**
 * Some MongoDB-compatible servers drop empty arrays and nulls on insert; every reader of the log
 * goes through here, so a missing list or null reads back as what was written.
 */
function withStoredDefaults(type: string, data: unknown): unknown {
  const d = (data ?? {}) as Record<string, unknown>;
  const participant = (p: Record<string, unknown>) => ({ ...p, accountId: p.accountId ?? null, role: p.role ?? null });
  switch (type) {
    case 'ConversationCreated':
      return { ...d, useCase: d.useCase ?? null, participants: ((d.participants as Record<string, unknown>[]) ?? []).map(participant) };
    case 'ParticipantAdded':
      return { ...d, addedBy: d.addedBy ?? null, participant: participant((d.participant as Record<string, unknown>) ?? {}) };
    case 'MessageAdded':
      return { ...d, attachments: d.attachments ?? [], emailMessageId: d.emailMessageId ?? null, trimmedText: d.trimmedText ?? null, rawEmail: d.rawEmail ?? null };
    default:
      return d;
  }
}

function toState(doc: ConversationDocument): ConversationState {
  return {
    id: doc._id,
    subject: doc.subject,
    useCase: doc.useCase ?? null,
    createdAt: new Date(doc.createdAt).toISOString(),
    createdBy: doc.createdBy,
    version: doc.version,
    lastMessageSeq: doc.lastMessageSeq,
    lastActivityAt: new Date(doc.lastActivityAt).toISOString(),
    participants: (doc.participants ?? []).map((p) => ({
      id: p.id,
      accountId: p.accountId ?? null,
      email: p.email,
      displayName: p.displayName,
      role: p.role ?? null,
      alias: p.alias,
      aliasRevoked: p.aliasRevoked,
      lastReadSeq: p.lastReadSeq,
      joinedAt: new Date(p.joinedAt).toISOString(),
    })),
  };
}

function toDocument(state: ConversationState): ConversationDocument {
  return {
    _id: state.id,
    subject: state.subject,
    useCase: state.useCase,
    createdAt: new Date(state.createdAt),
    createdBy: state.createdBy,
    version: state.version,
    lastMessageSeq: state.lastMessageSeq,
    lastActivityAt: new Date(state.lastActivityAt),
    participants: state.participants.map((p) => ({ ...p, joinedAt: new Date(p.joinedAt) })),
  };
}
