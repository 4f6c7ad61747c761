import { ResilientJsonClient, ServiceUnreachableError, remoteErrorOf } from './resilient-json-client';

function scripted(answers: (Response | Error)[]) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('ResilientJsonClient', () => {
  it('retries network errors and 5xx with growing backoff, then returns the answer', async () => {
    const { fetch, calls } = scripted([new TypeError('ECONNREFUSED'), json(503, {}), json(200, { ok: true })]);
    const sleeps: number[] = [];
    const client = new ResilientJsonClient({ baseUrl: 'http://svc/', timeoutMs: 100, fetch, sleep: async (ms) => void sleeps.push(ms), headers: { authorization: 'Bearer t' } });
    await expect(client.request('POST', '/things', { a: 1 }, { 'idempotency-key': 'k' })).resolves.toEqual({ status: 200, body: { ok: true } });
    expect(sleeps).toEqual([100, 200]);
    expect(calls[0].url).toBe('http://svc/things');
    expect(calls[0].init?.headers).toMatchObject({ authorization: 'Bearer t', 'idempotency-key': 'k', 'content-type': 'application/json' });
  });

  it('honours Retry-After on 429, up to the cap', async () => {
    const { fetch } = scripted([json(429, {}, { 'retry-after': '1' }), json(200, {})]);
    const sleeps: number[] = [];
    const client = new ResilientJsonClient({ baseUrl: 'http://svc', timeoutMs: 100, maxBackoffMs: 5_000, fetch, sleep: async (ms) => void sleeps.push(ms) });
    await client.request('GET', '/x');
    expect(sleeps).toEqual([1_000]);
  });

  it('never retries a 4xx: it is an answer', async () => {
    const { fetch, calls } = scripted([json(404, { error: { code: 'NOT_FOUND' } })]);
    const client = new ResilientJsonClient({ baseUrl: 'http://svc', timeoutMs: 100, fetch, sleep: async () => undefined });
    await expect(client.request('GET', '/x')).resolves.toEqual({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(calls).toHaveLength(1);
  });

  it('gives up with ServiceUnreachableError after the configured retries', async () => {
    const { fetch, calls } = scripted([json(500, {}), json(502, {}), json(503, {})]);
    const client = new ResilientJsonClient({ baseUrl: 'http://svc', timeoutMs: 100, retries: 2, fetch, sleep: async () => undefined });
    await expect(client.request('GET', '/x')).rejects.toBeInstanceOf(ServiceUnreachableError);
    expect(calls).toHaveLength(3);
  });
});

describe('remoteErrorOf', () => {
  it('passes on only a well-formed code and one short line', () => {
    expect(remoteErrorOf({ error: { code: 'EMAIL_IN_USE', message: 'taken\nby someone' } })).toEqual({ code: 'EMAIL_IN_USE', message: 'taken by someone' });
    expect(remoteErrorOf({ error: { code: 'drop table;', message: 'x'.repeat(500) } }, 10)).toEqual({ code: undefined, message: 'x'.repeat(10) });
    expect(remoteErrorOf('not json')).toEqual({ code: undefined, message: undefined });
  });
});
