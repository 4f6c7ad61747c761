import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { isDomainError } from '@libs/contracts';
import { MetricsService } from '@libs/observability';
import { LEGACY_SYSTEM, LegacySystem } from '../domain/legacy-system.port';
import { LegacyCallRecord, LegacyCallResult } from './legacy-call';
import { LEGACY_CALL_QUEUE, LegacyCallQueue } from './legacy-call-queue.port';
import { LEGACY_CALLS_DEFAULTS, LEGACY_CALLS_OPTIONS, LegacyCallsOptions, legacyCallBackoffMs } from './legacy-calls.options';

/** What one pass did. */
export interface LegacyDrainOutcome {
  /** Executed and done (including `duplicate` answers). */
  done: number;
  /** Unavailable (or an unexpected error): due again later. */
  retried: number;
  /** Refused for good. */
  failed: number;
  /** Due but taken by another instance in the meantime. */
  skipped: number;
}

type Outcome = 'done' | 'duplicate' | 'unavailable' | 'error' | 'failed' | 'skipped';

const MAX_ROUNDS = 20;

/**
 * Executes the durable legacy calls (`legacy_calls`) through LEGACY_SYSTEM, off the notifier's
 * delivery path: producers only enqueue (one insert), so a slow or dead legacy system never
 * delays the new path's deliveries, and a call is never lost while it is down.
 *
 * Every `pollMs` (never overlapping) it reads the pending calls that are due, claims each (a
 * lease), executes it, and then marks it done (with the answer), schedules the next attempt with
 * exponential backoff and jitter (capped; no limit on attempts: the legacy system will come
 * back) when the legacy system is unavailable, or marks it failed when it refused the call for
 * good (400/409/422). Any other error (401/403: a deployment error; a malformed answer) is
 * retried like unavailability, and logged as an error, so the calls survive until it is fixed.
 *
 * Without a legacy system (LEGACY_SYSTEM_URL unset) calls are recorded and stay pending; this is
 * logged once.
 */
