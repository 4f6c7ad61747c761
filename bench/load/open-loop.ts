/**
 * An open-loop schedule: request i is due at start + i / rate and is sent then, whatever happened
 * to the earlier ones, so a slow system sees the load it would see in production (and its
 * latency is not hidden by a sender that waits). What it cannot do is send without limit: when
 * more than `maxInFlight` requests are outstanding at a due time, the run stops with
 * `OpenLoopOverload` instead of piling up sockets.
 */
export interface OpenLoopOptions {
  rate: number;
  durationMs: number;
  maxInFlight: number;
  /** Sends request `index`, due at epoch ms `dueAt`; resolves when it is answered (or failed). */
  send: (index: number, dueAt: number) => Promise<void>;
  /** Stops the schedule early (nothing further is sent). */
  signal?: AbortSignal;
  now?: () => number;
}

export interface OpenLoopResult {
  startedAt: number;
  endedAt: number;
  scheduled: number;
  sent: number;
  /** Epoch ms the last request was sent. */
  lastSentAt: number;
  /** Largest delay between a request's due time and its sending, in ms (the sender's own lag). */
  maxLagMs: number;
  overload?: OpenLoopOverload;
}

export class OpenLoopOverload extends Error {
  constructor(
    readonly inFlight: number,
    readonly limit: number,
    readonly atMs: number,
    readonly rate: number,
  ) {
    super(
      `${inFlight} requests in flight at ${(atMs / 1000).toFixed(1)} s (limit ${limit}): the system does not answer ${rate}/s fast enough; lower --rate or raise --max-in-flight`,
    );
    this.name = 'OpenLoopOverload';
  }
}

/** Index of the last request due at `elapsedMs` after the start (-1 before the first). */
export function dueCount(rate: number, elapsedMs: number, total: number): number {
  return Math.min(total, Math.floor((elapsedMs * rate) / 1000) + 1);
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const now = options.now ?? Date.now;
  const total = Math.max(0, Math.round((options.rate * options.durationMs) / 1000));
  const startedAt = now();
  const pending = new Set<Promise<void>>();
  let next = 0;
  let maxLagMs = 0;
  let overload: OpenLoopOverload | undefined;
  let lastSentAt = startedAt;

  while (next < total && !overload && !options.signal?.aborted) {
    const due = dueCount(options.rate, now() - startedAt, total);
    while (next < due) {
      if (pending.size >= options.maxInFlight) {
        overload = new OpenLoopOverload(pending.size, options.maxInFlight, now() - startedAt, options.rate);
        break;
      }
      const dueAt = startedAt + (next * 1000) / options.rate;
      maxLagMs = Math.max(maxLagMs, now() - dueAt);
      lastSentAt = now();
      const request = options.send(next, dueAt).catch(() => undefined);
      pending.add(request);
      void request.finally(() => pending.delete(request));
      next++;
    }
    if (next >= total || overload) break;
    const nextDue = startedAt + (next * 1000) / options.rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(20, nextDue - now()))));
  }
  await Promise.all(pending);
  return { startedAt, endedAt: now(), scheduled: total, sent: next, lastSentAt, maxLagMs: Math.round(maxLagMs), overload };
}
