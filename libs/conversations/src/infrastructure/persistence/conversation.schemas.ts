import { Schema } from 'mongoose';

/**
 * `conversation_events` is the log: an event is committed when its document is inserted. `_id`
 * is `<conversationId>:<seq>`, which makes the position unique per conversation.
 */
export const CONVERSATION_EVENT_MODEL = 'ConversationEvent';
export interface ConversationEventDocument {
  _id: string;
  conversationId: string;
  seq: number;
  type: string;
  data: unknown;
  idempotencyKey: string;
  occurredAt: Date;
  /** How the change came about, for operators: the trace of the request or email that made it. */
  metadata?: ConversationEventMetadata;
}
export interface ConversationEventMetadata {
  traceId?: string;
}
export const ConversationEventSchema = new Schema<ConversationEventDocument>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    idempotencyKey: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    metadata: { type: Schema.Types.Mixed, required: false },
  },
  { collection: 'conversation_events', versionKey: false, minimize: false },
);
ConversationEventSchema.index({ conversationId: 1, idempotencyKey: 1 }, { unique: true, name: 'conversation_idempotency_key' });
ConversationEventSchema.index({ conversationId: 1, type: 1, seq: 1 }, { name: 'conversation_type_seq' });

/**
 * The outbox: one entry per log position a writer is about to fill, written *before* the event.
 * An entry whose event exists is an event still to publish; an entry whose event never came (the
 * writer lost the race or died) is dropped after a grace period. The collection stays as small as
 * the publishing backlog, and every access is by `_id`, which every MongoDB-compatible server
 * serves from its primary key.
 */
export const CONVERSATION_OUTBOX_MODEL = 'ConversationOutbox';
export interface ConversationOutboxDocument {
  _id: string;
  conversationId: string;
  seq: number;
  createdAt: Date;
}
export const ConversationOutboxSchema = new Schema<ConversationOutboxDocument>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    seq: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'conversation_outbox', versionKey: false },
);

/** Read model of a conversation: its state after event `version`. */
export const CONVERSATION_MODEL = 'Conversation';
export interface ConversationDocument {
  _id: string;
  subject: string;
  useCase: string | null;
  createdAt: Date;
  createdBy: string;
  version: number;
  lastMessageSeq: number;
  lastActivityAt: Date;
  participants: {
    id: string;
    accountId: string | null;
    email: string;
    displayName: string;
    role: string | null;
    alias: string;
    aliasRevoked: boolean;
    lastReadSeq: number;
    joinedAt: Date;
  }[];
}
export const ConversationSchema = new Schema<ConversationDocument>(
  {
    _id: { type: String, required: true },
    subject: String,
    useCase: { type: String, default: null },
    createdAt: Date,
    createdBy: String,
    version: Number,
    lastMessageSeq: Number,
    lastActivityAt: Date,
    participants: [
      {
        _id: false,
        id: String,
        accountId: { type: String, default: null },
        email: String,
        displayName: String,
        role: { type: String, default: null },
        alias: String,
        aliasRevoked: Boolean,
        lastReadSeq: Number,
        joinedAt: Date,
      },
    ],
  },
  { collection: 'conversations', versionKey: false },
);
ConversationSchema.index({ 'participants.accountId': 1, createdAt: -1, _id: -1 }, { name: 'member_account' });
ConversationSchema.index({ 'participants.email': 1, createdAt: -1, _id: -1 }, { name: 'member_email' });

/** Read model for routing: alias token → seat. */
export const ALIAS_MODEL = 'ConversationAlias';
export interface AliasDocument {
  _id: string;
  address: string;
  conversationId: string;
  participantId: string;
  revoked: boolean;
}
export const AliasSchema = new Schema<AliasDocument>(
  {
    _id: { type: String, required: true },
    address: { type: String, required: true },
    conversationId: { type: String, required: true },
    participantId: { type: String, required: true },
    revoked: { type: Boolean, required: true, default: false },
  },
  { collection: 'conversation_aliases', versionKey: false },
);

/** Leases elect the one change publisher among many instances. */
export const LEASE_MODEL = 'Lease';
export interface LeaseDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}
export const LeaseSchema = new Schema<LeaseDocument>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'leases', versionKey: false },
);
