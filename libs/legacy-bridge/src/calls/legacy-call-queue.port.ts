import { LegacyCallKind, LegacyCallRecord, LegacyCallRequest, LegacyCallResult } from './legacy-call';

/**
 * The durable queue of calls to the legacy system (`legacy_calls`). Producers (the notifier)
 * only `enqueue`; the LegacyCallDispatcher does the rest.
 *
 * Claims are a best effort (a lease in `claimedUntil`, taken with a conditional update): on a
 * store that cannot make concurrent conditional updates atomic, two dispatchers may execute one
 * call. That is harmless: every call carries its idempotency key to the legacy system.
 */
export interface LegacyCallQueue {
  /** Records the call, pending and due now. The same kind + idempotency key again is a no-op (`enqueued: false`). */
  enqueue(call: LegacyCallRequest): Promise<{ enqueued: boolean }>;
  /** Pending calls due at `now` and not claimed, oldest due first. */
  due(now: Date, limit: number): Promise<LegacyCallRecord[]>;
  /** Takes a due, unclaimed, pending call until `until`; null when it is not (any longer). */
  claim(id: string, now: Date, until: Date): Promise<LegacyCallRecord | null>;
  /** Pending → done, with what the legacy system answered. */
  complete(id: string, result: LegacyCallResult, now: Date): Promise<void>;
  /** Stays pending, one more attempt counted, due again at `nextAttemptAt`, released. */
  retryLater(id: string, nextAttemptAt: Date, error: string, now: Date): Promise<void>;
  /** Pending → failed (a permanent refusal); kept for operators. */
  fail(id: string, error: string, now: Date): Promise<void>;
  get(kind: LegacyCallKind, idempotencyKey: string): Promise<LegacyCallRecord | null>;
  countPending(): Promise<number>;
}

export const LEGACY_CALL_QUEUE = Symbol('LEGACY_CALL_QUEUE');
