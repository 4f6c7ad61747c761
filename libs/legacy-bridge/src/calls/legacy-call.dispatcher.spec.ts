import { Logger } from '@nestjs/common';
import { MetricsService } from '@libs/observability';
import { LegacyBridgeErrors } from '../domain/legacy-bridge.errors';
import { LegacyCancelReminders, LegacyPostMessage, LegacySystem } from '../domain/legacy-system.port';
import { InMemoryLegacyCallQueue } from './in-memory-legacy-call.queue';
import { LegacyCallDispatcher } from './legacy-call.dispatcher';
import { LegacyCallsOptions, legacyCallBackoffMs } from './legacy-calls.options';

beforeAll(() => Logger.overrideLogger(false));

const post = (key: string, overrides: Partial<LegacyPostMessage> = {}): LegacyPostMessage => ({
  idempotencyKey: key,
  conversationId: 'c-1',
  useCase: null,
  subject: 'Hello',
  message: { id: `m-${key}`, body: 'Hi', createdAt: '2025-01-01T00:00:00.000Z', authorEmail: 'jane@example.com', authorDisplayName: 'Jane', source: 'CHAT' },
  participants: [],
  suppressNotification: true,
  ...overrides,
});

/** A LegacySystem whose answers the test scripts: `down` (Unavailable), `refuse` (Rejected), `broken` (a plain error), or up. */
function fakeLegacy() {
  const state: { mode: 'up' | 'down' | 'refuse' | 'broken'; posts: LegacyPostMessage[]; cancellations: LegacyCancelReminders[]; seen: Set<string> } = {
    mode: 'up',
    posts: [],
    cancellations: [],
    seen: new Set(),
  };
  const fail = () => {
    if (state.mode === 'down') throw LegacyBridgeErrors.unavailable(new Error('ECONNREFUSED'));
    if (state.mode === 'refuse') throw LegacyBridgeErrors.rejected(422, 'UNKNOWN_CONVERSATION');
    if (state.mode === 'broken') throw new Error('The legacy system answered HTTP 401');
  };
  const legacy: LegacySystem = {
    handOverInboundEmail: async () => [],
    resolveAlias: async () => null,
    postMessage: async (call) => {
      fail();
      state.posts.push(call);
      const duplicate = state.seen.has(call.idempotencyKey);
      state.seen.add(call.idempotencyKey);
      return { legacyMessageId: `LM-${call.idempotencyKey}`, duplicate };
    },
    cancelReminders: async (call) => {
      fail();
      state.cancellations.push(call);
    },
    senderAddresses: async () => [],
    notificationsSent: async () => null,
  };
  return { legacy, state };
}

function setup(options: LegacyCallsOptions = {}, legacyPresent = true) {
  let now = new Date('2025-01-01T00:00:00.000Z').getTime();
  const clock = () => new Date(now);
  const queue = new InMemoryLegacyCallQueue(clock);
  const { legacy, state } = fakeLegacy();
  const metrics = new MetricsService();
  const dispatcher = new LegacyCallDispatcher(queue, { now: clock, random: () => 1, ...options }, metrics, legacyPresent ? legacy : null);
  const counted = async (kind: string, result: string) =>
    (await metrics.registry.getSingleMetric('legacy_calls_total')!.get()).values.find((v) => v.labels.kind === kind && v.labels.result === result)?.value ?? 0;
  const pendingGauge = async () => (await metrics.registry.getSingleMetric('legacy_calls_pending')!.get()).values[0]?.value;
  return { queue, state, dispatcher, counted, pendingGauge, advance: (ms: number) => (now += ms), at: () => now };
}

