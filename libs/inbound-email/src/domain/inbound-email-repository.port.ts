import { InboundEmailOutcome, InboundEmailReceipt, InboundEmailRecord } from './inbound-email';

/**
 * Where InboundEmail records live. Every method reads or writes one record by its id (the
 * primary key), the one access every MongoDB-compatible server serves efficiently.
 */
export interface InboundEmailRepository {
  findById(id: string): Promise<InboundEmailRecord | null>;
  /** Creates the record (status received) on the first receipt; later ones add their recipients. */
  recordReceipt(receipt: InboundEmailReceipt): Promise<void>;
  /**
   * Kafka acknowledged an event for these recipients: remembers them, sets queuedAt the first
   * time, and moves a received record to queued (never a record the relay has already decided).
   */
  markQueued(id: string, recipients: readonly string[], at: Date): Promise<void>;
  /**
   * The relay's outcome. A missing record is created from `ifMissing` (as queued for its
   * recipients: the relay saw its event); without it the answer is null.
   */
  setOutcome(id: string, status: InboundEmailOutcome, reason: string | null, at: Date, ifMissing?: InboundEmailReceipt | null): Promise<InboundEmailRecord | null>;
}

export const INBOUND_EMAIL_REPOSITORY = Symbol('INBOUND_EMAIL_REPOSITORY');
