import { LegacyCancelReminders, LegacyPostMessage, LegacyPostMessageResult } from '../domain/legacy-system.port';

/**
 * A call to the legacy system that must happen, eventually, exactly as far as the legacy system
 * can tell: recorded first (durably), executed later by the LegacyCallDispatcher, retried while the
 * legacy system is unavailable. `payload` is the port's call; its idempotency key is `idempotencyKey`.
 */
export type LegacyCallRequest =
  | { kind: 'post-message'; idempotencyKey: string; payload: LegacyPostMessage }
  | { kind: 'cancel-reminders'; idempotencyKey: string; payload: LegacyCancelReminders };

export type LegacyCallKind = LegacyCallRequest['kind'];

export const LEGACY_CALL_KINDS: readonly LegacyCallKind[] = ['post-message', 'cancel-reminders'];

export type LegacyCallState = 'pending' | 'done' | 'failed';

/** What a done call returned: the legacy message for `post-message`, null for `cancel-reminders`. */
export type LegacyCallResult = LegacyPostMessageResult | null;

export type LegacyCallRecord = LegacyCallRequest & {
  /** `<kind>:<idempotencyKey>`: the same call enqueued twice is one record. */
  id: string;
  state: LegacyCallState;
  /** Executions so far (each ended unavailable, failed, or done). */
  attempts: number;
  /** When a pending call is next due. */
  nextAttemptAt: Date;
  /** A dispatcher executing the call holds it until then; after that (a crash) another may take it. */
  claimedUntil: Date;
  createdAt: Date;
  updatedAt: Date;
  /** The last failure, one line, for operators. */
  lastError: string | null;
  result: LegacyCallResult;
};

/**
 * The record's id: the idempotency key, scoped by kind, so that a message and a reminder
 * cancellation that happen to share a key (e.g. a reply's `<conversationId>:<seq>`) stay two calls.
 * The legacy system scopes keys by endpoint in the same way.
 */
export function legacyCallIdOf(kind: LegacyCallKind, idempotencyKey: string): string {
  return `${kind}:${idempotencyKey}`;
}

/** Never a real claim: any date before now. */
export const LEGACY_CALL_UNCLAIMED = new Date(0);