describe('LegacyCallDispatcher', () => {
  it('executes a due call through the legacy system with its idempotency key and marks it done with the answer', async () => {
    const { queue, state, dispatcher, counted, pendingGauge } = setup();
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:1', payload: post('c-1:1') });
    expect(await dispatcher.drain()).toEqual({ done: 1, retried: 0, failed: 0, skipped: 0 });
    expect(state.posts).toEqual([post('c-1:1')]);
    expect(await queue.get('post-message', 'c-1:1')).toMatchObject({ state: 'done', attempts: 1, result: { legacyMessageId: 'LM-c-1:1', duplicate: false } });
    expect(await counted('post-message', 'done')).toBe(1);
    expect(await pendingGauge()).toBe(0);
  });

  it('enqueueing the same call twice records one call, executed once', async () => {
    const { queue, state, dispatcher } = setup();
    expect(await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:2', payload: post('c-1:2') })).toEqual({ enqueued: true });
    expect(await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:2', payload: post('c-1:2', { subject: 'changed' }) })).toEqual({ enqueued: false });
    await dispatcher.drain();
    await dispatcher.drain();
    expect(state.posts).toEqual([post('c-1:2')]);
    expect(queue.all()).toHaveLength(1);
  });

  it('a message and a reminder cancellation sharing a key stay two calls', async () => {
    const { queue, state, dispatcher } = setup();
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:3', payload: post('c-1:3') });
    await queue.enqueue({ kind: 'cancel-reminders', idempotencyKey: 'c-1:3', payload: { idempotencyKey: 'c-1:3', conversationId: 'c-1', participantEmail: 'jane@example.com', reason: 'reply' } });
    expect(await dispatcher.drain()).toMatchObject({ done: 2 });
    expect(state.posts).toHaveLength(1);
    expect(state.cancellations).toEqual([{ idempotencyKey: 'c-1:3', conversationId: 'c-1', participantEmail: 'jane@example.com', reason: 'reply' }]);
    expect(await queue.get('cancel-reminders', 'c-1:3')).toMatchObject({ state: 'done', result: null });
  });

  it('while the legacy system is unavailable: retried with growing delays (capped), never given up, done once it is back', async () => {
    const { queue, state, dispatcher, counted, pendingGauge, advance, at } = setup({ initialBackoffMs: 1_000, maxBackoffMs: 8_000 });
    state.mode = 'down';
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:4', payload: post('c-1:4') });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      expect(await dispatcher.drain()).toEqual({ done: 0, retried: 1, failed: 0, skipped: 0 });
      const call = (await queue.get('post-message', 'c-1:4'))!;
      expect(call).toMatchObject({ state: 'pending', attempts: attempt, lastError: expect.stringContaining('unavailable') });
      delays.push(call.nextAttemptAt.getTime() - at());
      // Not due before its time.
      advance(delays[delays.length - 1] - 1);
      expect(await dispatcher.drain()).toEqual({ done: 0, retried: 0, failed: 0, skipped: 0 });
      advance(1);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(await counted('post-message', 'unavailable')).toBe(6);
    expect(await pendingGauge()).toBe(1);

    state.mode = 'up';
    expect(await dispatcher.drain()).toEqual({ done: 1, retried: 0, failed: 0, skipped: 0 });
    expect(await queue.get('post-message', 'c-1:4')).toMatchObject({ state: 'done', attempts: 7 });
    expect(state.posts).toHaveLength(1);
    expect(await pendingGauge()).toBe(0);
  });

  it('a permanent refusal marks the call failed, with the error; it is not retried', async () => {
    const { queue, state, dispatcher, counted, advance } = setup();
    state.mode = 'refuse';
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:5', payload: post('c-1:5') });
    expect(await dispatcher.drain()).toEqual({ done: 0, retried: 0, failed: 1, skipped: 0 });
    expect(await queue.get('post-message', 'c-1:5')).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringContaining('HTTP 422, UNKNOWN_CONVERSATION') });
    state.mode = 'up';
    advance(3_600_000);
    await dispatcher.drain();
    expect(state.posts).toEqual([]);
    expect(await counted('post-message', 'failed')).toBe(1);
  });

  it('an unexpected error (e.g. 401: a deployment error) is retried like unavailability, so the call survives the fix', async () => {
    const { queue, state, dispatcher, counted, advance } = setup();
    state.mode = 'broken';
    await queue.enqueue({ kind: 'cancel-reminders', idempotencyKey: 'k-6', payload: { idempotencyKey: 'k-6', conversationId: 'c-1', participantEmail: 'a@example.com', reason: 'read' } });
    expect(await dispatcher.drain()).toMatchObject({ retried: 1 });
    expect(await counted('cancel-reminders', 'error')).toBe(1);
    state.mode = 'up';
    advance(1_000);
    expect(await dispatcher.drain()).toMatchObject({ done: 1 });
  });

  it('counts a duplicate answer (another instance executed it first) as done', async () => {
    const { queue, state, dispatcher, counted } = setup();
    state.seen.add('c-1:7');
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:7', payload: post('c-1:7') });
    await dispatcher.drain();
    expect(await queue.get('post-message', 'c-1:7')).toMatchObject({ state: 'done', result: { duplicate: true } });
    expect(await counted('post-message', 'duplicate')).toBe(1);
  });

  it('does not execute a call another dispatcher holds, until its lease ends', async () => {
    const { queue, state, dispatcher, advance, at } = setup({ leaseMs: 30_000 });
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:8', payload: post('c-1:8') });
    expect(await queue.claim('post-message:c-1:8', new Date(at()), new Date(at() + 30_000))).not.toBeNull();
    expect(await dispatcher.drain()).toEqual({ done: 0, retried: 0, failed: 0, skipped: 0 });
    advance(30_000);
    expect(await dispatcher.drain()).toMatchObject({ done: 1 });
    expect(state.posts).toHaveLength(1);
  });

  it('works through more calls than one batch in one pass, a few at a time', async () => {
    const { queue, state, dispatcher } = setup({ batchSize: 3, concurrency: 2 });
    for (let i = 0; i < 10; i++) await queue.enqueue({ kind: 'post-message', idempotencyKey: `c-2:${i}`, payload: post(`c-2:${i}`) });
    expect(await dispatcher.drain()).toMatchObject({ done: 10 });
    expect(state.posts.map((p) => p.idempotencyKey).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `c-2:${i}`).sort());
  });

  it('without a legacy system: calls are recorded and left pending', async () => {
    const { queue, dispatcher, pendingGauge } = setup({}, false);
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:9', payload: post('c-1:9') });
    expect(await dispatcher.drain()).toEqual({ done: 0, retried: 0, failed: 0, skipped: 0 });
    expect(await queue.get('post-message', 'c-1:9')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await pendingGauge()).toBe(1);
  });

  it('polls by itself every pollMs once bootstrapped, and stops on shutdown', async () => {
    const { queue, state, dispatcher } = setup({ pollMs: 10, now: () => new Date() });
    dispatcher.onApplicationBootstrap();
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:10', payload: post('c-1:10') });
    for (let i = 0; i < 100 && state.posts.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(state.posts).toHaveLength(1);
    await dispatcher.onApplicationShutdown();
  });

  it('does not poll when disabled', async () => {
    const { queue, state, dispatcher } = setup({ pollMs: 5, enabled: false, now: () => new Date() });
    dispatcher.onApplicationBootstrap();
    await queue.enqueue({ kind: 'post-message', idempotencyKey: 'c-1:11', payload: post('c-1:11') });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(state.posts).toEqual([]);
    await dispatcher.onApplicationShutdown();
  });
});

describe('legacyCallBackoffMs', () => {
  it('doubles from the initial delay up to the cap, with jitter between half and all of it', () => {
    const options = { initialBackoffMs: 1_000, maxBackoffMs: 60_000 };
    expect([1, 2, 3, 6, 7, 8, 100].map((n) => legacyCallBackoffMs(n, options, 1))).toEqual([1_000, 2_000, 4_000, 32_000, 60_000, 60_000, 60_000]);
    expect(legacyCallBackoffMs(3, options, 0)).toBe(2_000);
    expect(legacyCallBackoffMs(3, options, 0.5)).toBe(3_000);
  });
});
