export interface RetryPolicy {
  /** Total attempts, the first one included, before a message is dead-lettered. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): exponential with "full jitter"
 * (AWS architecture blog), so many consumers failing together do not retry in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A handler throws this (or any error with `retryable: false`) when retrying cannot help. */
export class NonRetryableError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly code = 'NON_RETRYABLE',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

export function isRetryable(error: unknown): boolean {
  return !(error && typeof error === 'object' && (error as { retryable?: unknown }).retryable === false);
}

/** MongoDB driver and mongoose errors that mean "the database cannot be reached", not "this message is bad". */
const DATABASE_OUTAGE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

/**
 * True when the failure is one of our own stores being out of reach (MongoDB, the blob store), at
 * any depth of `cause`. Such a failure says nothing about the message: the consumer waits it out,
 * retrying with backoff without counting attempts, instead of dead-lettering healthy messages
 * during an outage (DESIGN §8: "MongoDB down: relay retries with backoff, then catches up").
 */
export function isStoreOutage(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    const { name, message, category } = current as { name?: unknown; message?: unknown; category?: unknown };
    if (typeof name === 'string' && DATABASE_OUTAGE_ERRORS.has(name)) return true;
    // mongoose queues operations while disconnected and fails them with this message.
    if (typeof message === 'string' && /buffering timed out after/.test(message)) return true;
    if (name === 'BlobStoreError' && category === 'UNAVAILABLE') return true;
  }
  return false;
}

export function errorCodeOf(error: unknown): string {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return error instanceof Error ? error.name : 'UNKNOWN';
}
