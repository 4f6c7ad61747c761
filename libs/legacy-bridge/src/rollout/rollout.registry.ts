import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { MetricsService } from '@libs/observability';
import { Rollout, RolloutMode, describeRollout, effectiveMode, shadowFor, useCaseKeyOf } from './rollout';
import { ROLLOUT_OPTIONS, RolloutOptions, resolveRolloutOptions } from './rollout.options';
import { ROLLOUT_STORE, RolloutStore } from './rollout-store.port';

/** While the store keeps failing, one warning per this long. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * Every rollout, in memory, re-read from the store every `refreshMs`: a change made by any
 * process (the gateway's setRollout, the operator CLI) is live in every running app within
 * `refreshMs` plus a read, without a restart. Lookups are synchronous, from the cache.
 *
 * A failed read keeps the last rollouts known and logs a warning; it never throws into callers.
 * Until the first read succeeds, every use case takes the fallback mode.
 */
@Injectable()
export class RolloutRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RolloutRegistry.name);
  readonly refreshMs: number;
  readonly fallbackMode: RolloutMode;
  private readonly watch: boolean;
  private rollouts = new Map<string, Rollout>();
  private timer: NodeJS.Timeout | null = null;
  private timerRefresh: Promise<boolean> | null = null;
  /** Reads are numbered when they start; an older read never overwrites a newer state. */
  private started = 0;
  private applied = 0;
  private loaded = false;
  private failingSince: number | null = null;
  private lastFailureLog = 0;
  private readonly gauge: Gauge<'use_case' | 'mode'> | null;

  constructor(
    @Inject(ROLLOUT_STORE) private readonly store: RolloutStore,
    @Optional() @Inject(ROLLOUT_OPTIONS) options?: RolloutOptions | null,
    @Optional() @Inject(MetricsService) metrics?: MetricsService | null,
  ) {
    const resolved = resolveRolloutOptions(options);
    this.refreshMs = resolved.refreshMs;
    this.fallbackMode = resolved.fallbackMode;
    this.watch = resolved.watch;
    this.gauge =
      metrics?.gauge(
        'legacy_rollout_percent',
        'Share of the use case’s conversations (0-100) that take `mode`; the others stay on the legacy system.',
        ['use_case', 'mode'] as const,
      ) ?? null;
  }

  async onModuleInit(): Promise<void> {
    if (!this.watch) return;
    // The first read is awaited, so the app's first messages already see the stored rollouts.
    if (!(await this.refresh())) this.logger.warn(`Rollouts not loaded yet; every use case is ${this.fallbackMode} until they are`);
    this.start();
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /** Starts the periodic refresh (onModuleInit does); idempotent. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // A slow store does not pile reads up.
      if (this.timerRefresh) return;
      this.timerRefresh = this.refresh().finally(() => (this.timerRefresh = null));
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Re-reads every rollout now. Resolves false (and keeps what it had) when the store fails. */
  async refresh(): Promise<boolean> {
    const sequence = ++this.started;
    let list: Rollout[];
    try {
      list = await this.store.list();
    } catch (error) {
      this.failed(error);
      return false;
    }
    if (this.failingSince !== null) {
      this.logger.log(`Rollouts readable again after ${Math.round((Date.now() - this.failingSince) / 1000)} s`);
      this.failingSince = null;
    }
    if (sequence < this.applied) return true; // a newer state is already in place
    this.apply(list, sequence);
    return true;
  }

  /** Puts a rollout this process has just saved in place at once (SetRolloutCommand). */
  remember(rollout: Rollout): void {
    const next = new Map(this.rollouts);
    next.set(rollout.useCase, { ...rollout });
    this.apply([...next.values()], ++this.started, false);
  }

  /** Whether a read of the store has succeeded since start-up. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** The rollout of a conversation's use case (null/blank → `default`); null when none is stored. */
  get(useCase: string | null | undefined): Rollout | null {
    const rollout = this.rollouts.get(useCaseKeyOf(useCase));
    return rollout ? { ...rollout } : null;
  }

  list(): Rollout[] {
    return [...this.rollouts.values()].map((r) => ({ ...r }));
  }

  /** Which system notifies this conversation's participants (see effectiveMode). */
  modeFor(useCase: string | null | undefined, conversationId: string): RolloutMode {
    return effectiveMode(this.rollouts.get(useCaseKeyOf(useCase)), conversationId, this.fallbackMode);
  }

  /** Whether the new path computes, without sending, what it would deliver (see shadowFor). */
  shadowFor(useCase: string | null | undefined, conversationId: string): boolean {
    return shadowFor(this.rollouts.get(useCaseKeyOf(useCase)), conversationId);
  }

  private apply(list: readonly Rollout[], sequence: number, complete = true): void {
    const next = new Map(list.map((r) => [r.useCase, { ...r }] as const));
    if (this.loaded) this.logChanges(this.rollouts, next);
    else if (next.size > 0) this.logger.log(`Rollouts: ${[...next.values()].map((r) => `${r.useCase} ${describeRollout(r)}`).join(', ')}`);
    this.rollouts = next;
    this.applied = sequence;
    if (complete) this.loaded = true;
    if (this.gauge) {
      // Reset and set in one synchronous step: a scrape never sees a gap, nor a mode left behind.
      this.gauge.reset();
      for (const r of next.values()) this.gauge.set({ use_case: r.useCase, mode: r.mode }, r.percent);
    }
  }

  private logChanges(before: ReadonlyMap<string, Rollout>, after: ReadonlyMap<string, Rollout>): void {
    for (const [useCase, now] of after) {
      const was = before.get(useCase);
      if (was && was.mode === now.mode && was.percent === now.percent && was.shadow === now.shadow) continue;
      this.logger.log(`Rollout ${useCase}: ${describeRollout(was)} → ${describeRollout(now)}${now.updatedBy ? ` (by ${now.updatedBy})` : ''}`);
    }
    for (const [useCase, was] of before) {
      if (!after.has(useCase)) this.logger.log(`Rollout ${useCase}: ${describeRollout(was)} → (none): ${this.fallbackMode} (fallback)`);
    }
  }

  private failed(error: unknown): void {
    const now = Date.now();
    const first = this.failingSince === null;
    if (first) this.failingSince = now;
    if (first || now - this.lastFailureLog >= FAILURE_LOG_INTERVAL_MS) {
      this.lastFailureLog = now;
      const since = first ? '' : ` (failing for ${Math.round((now - this.failingSince!) / 1000)} s)`;
      this.logger.warn(`Could not read the rollouts; keeping the ${this.rollouts.size} known${since}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
