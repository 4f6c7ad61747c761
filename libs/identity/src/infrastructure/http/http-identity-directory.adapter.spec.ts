import { DomainError, ErrorCategory } from '@libs/contracts';
import { IdentityErrorCode } from '../../domain/identity-error';
import { HttpIdentityDirectory } from './http-identity-directory.adapter';

type Reply = Response | Error | 'hang';

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(replies: Reply[]) {
  const requests: { url: string; method: string; headers: Record<string, string>; body?: string }[] = [];
  const fetchStub = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: init?.headers as Record<string, string>,
      body: init?.body as string | undefined,
    });
    const reply = replies.shift() ?? new Error('no more scripted replies');
    if (reply === 'hang') {
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetch: fetchStub as typeof fetch, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const account = { id: 'acc-1', email: 'jane@example.com', displayName: 'Jane', previousEmails: ['old@example.com'] };

function directoryWith(replies: Reply[], options: { timeoutMs?: number } = {}) {
  const { fetch, requests } = scriptedFetch(replies);
  const sleeps: number[] = [];
  const directory = new HttpIdentityDirectory({
    baseUrl: 'http://identity.test/v1/',
    token: 'service-token',
    fetch,
    timeoutMs: options.timeoutMs ?? 1_000,
    retries: 3,
    initialBackoffMs: 100,
    maxBackoffMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { directory, requests, sleeps };
}

describe('HttpIdentityDirectory', () => {
  it('looks an address up by its normalised, URL-encoded form, with the service token', async () => {
    const { directory, requests } = directoryWith([json(200, account)]);
    expect(await directory.findByEmail(' Jane+Tag@Example.com ')).toEqual(account);
    expect(requests[0].url).toBe('http://identity.test/v1/accounts/by-email/jane%2Btag%40example.com');
    expect(requests[0].headers.authorization).toBe('Bearer service-token');
  });

  it('treats 404 as "no such account"', async () => {
    const { directory } = directoryWith([json(404, { error: { code: 'ACCOUNT_NOT_FOUND', message: 'no' } }), new Response(null, { status: 404 })]);
    expect(await directory.findByEmail('nobody@example.com')).toBeNull();
    expect(await directory.findById('nope')).toBeNull();
  });

  it('upserts with PUT /accounts and a JSON body', async () => {
    const { directory, requests } = directoryWith([json(201, account)]);
    await directory.upsert({ email: 'Jane@Example.com', displayName: 'Jane', previousEmails: ['OLD@example.com'] });
    expect(requests[0]).toMatchObject({ url: 'http://identity.test/v1/accounts', method: 'PUT' });
    expect(requests[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(requests[0].body!)).toEqual({ email: 'jane@example.com', displayName: 'Jane', previousEmails: ['old@example.com'] });
  });

  it('leaves previousEmails out of the body when the upsert does not give them', async () => {
    const { directory, requests } = directoryWith([json(200, account)]);
    await directory.upsert({ email: 'jane@example.com', displayName: 'Jane' });
    expect(JSON.parse(requests[0].body!)).toEqual({ email: 'jane@example.com', displayName: 'Jane' });
  });

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const { directory, requests, sleeps } = directoryWith([new Response('', { status: 503 }), new Response('', { status: 502 }), json(200, account)]);
    expect(await directory.findById('acc-1')).toEqual(account);
    expect(requests).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('retries network errors, then gives up with IDENTITY_UNAVAILABLE', async () => {
    const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { directory, requests, sleeps } = directoryWith([refused(), refused(), refused(), refused()]);
    const error = await directory.findByEmail('a@example.com').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ category: ErrorCategory.Unavailable, code: IdentityErrorCode.Unavailable });
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('gives each attempt its own timeout and retries a request that hangs', async () => {
    const { directory, requests } = directoryWith(['hang', json(200, account)], { timeoutMs: 30 });
    expect(await directory.findById('acc-1')).toEqual(account);
    expect(requests).toHaveLength(2);
  });

  it('honours Retry-After on 429, within the backoff cap', async () => {
    const { directory, sleeps } = directoryWith([
      json(429, {}, { 'retry-after': '1' }),
      json(429, {}, { 'retry-after': '3600' }),
      json(200, account),
    ]);
    await directory.findById('acc-1');
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it('does not retry a 4xx: 400 is Invalid, 409 is Conflict, both with the service message', async () => {
    const invalid = directoryWith([json(400, { error: { code: 'INVALID_EMAIL', message: 'email is not a valid email address.' } })]);
    await expect(invalid.directory.upsert({ email: 'a@example.com', displayName: 'A' })).rejects.toMatchObject({
      category: ErrorCategory.Invalid,
      code: 'INVALID_EMAIL',
      message: 'email is not a valid email address.',
    });
    expect(invalid.requests).toHaveLength(1);

    const conflict = directoryWith([json(409, { error: { code: 'EMAIL_IN_USE', message: 'b@example.com is taken' } })]);
    await expect(conflict.directory.upsert({ email: 'a@example.com', displayName: 'A', previousEmails: ['b@example.com'] })).rejects.toMatchObject({
      category: ErrorCategory.Conflict,
      code: IdentityErrorCode.EmailInUse,
    });
    expect(conflict.requests).toHaveLength(1);
  });

  it('treats 401/403 as a deployment bug: an internal error, not retried', async () => {
    const { directory, requests } = directoryWith([json(401, { error: { code: 'UNAUTHORIZED', message: 'bad token' } })]);
    const error = await directory.findById('acc-1').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DomainError);
    expect((error as Error).message).toBe('The identity service answered HTTP 401 (UNAUTHORIZED)');
    expect(requests).toHaveLength(1);
  });

  it('refuses a malformed account instead of passing it on', async () => {
    const { directory } = directoryWith([json(200, { id: 7, email: null })]);
    await expect(directory.findById('acc-1')).rejects.toThrow('malformed account');
  });

  it('sanitises the service message before it reaches a caller', async () => {
    const { directory } = directoryWith([json(400, { error: { code: 'lower-case', message: `line1\r\nline2${'x'.repeat(500)}` } })]);
    const error = (await directory.upsert({ email: 'a@example.com', displayName: 'A' }).catch((e: unknown) => e)) as DomainError;
    expect(error.code).toBe(IdentityErrorCode.InvalidEmail);
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message.length).toBeLessThanOrEqual(300);
  });
});
