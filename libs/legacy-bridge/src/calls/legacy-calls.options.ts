export interface LegacyCallsOptions {
  /** False: calls are still recorded, but this instance does not execute them. Default true. */
  enabled?: boolean;
  /** How often due calls are looked for (LEGACY_CALLS_POLL_MS). Default 500. */
  pollMs?: number;
  /** Calls read per round of a pass. Default 50. */
  batchSize?: number;
  /** Calls executed at once. Default 4. */
  concurrency?: number;
  /**
   * How long a claimed call is held by the instance executing it; a crash releases it after
   * that. Longer than one call can take (the adapter's retries × timeout). Default 60 000.
   */
  leaseMs?: number;
  /** Delay before the first retry of an unavailable call, doubled each attempt. Default 1 000. */
  initialBackoffMs?: number;
  /** Cap of that delay. Default 60 000. */
  maxBackoffMs?: number;
  /** For tests: the clock and the jitter source ([0, 1)). */
  now?: () => Date;
  random?: () => number;
}

export const LEGACY_CALLS_OPTIONS = Symbol('LEGACY_CALLS_OPTIONS');

export const LEGACY_CALLS_DEFAULTS = {
  enabled: true,
  pollMs: 500,
  batchSize: 50,
  concurrency: 4,
  leaseMs: 60_000,
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
} as const;

/**
 * The delay before attempt `attempts + 1`, after `attempts` failed ones (≥ 1): exponential,
 * capped, with jitter in [½, 1] of it so that calls that failed together do not retry together.
 */
export function legacyCallBackoffMs(attempts: number, options: { initialBackoffMs: number; maxBackoffMs: number }, random: number): number {
  const exponential = Math.min(options.maxBackoffMs, options.initialBackoffMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.round(exponential * (0.5 + 0.5 * Math.min(1, Math.max(0, random))));
}
