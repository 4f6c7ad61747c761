import { Logger } from '@nestjs/common';
import { MetricsService } from '@libs/observability';
import { InMemoryRolloutStore } from './infrastructure/in-memory-rollout.store';
import { Rollout, RolloutMode, bucketOf } from './rollout';
import { rolloutOptionsFrom } from './rollout.options';
import { RolloutRegistry } from './rollout.registry';
import { RolloutStore } from './rollout-store.port';

const rollout = (useCase: string, mode: RolloutMode, percent: number, shadow = false): Rollout => ({ useCase, mode, percent, shadow, updatedAt: new Date(0), updatedBy: 'admin@example.com' });
/** Bucket 0 and bucket 99 (pinned in rollout.spec.ts). */
const LOW = 'c147';
const HIGH = 'c112';

describe('RolloutRegistry', () => {
  let store: InMemoryRolloutStore;
  let registry: RolloutRegistry;
  let warn: jest.SpyInstance;

  beforeAll(() => {
    expect([bucketOf(LOW), bucketOf(HIGH)]).toEqual([0, 99]);
  });

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    store = new InMemoryRolloutStore([rollout('jobs', 'PARALLEL', 50, true), rollout('default', 'NEW_ONLY', 100)]);
  });

  afterEach(() => {
    registry?.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('answers from the rollouts loaded at start-up, synchronously', async () => {
    registry = new RolloutRegistry(store, { refreshMs: 60_000, fallbackMode: 'LEGACY_ONLY' });
    await registry.onModuleInit();
    expect(registry.isLoaded).toBe(true);
    expect(registry.modeFor('jobs', LOW)).toBe('PARALLEL');
    expect(registry.modeFor(' JOBS ', HIGH)).toBe('LEGACY_ONLY');
    expect(registry.shadowFor('jobs', HIGH)).toBe(true);
    expect(registry.shadowFor('jobs', LOW)).toBe(false);
    // No use case: the `default` rollout.
    expect(registry.modeFor(null, HIGH)).toBe('NEW_ONLY');
    expect(registry.modeFor('', HIGH)).toBe('NEW_ONLY');
    // A use case with no rollout: the fallback mode.
    expect(registry.modeFor('support', LOW)).toBe('LEGACY_ONLY');
    expect(registry.modeFor('Job Application', LOW)).toBe('LEGACY_ONLY');
    expect(registry.shadowFor('support', LOW)).toBe(false);
    expect(registry.get('jobs')).toEqual(rollout('jobs', 'PARALLEL', 50, true));
    expect(registry.list()).toHaveLength(2);
  });

  it('falls back to NEW_ONLY and a 1 s refresh by default', () => {
    registry = new RolloutRegistry(new InMemoryRolloutStore());
    expect(registry.fallbackMode).toBe('NEW_ONLY');
    expect(registry.refreshMs).toBe(1_000);
    expect(registry.modeFor('jobs', LOW)).toBe('NEW_ONLY');
  });

  it('picks up a change made to the store directly (another process) on refresh()', async () => {
    registry = new RolloutRegistry(store, { refreshMs: 60_000 });
    await registry.onModuleInit();
    await store.save(rollout('jobs', 'LEGACY_ONLY', 50));
    await store.save(rollout('support', 'NEW_ONLY', 100));
    expect(registry.modeFor('jobs', LOW)).toBe('PARALLEL');
    expect(await registry.refresh()).toBe(true);
    expect(registry.modeFor('jobs', LOW)).toBe('LEGACY_ONLY');
    expect(registry.modeFor('support', HIGH)).toBe('NEW_ONLY');
    expect(Logger.prototype.log).toHaveBeenCalledWith(expect.stringMatching(/^Rollout jobs: PARALLEL 50% \+shadow → LEGACY_ONLY 50% \(by admin@example.com\)$/));
  });

  it('picks up a change by itself within refreshMs, without anyone calling refresh()', async () => {
    registry = new RolloutRegistry(store, { refreshMs: 20 });
    await registry.onModuleInit();
    await store.save(rollout('jobs', 'NEW_ONLY', 100));
    await waitFor(() => registry.modeFor('jobs', HIGH) === 'NEW_ONLY', 1_000);
    registry.onModuleDestroy();
    await store.save(rollout('jobs', 'LEGACY_ONLY', 100));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(registry.modeFor('jobs', HIGH)).toBe('NEW_ONLY'); // stopped
  });

  it('survives a failing store: keeps the last rollouts, warns once, never throws, recovers', async () => {
    registry = new RolloutRegistry(store, { refreshMs: 60_000 });
    await registry.onModuleInit();
    store.failWith = new Error('connection refused');
    await expect(registry.refresh()).resolves.toBe(false);
    await expect(registry.refresh()).resolves.toBe(false);
    expect(registry.modeFor('jobs', LOW)).toBe('PARALLEL');
    expect(registry.shadowFor('jobs', HIGH)).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/^Could not read the rollouts; keeping the 2 known: connection refused$/);

    store.failWith = null;
    await store.save(rollout('jobs', 'NEW_ONLY', 100));
    await expect(registry.refresh()).resolves.toBe(true);
    expect(registry.modeFor('jobs', HIGH)).toBe('NEW_ONLY');
  });

  it('a store that is down at start-up: the fallback mode until the first read succeeds', async () => {
    store.failWith = new Error('connection refused');
    registry = new RolloutRegistry(store, { refreshMs: 20, fallbackMode: 'LEGACY_ONLY' });
    await expect(registry.onModuleInit()).resolves.toBeUndefined();
    expect(registry.isLoaded).toBe(false);
    expect(registry.modeFor('jobs', LOW)).toBe('LEGACY_ONLY');
    store.failWith = null;
    await waitFor(() => registry.isLoaded, 1_000);
    expect(registry.modeFor('jobs', LOW)).toBe('PARALLEL');
  });

  it('a read that started before a newer state never overwrites it', async () => {
    let release!: (list: Rollout[]) => void;
    const slow: RolloutStore = {
      list: () => new Promise<Rollout[]>((resolve) => (release = resolve)),
      get: async () => null,
      save: async (r) => r,
    };
    registry = new RolloutRegistry(slow, { refreshMs: 60_000 });
    const stale = registry.refresh();
    registry.remember(rollout('jobs', 'LEGACY_ONLY', 100));
    release([rollout('jobs', 'NEW_ONLY', 100)]);
    await stale;
    expect(registry.modeFor('jobs', LOW)).toBe('LEGACY_ONLY');
  });

  it('exports legacy_rollout_percent{use_case,mode}, without series for modes left behind', async () => {
    const metrics = new MetricsService();
    registry = new RolloutRegistry(store, { refreshMs: 60_000 }, metrics);
    await registry.onModuleInit();
    expect(await series(metrics)).toEqual([
      { labels: { use_case: 'default', mode: 'NEW_ONLY' }, value: 100 },
      { labels: { use_case: 'jobs', mode: 'PARALLEL' }, value: 50 },
    ]);
    await store.save(rollout('jobs', 'LEGACY_ONLY', 50));
    await registry.refresh();
    expect(await series(metrics)).toEqual([
      { labels: { use_case: 'default', mode: 'NEW_ONLY' }, value: 100 },
      { labels: { use_case: 'jobs', mode: 'LEGACY_ONLY' }, value: 50 },
    ]);
  });

  it('refuses a refresh interval that is not a positive whole number of ms', () => {
    expect(() => new RolloutRegistry(store, { refreshMs: 0 })).toThrow(/^ROLLOUT_REFRESH_MS/);
  });
});

describe('rolloutOptionsFrom', () => {
  it('reads ROLLOUT_REFRESH_MS and LEGACY_DEFAULT_MODE, with their defaults', () => {
    expect(rolloutOptionsFrom({})).toEqual({ refreshMs: 1_000, fallbackMode: 'NEW_ONLY' });
    expect(rolloutOptionsFrom({ ROLLOUT_REFRESH_MS: 250, LEGACY_DEFAULT_MODE: 'LEGACY_ONLY' })).toEqual({ refreshMs: 250, fallbackMode: 'LEGACY_ONLY' });
    expect(() => rolloutOptionsFrom({ LEGACY_DEFAULT_MODE: 'SOMETIMES' })).toThrow(/mode: expected one of/);
  });
});

async function series(metrics: MetricsService): Promise<{ labels: Record<string, string | number>; value: number }[]> {
  const metric = await metrics.registry.getSingleMetric('legacy_rollout_percent')!.get();
  return metric.values
    .map((v) => ({ labels: v.labels as Record<string, string | number>, value: v.value }))
    .sort((a, b) => String(a.labels.use_case).localeCompare(String(b.labels.use_case)));
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
