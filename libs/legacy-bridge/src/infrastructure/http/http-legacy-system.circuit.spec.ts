import { ErrorCategory } from '@libs/contracts';
import { LegacyBridgeErrorCode } from '../../domain/legacy-bridge.errors';
import { HttpLegacySystem, LegacyCircuitState } from './http-legacy-system.adapter';

/** A fetch whose health the test switches, counting the requests that reached "the network". */
function switchableFetch() {
  const state = { up: false, requests: 0 };
  const fetchStub = (async () => {
    state.requests++;
    if (!state.up) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    return new Response(JSON.stringify({ addresses: ['old@example.com'] }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { fetch: fetchStub, state };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HttpLegacySystem: circuit breaker', () => {
  function systemWith(options: { volumeThreshold?: number; resetTimeoutMs?: number } = {}) {
    const { fetch, state } = switchableFetch();
    const states: LegacyCircuitState[] = [];
    const legacy = new HttpLegacySystem({
      baseUrl: 'http://legacy.test',
      fetch,
      retries: 0,
      timeoutMs: 100,
      circuitBreaker: { volumeThreshold: options.volumeThreshold ?? 4, errorThresholdPercentage: 50, rollingWindowMs: 10_000, resetTimeoutMs: options.resetTimeoutMs ?? 80 },
      onCircuitStateChange: (s) => states.push(s),
    });
    return { legacy, state, states };
  }

  it('opens after repeated failures, then fails fast with LEGACY_SYSTEM_UNAVAILABLE without calling the legacy system', async () => {
    const { legacy, state, states } = systemWith({ resetTimeoutMs: 60_000 });
    for (let i = 0; i < 4; i++) await expect(legacy.senderAddresses('a@example.com')).rejects.toMatchObject({ code: LegacyBridgeErrorCode.Unavailable });
    expect(state.requests).toBe(4);
    expect(legacy.circuitState).toBe('open');

    const started = Date.now();
    const error = await legacy.postMessage({
      idempotencyKey: 'k',
      conversationId: 'c',
      useCase: null,
      subject: 's',
      message: { id: 'm', body: 'b', createdAt: new Date().toISOString(), authorEmail: 'a@example.com', authorDisplayName: 'A', source: 'CHAT' },
      participants: [],
      suppressNotification: true,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: LegacyBridgeErrorCode.Unavailable, category: ErrorCategory.Unavailable, retryable: true });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(state.requests).toBe(4);
    expect(states).toEqual(['closed', 'open']);
    legacy.onApplicationShutdown();
  });

  it('does not open below the volume threshold', async () => {
    const { legacy, state } = systemWith({ volumeThreshold: 10 });
    for (let i = 0; i < 9; i++) await expect(legacy.senderAddresses('a@example.com')).rejects.toMatchObject({ code: LegacyBridgeErrorCode.Unavailable });
    expect(legacy.circuitState).toBe('closed');
    expect(state.requests).toBe(9);
    legacy.onApplicationShutdown();
  });

  it('does not count answers (4xx) as failures', async () => {
    let requests = 0;
    const fetch = (async () => {
      requests++;
      return new Response(JSON.stringify({ error: { code: 'BAD' } }), { status: 422 });
    }) as unknown as typeof globalThis.fetch;
    const legacy = new HttpLegacySystem({ baseUrl: 'http://legacy.test', fetch, retries: 0, circuitBreaker: { volumeThreshold: 2 } });
    for (let i = 0; i < 5; i++) await expect(legacy.cancelReminders({ idempotencyKey: 'k', conversationId: 'c', participantEmail: 'a@b.c', reason: 'read' })).rejects.toMatchObject({ code: LegacyBridgeErrorCode.Rejected });
    expect(requests).toBe(5);
    expect(legacy.circuitState).toBe('closed');
    legacy.onApplicationShutdown();
  });

  it('half-opens after the reset timeout: a failed probe opens it again, a successful one closes it', async () => {
    const { legacy, state, states } = systemWith({ resetTimeoutMs: 60 });
    for (let i = 0; i < 4; i++) await legacy.senderAddresses('a@example.com').catch(() => undefined);
    expect(legacy.circuitState).toBe('open');

    await wait(90);
    expect(legacy.circuitState).toBe('half-open');
    await expect(legacy.senderAddresses('a@example.com')).rejects.toMatchObject({ code: LegacyBridgeErrorCode.Unavailable });
    expect(state.requests).toBe(5);
    expect(legacy.circuitState).toBe('open');

    await wait(90);
    state.up = true;
    expect(await legacy.senderAddresses('a@example.com')).toEqual(['old@example.com']);
    expect(legacy.circuitState).toBe('closed');
    expect(await legacy.senderAddresses('a@example.com')).toEqual(['old@example.com']);
    expect(state.requests).toBe(7);
    expect(states).toEqual(['closed', 'open', 'half-open', 'open', 'half-open', 'closed']);
    legacy.onApplicationShutdown();
  });

  it('can be turned off', async () => {
    const { fetch, state } = switchableFetch();
    const legacy = new HttpLegacySystem({ baseUrl: 'http://legacy.test', fetch, retries: 0, circuitBreaker: false });
    for (let i = 0; i < 20; i++) await legacy.senderAddresses('a@example.com').catch(() => undefined);
    expect(state.requests).toBe(20);
    expect(legacy.circuitState).toBe('closed');
  });
});
