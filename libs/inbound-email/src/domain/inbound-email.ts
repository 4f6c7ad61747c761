import { createHash } from 'node:crypto';
import { InboundEmailEnvelope, InboundEmailProvider } from '@libs/contracts';

/**
 * An InboundEmail is one raw email as received, identified by the SHA-256 of its bytes: the same
 * raw email delivered again (a provider retry, or the same message for another recipient) is the
 * same record.
 *
 * received → queued (Kafka acknowledged its InboundEmailReceived) → the relay's outcome.
 */
export const InboundEmailStatus = {
  Received: 'received',
  Queued: 'queued',
  Processed: 'processed',
  Ignored: 'ignored',
  Quarantined: 'quarantined',
  Bounced: 'bounced',
  Failed: 'failed',
} as const;
export type InboundEmailStatus = (typeof InboundEmailStatus)[keyof typeof InboundEmailStatus];

/** What the relay may record; received and queued belong to the ingress. */
export const INBOUND_EMAIL_OUTCOMES = [
  InboundEmailStatus.Processed,
  InboundEmailStatus.Ignored,
  InboundEmailStatus.Quarantined,
  InboundEmailStatus.Bounced,
  InboundEmailStatus.Failed,
] as const;
export type InboundEmailOutcome = (typeof INBOUND_EMAIL_OUTCOMES)[number];

export function isInboundEmailOutcome(value: string): value is InboundEmailOutcome {
  return (INBOUND_EMAIL_OUTCOMES as readonly string[]).includes(value);
}

export interface InboundEmailRecord {
  id: string;
  blobKey: string;
  size: number;
  provider: InboundEmailProvider;
  /** Sender of the first delivery; recipients of every delivery so far. */
  envelope: InboundEmailEnvelope;
  receivedAt: Date;
  /** When Kafka first acknowledged an event for this email; null until then. */
  queuedAt: Date | null;
  /** Recipients whose delivery Kafka acknowledged: a later delivery naming only these is a duplicate. */
  queuedRecipients: string[];
  status: InboundEmailStatus;
  statusReason: string | null;
  statusChangedAt: Date | null;
}

/** What one accepted delivery adds to the record. */
export interface InboundEmailReceipt {
  id: string;
  blobKey: string;
  size: number;
  provider: InboundEmailProvider;
  envelope: InboundEmailEnvelope;
  receivedAt: Date;
}

export function inboundEmailIdOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/**
 * Content-addressed, dated by the first receipt: storing the same email again writes the same
 * key with the same bytes, and operators can list or expire a day's mail by prefix.
 */
export function inboundBlobKey(id: string, receivedAt: Date): string {
  const [date] = receivedAt.toISOString().split('T');
  const [yyyy, mm, dd] = date.split('-');
  return `inbound/${yyyy}/${mm}/${dd}/${id}.eml`;
}

/** A delivery is already queued when every recipient it names was queued before. */
export function isAlreadyQueued(record: Pick<InboundEmailRecord, 'queuedRecipients'>, recipients: readonly string[]): boolean {
  const queued = new Set(record.queuedRecipients);
  return recipients.every((recipient) => queued.has(recipient));
}