@Injectable()
export class LegacyCallDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LegacyCallDispatcher.name);
  private readonly options: Required<Omit<LegacyCallsOptions, 'now' | 'random'>>;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly results;
  private readonly pending;
  private timer?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private toldUnconfigured = false;
  private legacyDown = false;

  constructor(
    @Inject(LEGACY_CALL_QUEUE) private readonly queue: LegacyCallQueue,
    @Inject(LEGACY_CALLS_OPTIONS) options: LegacyCallsOptions,
    @Optional() metrics?: MetricsService | null,
    @Optional() @Inject(LEGACY_SYSTEM) private readonly legacy?: LegacySystem | null,
  ) {
    this.options = {
      enabled: options.enabled ?? LEGACY_CALLS_DEFAULTS.enabled,
      pollMs: positive(options.pollMs, LEGACY_CALLS_DEFAULTS.pollMs),
      batchSize: positive(options.batchSize, LEGACY_CALLS_DEFAULTS.batchSize),
      concurrency: positive(options.concurrency, LEGACY_CALLS_DEFAULTS.concurrency),
      leaseMs: positive(options.leaseMs, LEGACY_CALLS_DEFAULTS.leaseMs),
      initialBackoffMs: positive(options.initialBackoffMs, LEGACY_CALLS_DEFAULTS.initialBackoffMs),
      maxBackoffMs: positive(options.maxBackoffMs, LEGACY_CALLS_DEFAULTS.maxBackoffMs),
    };
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    const registry = metrics ?? new MetricsService();
    this.results = registry.counter('legacy_calls_total', 'Executions of durable legacy calls, by kind and result', ['kind', 'result']);
    this.pending = registry.gauge('legacy_calls_pending', 'Durable legacy calls not yet done nor failed');
  }

  onApplicationBootstrap(): void {
    if (!this.options.enabled) return;
    if (!this.legacy) {
      this.tellUnconfigured();
      void this.refreshPending();
      return;
    }
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.chain;
  }

  /** Runs one pass now (also what the timer does); passes never overlap. */
  drain(): Promise<LegacyDrainOutcome> {
    const next = this.chain.then(() => this.pass());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async pass(): Promise<LegacyDrainOutcome> {
    const outcome: LegacyDrainOutcome = { done: 0, retried: 0, failed: 0, skipped: 0 };
    const legacy = this.legacy;
    if (!legacy) {
      this.tellUnconfigured();
      await this.refreshPending();
      return outcome;
    }
    for (let round = 0; round < MAX_ROUNDS && !this.stopped; round++) {
      const due = await this.queue.due(this.now(), this.options.batchSize);
      await forEachLimited(due, this.options.concurrency, async (record) => {
        const result = await this.execute(legacy, record);
        if (result === 'done' || result === 'duplicate') outcome.done++;
        else if (result === 'failed') outcome.failed++;
        else if (result === 'skipped') outcome.skipped++;
        else outcome.retried++;
      });
      if (due.length < this.options.batchSize) break;
    }
    await this.refreshPending();
    return outcome;
  }

  private async execute(legacy: LegacySystem, due: LegacyCallRecord): Promise<Outcome> {
    const now = this.now();
    const call = await this.queue.claim(due.id, now, new Date(now.getTime() + this.options.leaseMs));
    if (!call) return 'skipped';
    let outcome: Outcome;
    try {
      const result = await this.send(legacy, call);
      await this.queue.complete(call.id, result, this.now());
      outcome = result?.duplicate ? 'duplicate' : 'done';
      if (this.legacyDown) {
        this.legacyDown = false;
        this.logger.log('The legacy system answers again: pending legacy calls are being executed');
      }
    } catch (error) {
      const message = oneLine(error);
      if (isDomainError(error) && !error.retryable) {
        await this.queue.fail(call.id, message, this.now());
        this.logger.warn({ msg: `Legacy call ${call.id} refused for good: ${message}`, kind: call.kind, attempts: call.attempts + 1 });
        outcome = 'failed';
      } else {
        const attempts = call.attempts + 1;
        const delay = legacyCallBackoffMs(attempts, this.options, this.random());
        await this.queue.retryLater(call.id, new Date(this.now().getTime() + delay), message, this.now());
        if (isDomainError(error)) {
          if (!this.legacyDown) {
            this.legacyDown = true;
            this.logger.warn({ msg: `The legacy system is unavailable (${message}); legacy calls stay pending and are retried with backoff` });
          }
          outcome = 'unavailable';
        } else {
          this.logger.error({ msg: `Legacy call ${call.id} failed unexpectedly; retrying in ${delay} ms: ${message}`, kind: call.kind, attempts, err: error });
          outcome = 'error';
        }
      }
    }
    this.results.inc({ kind: call.kind, result: outcome });
    return outcome;
  }

  private async send(legacy: LegacySystem, call: LegacyCallRecord): Promise<LegacyCallResult> {
    switch (call.kind) {
      case 'post-message':
        return legacy.postMessage({ ...call.payload, idempotencyKey: call.idempotencyKey });
      case 'cancel-reminders':
        await legacy.cancelReminders({ ...call.payload, idempotencyKey: call.idempotencyKey });
        return null;
      default:
        throw new Error(`Unknown legacy call kind ${(call as { kind: string }).kind}`);
    }
  }

  private async refreshPending(): Promise<void> {
    try {
      this.pending.set(await this.queue.countPending());
    } catch (error) {
      this.logger.warn({ msg: `Could not count pending legacy calls: ${oneLine(error)}` });
    }
  }

  private tellUnconfigured(): void {
    if (this.toldUnconfigured) return;
    this.toldUnconfigured = true;
    this.logger.warn('No legacy system is configured (LEGACY_SYSTEM_URL): legacy calls are recorded and left pending');
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.drain()
        .catch((error: unknown) => this.logger.warn({ msg: `Legacy call pass failed: ${oneLine(error)}`, err: error }))
        .finally(() => this.schedule());
    }, this.options.pollMs);
    this.timer.unref();
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 500);
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
