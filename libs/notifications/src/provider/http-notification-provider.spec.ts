import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ErrorCategory } from '@libs/contracts';
import { ProviderRequest } from '../domain/delivery-ports';
import { DeliveryErrorCode, PermanentDeliveryError, TransientDeliveryError } from '../domain/delivery.errors';
import { HttpNotificationProvider, HttpNotificationProviderOptions, ProviderRejectedError } from './http-notification-provider';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'reset';

/** A real HTTP server answering from a script, so the adapter's own fetch, timeouts and resets are exercised. */
class ScriptedProvider {
  readonly received: Received[] = [];
  private answers: Answer[] = [];
  private server!: Server;
  private readonly hanging = new Set<ServerResponse>();

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  script(...answers: Answer[]): void {
    this.answers = answers;
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined });
    const answer = this.answers.shift() ?? { status: 500, body: { error: { code: 'UNSCRIPTED', message: 'no answer scripted' } } };
    if (answer === 'hang') return void this.hanging.add(res);
    if (answer === 'reset') return void req.socket.destroy();
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}

const sms: ProviderRequest = {
  channel: 'sms',
  recipient: '+33612345678',
  template: 'new-message',
  data: { conversationSubject: 'Lease renewal', authorName: 'Jane', unread: 2, urgent: false, link: null },
  idempotencyKey: 'dlv_6650f0c1:sms',
};

describe('HttpNotificationProvider', () => {
  const provider = new ScriptedProvider();
  const sleeps: number[] = [];

  beforeAll(() => provider.start());
  afterAll(() => provider.stop());
  beforeEach(() => (sleeps.length = 0));

  function adapter(options: Partial<HttpNotificationProviderOptions> = {}) {
    return new HttpNotificationProvider({ baseUrl: `${provider.url}/`, token: 'tok-123', timeoutMs: 500, sleep: async (ms) => void sleeps.push(ms), ...options });
  }

  it('posts exactly the documented JSON to /v1/messages with bearer token and Idempotency-Key, and returns the id', async () => {
    provider.script({ status: 202, body: { id: 'msg_1' } });
    const withExtras = { ...sms, secret: 'not for the provider' } as ProviderRequest;
    await expect(adapter().send(withExtras)).resolves.toEqual({ providerMessageId: 'msg_1' });
    expect(provider.received).toHaveLength(1);
    const [request] = provider.received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/messages');
    expect(request.headers).toMatchObject({ authorization: 'Bearer tok-123', 'idempotency-key': 'dlv_6650f0c1:sms', 'content-type': 'application/json' });
    expect(request.body).toEqual(sms);
  });

  it('sends no Authorization header without a token', async () => {
    provider.script({ status: 201, body: { id: 'msg_2' } });
    await adapter({ token: undefined }).send({ ...sms, channel: 'push', recipient: 'fcm:dGVzdC10b2tlbg' });
    expect(provider.received[0].headers.authorization).toBeUndefined();
    expect(provider.received[0].body).toMatchObject({ channel: 'push', recipient: 'fcm:dGVzdC10b2tlbg' });
  });

  it.each([200, 201, 202, 409])('takes HTTP %i with an id as sent (200/409: the provider already had this key)', async (status) => {
    provider.script({ status, body: { id: 'msg_dup', duplicate: true } });
    await expect(adapter().send(sms)).resolves.toEqual({ providerMessageId: 'msg_dup' });
  });

  it('retries a 5xx once with the same key, then succeeds', async () => {
    provider.script({ status: 503 }, { status: 202, body: { id: 'msg_3' } });
    await expect(adapter({ initialBackoffMs: 50 }).send(sms)).resolves.toEqual({ providerMessageId: 'msg_3' });
    expect(provider.received.map((r) => r.headers['idempotency-key'])).toEqual([sms.idempotencyKey, sms.idempotencyKey]);
    expect(sleeps).toEqual([50]);
  });

  it.each<[string, Answer]>([
    ['5xx', { status: 502, body: { error: { code: 'UPSTREAM', message: 'carrier down' } } }],
    ['429', { status: 429, headers: { 'retry-after': '0' } }],
    ['a reset connection', 'reset'],
  ])('after its quick retry, %s is a TransientDeliveryError (the delivery core retries later)', async (_name, answer) => {
    provider.script(answer, answer);
    const error = await adapter().send(sms).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ code: DeliveryErrorCode.ProviderUnavailable, category: ErrorCategory.Unavailable });
    expect(provider.received).toHaveLength(2);
  });

  it('gives each attempt its own timeout: a provider that hangs ends Transient, quickly', async () => {
    provider.script('hang', 'hang');
    const started = Date.now();
    await expect(adapter({ timeoutMs: 50 }).send(sms)).rejects.toBeInstanceOf(TransientDeliveryError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(provider.received).toHaveLength(2);
  });

  it('a provider that is not listening is Transient', async () => {
    const closed = new ScriptedProvider();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    await expect(adapter({ baseUrl: url, retries: 0 }).send(sms)).rejects.toBeInstanceOf(TransientDeliveryError);
  });

  it('a 4xx refusal is permanent, carries the sanitized provider code and message, and is not retried', async () => {
    provider.script({ status: 400, body: { error: { code: 'INVALID_RECIPIENT', message: 'not an\nE.164 number' } } });
    const error = await adapter().send(sms).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({ httpStatus: 400, providerCode: 'INVALID_RECIPIENT', code: DeliveryErrorCode.Rejected, category: ErrorCategory.Invalid });
    expect((error as Error).message).toBe('The notification provider refused the message (HTTP 400, INVALID_RECIPIENT: not an E.164 number).');
    expect(provider.received).toHaveLength(1);
  });

  it('drops an ill-formed provider code and cuts a long message', async () => {
    provider.script({ status: 422, body: { error: { code: '<script>', message: 'x'.repeat(1_000) } } });
    const error = (await adapter().send(sms).catch((e: unknown) => e)) as ProviderRejectedError;
    expect(error.providerCode).toBeUndefined();
    expect(error.message).not.toContain('<script>');
    expect(error.message.length).toBeLessThan(300);
  });

  it('a 4xx without a JSON body is still permanent', async () => {
    provider.script({ status: 404 });
    await expect(adapter().send(sms)).rejects.toMatchObject({ httpStatus: 404, message: 'The notification provider refused the message (HTTP 404).' });
  });

  it.each([401, 403])('HTTP %i (our credentials) is Transient and says which setting to check, so no delivery fails for good', async (status) => {
    provider.script({ status, body: { error: { code: 'UNAUTHORIZED', message: 'bad token' } } });
    const error = await adapter().send(sms).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect((error as Error).message).toContain('NOTIFY_PROVIDER_TOKEN');
    expect(provider.received).toHaveLength(1);
  });

  it('409 without an id (the key still in flight at the provider) is Transient', async () => {
    provider.script({ status: 409, body: { error: { code: 'REQUEST_IN_PROGRESS', message: 'busy' } } });
    await expect(adapter().send(sms)).rejects.toBeInstanceOf(TransientDeliveryError);
  });

  it('a success without an id is Transient (a retry with the same key returns it)', async () => {
    provider.script({ status: 202, body: { accepted: true } });
    await expect(adapter().send(sms)).rejects.toThrow('without a message id');
  });

  it('takes an integer id as a string', async () => {
    provider.script({ status: 202, body: { id: 42 } });
    await expect(adapter().send(sms)).resolves.toEqual({ providerMessageId: '42' });
  });
});
