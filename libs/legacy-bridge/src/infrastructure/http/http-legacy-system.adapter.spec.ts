import { DomainError, ErrorCategory } from '@libs/contracts';
import { LegacyBridgeErrorCode } from '../../domain/legacy-bridge.errors';
import { HttpLegacySystem } from './http-legacy-system.adapter';

type Reply = Response | Error | 'hang';

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(replies: Reply[]) {
  const requests: { url: string; method: string; headers: Record<string, string>; body?: string }[] = [];
  const fetchStub = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({ url: String(input), method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body as string | undefined });
    const reply = replies.shift() ?? new Error('no more scripted replies');
    if (reply === 'hang') return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetch: fetchStub as typeof fetch, requests };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
const handOver = {
  inboundEmailId: 'abc123',
  blobKey: 'raw/ab/abc123',
  rawSha256: 'abc123',
  legacyAliases: ['0B7E9F1A-3C2D-4E5F-8A9B-0C1D2E3F4A5B@legacy.example.com'],
  envelopeSender: 'jane@example.com',
};

function systemWith(replies: Reply[], options: { timeoutMs?: number } = {}) {
  const { fetch, requests } = scriptedFetch(replies);
  const sleeps: number[] = [];
  const system = new HttpLegacySystem({
    baseUrl: 'http://legacy.test/bridge/',
    fetch,
    timeoutMs: options.timeoutMs ?? 1_000,
    retries: 3,
    initialBackoffMs: 100,
    maxBackoffMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { system, requests, sleeps };
}

describe('HttpLegacySystem', () => {
  it('hands an email over with POST /inbound-emails, one per alias, with an idempotency key of email id and alias', async () => {
    const { system, requests } = systemWith([json(201, { accepted: true }), json(200, { accepted: true, duplicate: true })]);
    const results = await system.handOverInboundEmail({ ...handOver, legacyAliases: [...handOver.legacyAliases, 'b@legacy.example.com'] });
    expect(results).toEqual([
      { alias: '0b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com', duplicate: false },
      { alias: 'b@legacy.example.com', duplicate: true },
    ]);
    expect(requests.map((r) => [r.method, r.url, r.headers['idempotency-key']])).toEqual([
      ['POST', 'http://legacy.test/bridge/inbound-emails', 'abc123:0b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com'],
      ['POST', 'http://legacy.test/bridge/inbound-emails', 'abc123:b@legacy.example.com'],
    ]);
    expect(JSON.parse(requests[0].body!)).toEqual({
      inboundEmailId: 'abc123',
      alias: '0b7e9f1a-3c2d-4e5f-8a9b-0c1d2e3f4a5b@legacy.example.com',
      blobKey: 'raw/ab/abc123',
      rawSha256: 'abc123',
      envelopeSender: 'jane@example.com',
    });
  });

  it('resolves an alias with GET /aliases/{address}; 404 is "unknown"', async () => {
    const { system, requests } = systemWith([json(200, { legacyConversationId: 'L-1', conversationId: 'c-1' }), json(200, { legacyConversationId: 'L-2' }), json(404, {})]);
    expect(await system.resolveAlias('A+b@Legacy.example.com')).toEqual({ legacyConversationId: 'L-1', conversationId: 'c-1' });
    expect(await system.resolveAlias('x@legacy.example.com')).toEqual({ legacyConversationId: 'L-2', conversationId: null });
    expect(await system.resolveAlias('y@legacy.example.com')).toBeNull();
    expect(requests[0].url).toBe('http://legacy.test/bridge/aliases/a%2Bb%40legacy.example.com');
  });

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const { system, requests, sleeps } = systemWith([new Response('', { status: 503 }), new Response('', { status: 502 }), json(201, {})]);
    expect(await system.handOverInboundEmail(handOver)).toHaveLength(1);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(sleeps).toEqual([100, 200]);
  });

  it('retries network errors, then gives up with LEGACY_SYSTEM_UNAVAILABLE (category Unavailable)', async () => {
    const { system, requests, sleeps } = systemWith([refused(), refused(), refused(), refused()]);
    const error = await system.handOverInboundEmail(handOver).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ category: ErrorCategory.Unavailable, code: LegacyBridgeErrorCode.Unavailable, retryable: true });
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('caps the backoff', async () => {
    const { fetch } = scriptedFetch([refused(), refused(), refused(), refused(), refused(), refused(), json(200, { legacyConversationId: 'L' })]);
    const sleeps: number[] = [];
    const system = new HttpLegacySystem({ baseUrl: 'http://legacy.test', fetch, retries: 6, initialBackoffMs: 100, maxBackoffMs: 500, sleep: async (ms) => void sleeps.push(ms) });
    await system.resolveAlias('a@legacy.example.com');
    expect(sleeps).toEqual([100, 200, 400, 500, 500, 500]);
  });

  it('gives each attempt its own timeout and retries a request that hangs', async () => {
    const { system, requests } = systemWith(['hang', 'hang', json(200, { legacyConversationId: 'L-1', conversationId: null })], { timeoutMs: 30 });
    const started = Date.now();
    expect(await system.resolveAlias('a@legacy.example.com')).toEqual({ legacyConversationId: 'L-1', conversationId: null });
    expect(requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a request that always hangs ends Unavailable, not never', async () => {
    const { system } = systemWith(['hang', 'hang', 'hang', 'hang'], { timeoutMs: 20 });
    await expect(system.handOverInboundEmail(handOver)).rejects.toMatchObject({ category: ErrorCategory.Unavailable });
  });

  it('does not retry a 4xx: 400/409/422 are Invalid, 401 is an internal error', async () => {
    const invalid = systemWith([json(422, { error: { code: 'BAD_ALIAS', message: 'no' } })]);
    await expect(invalid.system.handOverInboundEmail(handOver)).rejects.toMatchObject({ category: ErrorCategory.Invalid, code: LegacyBridgeErrorCode.Rejected });
    expect(invalid.requests).toHaveLength(1);

    const unauthorized = systemWith([json(401, {})]);
    const error = await unauthorized.system.resolveAlias('a@legacy.example.com').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DomainError);
    expect((error as Error).message).toBe('The legacy system answered HTTP 401');
    expect(unauthorized.requests).toHaveLength(1);
  });

  it('refuses a malformed alias instead of passing it on', async () => {
    const { system } = systemWith([json(200, { conversationId: 'c-1' })]);
    await expect(system.resolveAlias('a@legacy.example.com')).rejects.toThrow('malformed alias');
  });
});
