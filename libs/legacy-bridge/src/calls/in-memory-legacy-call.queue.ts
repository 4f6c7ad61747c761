import { LegacyCallKind, LegacyCallRecord, LegacyCallRequest, LegacyCallResult, LEGACY_CALL_UNCLAIMED, legacyCallIdOf } from './legacy-call';
import { LegacyCallQueue } from './legacy-call-queue.port';

/** LegacyCallQueue in memory, for unit tests of producers and of the dispatcher. */
export class InMemoryLegacyCallQueue implements LegacyCallQueue {
  private readonly records = new Map<string, LegacyCallRecord>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async enqueue(call: LegacyCallRequest): Promise<{ enqueued: boolean }> {
    const id = legacyCallIdOf(call.kind, call.idempotencyKey);
    if (this.records.has(id)) return { enqueued: false };
    const now = this.clock();
    this.records.set(id, {
      ...structuredClone(call),
      id,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      claimedUntil: LEGACY_CALL_UNCLAIMED,
      createdAt: now,
      updatedAt: now,
      lastError: null,
      result: null,
    } as LegacyCallRecord);
    return { enqueued: true };
  }

  async due(now: Date, limit: number): Promise<LegacyCallRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.state === 'pending' && r.nextAttemptAt <= now && r.claimedUntil <= now)
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }

  async claim(id: string, now: Date, until: Date): Promise<LegacyCallRecord | null> {
    const record = this.records.get(id);
    if (!record || record.state !== 'pending' || record.nextAttemptAt > now || record.claimedUntil > now) return null;
    record.claimedUntil = until;
    return structuredClone(record);
  }

  async complete(id: string, result: LegacyCallResult, now: Date): Promise<void> {
    this.update(id, { state: 'done', result, claimedUntil: LEGACY_CALL_UNCLAIMED }, now, true);
  }

  async retryLater(id: string, nextAttemptAt: Date, error: string, now: Date): Promise<void> {
    this.update(id, { nextAttemptAt, lastError: error, claimedUntil: LEGACY_CALL_UNCLAIMED }, now, true);
  }

  async fail(id: string, error: string, now: Date): Promise<void> {
    this.update(id, { state: 'failed', lastError: error, claimedUntil: LEGACY_CALL_UNCLAIMED }, now, true);
  }

  async get(kind: LegacyCallKind, idempotencyKey: string): Promise<LegacyCallRecord | null> {
    const record = this.records.get(legacyCallIdOf(kind, idempotencyKey));
    return record ? structuredClone(record) : null;
  }

  async countPending(): Promise<number> {
    return [...this.records.values()].filter((r) => r.state === 'pending').length;
  }

  /** Every record, for assertions. */
  all(): LegacyCallRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r));
  }

  private update(id: string, changes: Partial<LegacyCallRecord>, now: Date, attempt: boolean): void {
    const record = this.records.get(id);
    if (!record || record.state !== 'pending') return;
    Object.assign(record, changes, { updatedAt: now, attempts: record.attempts + (attempt ? 1 : 0) });
  }
}
