import { DeliveryRecord, DeliveryState, statesBefore } from '../domain/delivery';
import { DeliveryStore, NewDelivery } from '../domain/stores.port';
import { clone } from './clone';

const UNCLAIMED = new Date(0);

export interface DeliveryHistoryEntry {
  state: DeliveryState;
  at: Date;
  source: string;
  reason?: string;
}

/**
 * The delivery store port in memory, with the MongoDB store's semantics (mongo-delivery.store.ts):
 * `create` fails on an existing id, `claim` takes a pending delivery whose lease ran out,
 * `transition` moves forward only (`statesBefore`), `release` gives a pending one back. Each
 * operation is atomic and yields first, as a round trip would, so concurrent callers interleave
 * between operations. Records are copied in and out: nobody shares the stored objects.
 */
export class InMemoryDeliveryStore implements DeliveryStore {
  private readonly records = new Map<string, DeliveryRecord>();
  private readonly histories = new Map<string, DeliveryHistoryEntry[]>();

  async create(delivery: NewDelivery, claimedUntil: Date, now: Date): Promise<boolean> {
    await roundTrip();
    if (this.records.has(delivery.id)) return false;
    this.records.set(delivery.id, {
      id: delivery.id,
      kind: delivery.kind,
      source: delivery.source,
      conversationId: delivery.conversationId,
      participantId: delivery.participantId,
      channel: delivery.channel,
      recipient: delivery.recipient,
      state: 'pending',
      attempts: 1,
      eventAt: new Date(delivery.eventAt),
      createdAt: new Date(now),
      sentAt: null,
      finalAt: null,
      providerMessageId: null,
      lastError: null,
      claimedUntil: new Date(claimedUntil),
      traceId: delivery.traceId ?? null,
    });
    this.histories.set(delivery.id, [{ state: 'pending', at: new Date(now), source: 'notifier' }]);
    return true;
  }

  async claim(id: string, now: Date, claimedUntil: Date): Promise<DeliveryRecord | null> {
    await roundTrip();
    const record = this.records.get(id);
    if (!record || record.state !== 'pending' || record.claimedUntil.getTime() > now.getTime()) return null;
    record.claimedUntil = new Date(claimedUntil);
    record.attempts += 1;
    return copy(record);
  }

  async get(id: string): Promise<DeliveryRecord | null> {
    await roundTrip();
    const record = this.records.get(id);
    return record ? copy(record) : null;
  }

  async transition(id: string, to: DeliveryState, at: Date, fields: { providerMessageId?: string | null; reason?: string | null; source?: string } = {}): Promise<boolean> {
    await roundTrip();
    const record = this.records.get(id);
    if (!record || !statesBefore(to).includes(record.state)) return false;
    record.state = to;
    record.claimedUntil = UNCLAIMED;
    if (to === 'sent') record.sentAt = new Date(at);
    else record.finalAt = new Date(at);
    if (fields.providerMessageId) record.providerMessageId = fields.providerMessageId;
    if (fields.reason) record.lastError = fields.reason;
    this.histories.get(id)!.push({ state: to, at: new Date(at), source: fields.source ?? 'notifier', ...(fields.reason ? { reason: fields.reason } : {}) });
    return true;
  }

  async release(id: string, error: string): Promise<void> {
    await roundTrip();
    const record = this.records.get(id);
    if (!record || record.state !== 'pending') return;
    record.claimedUntil = UNCLAIMED;
    record.lastError = error.slice(0, 500);
  }

  // For assertions.

  /** Every delivery, in the order they were written. */
  all(): DeliveryRecord[] {
    return [...this.records.values()].map(copy);
  }

  /** Every state change of a delivery, with where the news came from. */
  history(id: string): DeliveryHistoryEntry[] {
    return (this.histories.get(id) ?? []).map((entry) => ({ ...entry, at: new Date(entry.at) }));
  }

  get size(): number {
    return this.records.size;
  }
}

function copy(record: DeliveryRecord): DeliveryRecord {
  return clone(record);
}

/** A store call is never synchronous: let other callers run first, as a round trip would. */
export function roundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
