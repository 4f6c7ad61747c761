import { Schema } from 'mongoose';
import { InboundEmailProvider } from '@libs/contracts';
import { InboundEmailStatus } from '../../domain/inbound-email';

/**
 * `inbound_emails`: one document per raw email, `_id` = SHA-256 of the raw bytes. Only read and
 * written by `_id`. `queuedAt` is absent (not null) until Kafka acknowledged a first event, so
 * `$min` can set it once.
 */
export const INBOUND_EMAIL_MODEL = 'InboundEmail';
export interface InboundEmailDocument {
  _id: string;
  blobKey: string;
  size: number;
  provider: InboundEmailProvider;
  envelope: { sender: string | null; recipients: string[] };
  receivedAt: Date;
  queuedAt?: Date;
  queuedRecipients: string[];
  status: InboundEmailStatus;
  statusReason: string | null;
  statusChangedAt: Date | null;
}
export const InboundEmailSchema = new Schema<InboundEmailDocument>(
  {
    _id: { type: String, required: true },
    blobKey: { type: String, required: true },
    size: { type: Number, required: true },
    provider: { type: String, required: true },
    envelope: {
      _id: false,
      sender: { type: String, default: null },
      recipients: { type: [String], default: [] },
    },
    receivedAt: { type: Date, required: true },
    queuedAt: { type: Date, required: false },
    queuedRecipients: { type: [String], default: [] },
    status: { type: String, required: true },
    statusReason: { type: String, default: null },
    statusChangedAt: { type: Date, default: null },
  },
  { collection: 'inbound_emails', versionKey: false, minimize: false },
);

/**
 * `mailgun_tokens`: tokens of accepted Mailgun posts, `_id` = the token, so a second insert is a
 * duplicate-key error on the primary key. `expiresAt` is when the token's timestamp turns stale;
 * a sweep (and a TTL index where the server has them) removes the expired ones.
 */
export const MAILGUN_TOKEN_MODEL = 'MailgunToken';
export interface MailgunTokenDocument {
  _id: string;
  expiresAt: Date;
}
export const MailgunTokenSchema = new Schema<MailgunTokenDocument>(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  // The TTL index is created by MongoMailgunTokenStore after a feature check, not by autoIndex.
  { collection: 'mailgun_tokens', versionKey: false, autoIndex: false },
);
