import { createHmac, randomBytes } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** The secret e2e gateways can be started with (NOTIFY_PROVIDER_WEBHOOK_SECRET). */
export const TEST_NOTIFY_WEBHOOK_SECRET = 'e2e-notify-webhook-secret-0123456789abcdef';
/** The token e2e notifiers can be started with (NOTIFY_PROVIDER_TOKEN). */
export const TEST_NOTIFY_PROVIDER_TOKEN = 'e2e-notify-provider-token';

/** One request the simulator received, whatever it answered. */
export interface NotifyProviderRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON, or the raw text when it was not JSON. */
  body: unknown;
  /** Epoch milliseconds. */
  receivedAt: number;
  status: number;
  /** A repeat of an idempotency key the simulator had already accepted. */
  duplicate: boolean;
}

/** The JSON body of POST /v1/messages (ProviderRequest in libs/notifications). */
export interface NotifyProviderMessageBody {
  channel: 'sms' | 'push';
  recipient: string;
  template: string;
  data: Record<string, string | number | boolean | null>;
  idempotencyKey: string;
}

/** A message the simulator accepted: one per idempotency key, as first received. */
export interface NotifyProviderMessage {
  /** The provider's id, returned as `{ id }`. */
  id: string;
  idempotencyKey: string;
  body: NotifyProviderMessageBody;
  headers: IncomingMessage['headers'];
  /** Epoch milliseconds. */
  receivedAt: number;
}

/** One status webhook the simulator posted, and the gateway's answer. */
export interface NotifyProviderWebhookCall {
  idempotencyKey: string;
  body: string;
  signature: string | null;
  status: number;
  responseBody: string;
}

export type DeliveryReport = 'delivered' | 'bounced' | 'failed';
export type BadSignature = 'mismatch' | 'stale' | 'malformed' | 'missing';

export interface NotifyProviderOptions {
  /** When set, POST /v1/messages needs `Authorization: Bearer <token>` (else 401). */
  token?: string;
  /** Signs status webhooks (NOTIFY_PROVIDER_WEBHOOK_SECRET of the gateway). */
  webhookSecret?: string;
  /** Where status webhooks go: the gateway's `…/webhooks/notifications/status`. */
  webhookUrl?: string;
}

interface ScriptedFailure {
  remaining: number;
  status: number;
  error: { code: string; message: string };
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A test double of the SMS/push provider, speaking docs/notification-provider.md over real HTTP
 * (plain node:http, 127.0.0.1, a free port): it records every request, keeps one message per
 * `Idempotency-Key` (a repeat answers 200 with the same id and is recorded as a duplicate),
 * fails on demand (`failNext`, `failAll`, `down`), and posts signed status webhooks back to the
 * gateway (`sendStatus`), or badly signed ones for negative tests.
 */
export class NotifyProviderSimulator {
  readonly requests: NotifyProviderRequest[] = [];
  readonly webhookCalls: NotifyProviderWebhookCall[] = [];
  webhookUrl?: string;
  private readonly accepted = new Map<string, NotifyProviderMessage>();
  private failures: ScriptedFailure[] = [];
  private failingAll: ScriptedFailure | null = null;
  private isDown = false;
  private server?: Server;
  private sequence = 0;

  private constructor(private readonly options: NotifyProviderOptions) {
    this.webhookUrl = options.webhookUrl;
  }

  static async start(options: NotifyProviderOptions = {}): Promise<NotifyProviderSimulator> {
    const simulator = new NotifyProviderSimulator(options);
    await simulator.listen();
    return simulator;
  }

  /** Base URL for NOTIFY_PROVIDER_URL. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the notify provider simulator is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The accepted messages, one per idempotency key, in order of arrival. */
  messages(): NotifyProviderMessage[] {
    return [...this.accepted.values()];
  }

  messageFor(idempotencyKey: string): NotifyProviderMessage | undefined {
    return this.accepted.get(idempotencyKey);
  }

  /** Requests to POST /v1/messages, optionally for one idempotency key. */
  messageRequests(idempotencyKey?: string): NotifyProviderRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages' && (idempotencyKey === undefined || r.headers['idempotency-key'] === idempotencyKey));
  }

  /**
   * The next `count` message requests answer `status` without accepting anything: 503 or 429
   * for an outage (the notifier retries), 400 INVALID_RECIPIENT for a permanent refusal.
   */
  failNext(count: number, status = 503, error?: { code: string; message: string }): void {
    this.failures.push({ remaining: count, status, error: error ?? defaultError(status) });
  }

  /** Every message request answers `status` until `failAll('reset')`. */
  failAll(status: number | 'reset', error?: { code: string; message: string }): void {
    this.failingAll = status === 'reset' ? null : { remaining: Infinity, status, error: error ?? defaultError(status) };
    if (status === 'reset') this.failures = [];
  }

  /** An outage: 503 to every request (the port stays open, so it is a provider answering "down"). */
  down(): void {
    this.isDown = true;
  }

  up(): void {
    this.isDown = false;
  }

  /** Forgets messages, requests, webhook calls and scripted failures. */
  reset(): void {
    this.requests.length = 0;
    this.webhookCalls.length = 0;
    this.accepted.clear();
    this.failures = [];
    this.failingAll = null;
    this.isDown = false;
  }

  /**
   * Posts a correctly signed status report for a delivery to `webhookUrl`, as the provider would
   * once the carrier or push service answers. Returns the gateway's HTTP status.
   */
  async sendStatus(idempotencyKey: string, status: DeliveryReport, reason?: string, extra: { occurredAt?: Date; providerMessageId?: string | null } = {}): Promise<number> {
    return this.postStatus(idempotencyKey, status, reason, extra, null);
  }

  /** The same, signed wrongly: another secret (`mismatch`), 10 minutes old (`stale`), garbled, or not at all. */
  async sendStatusWithBadSignature(idempotencyKey: string, status: DeliveryReport, reason?: string, kind: BadSignature = 'mismatch'): Promise<number> {
    return this.postStatus(idempotencyKey, status, reason, {}, kind);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async postStatus(
    idempotencyKey: string,
    status: DeliveryReport,
    reason: string | undefined,
    extra: { occurredAt?: Date; providerMessageId?: string | null },
    bad: BadSignature | null,
  ): Promise<number> {
    const url = this.webhookUrl;
    const secret = this.options.webhookSecret;
    if (!url || !secret) throw new Error('the notify provider simulator needs webhookUrl and webhookSecret to send status reports');
    const body = JSON.stringify({
      idempotencyKey,
      providerMessageId: extra.providerMessageId === undefined ? this.accepted.get(idempotencyKey)?.id ?? null : extra.providerMessageId,
      status,
      ...(reason === undefined ? {} : { reason }),
      occurredAt: (extra.occurredAt ?? new Date()).toISOString(),
    });
    const signature = signatureOf(body, secret, bad);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-provider-signature': signature }) },
      body,
    });
    const responseBody = await response.text();
    this.webhookCalls.push({ idempotencyKey, body, signature, status: response.status, responseBody });
    return response.status;
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const answer = this.answer(method, path, req.headers, body, receivedAt);
    this.requests.push({ method, path, headers: req.headers, body, receivedAt, status: answer.status, duplicate: answer.duplicate ?? false });
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.status === 429 ? { 'retry-after': '0' } : {}) });
    res.end(JSON.stringify(answer.payload));
  }

  private answer(
    method: string,
    path: string,
    headers: IncomingMessage['headers'],
    body: unknown,
    receivedAt: number,
  ): { status: number; payload: unknown; duplicate?: boolean } {
    if (this.isDown) return { status: 503, payload: { error: { code: 'PROVIDER_DOWN', message: 'simulated outage' } } };
    if (method !== 'POST' || path !== '/v1/messages') return { status: 404, payload: { error: { code: 'NOT_FOUND', message: `${method} ${path}` } } };
    if (this.options.token && headers.authorization !== `Bearer ${this.options.token}`) {
      return { status: 401, payload: { error: { code: 'UNAUTHORIZED', message: 'a valid bearer token is required' } } };
    }
    const failure = this.failures.find((f) => f.remaining > 0) ?? this.failingAll;
    if (failure) {
      failure.remaining--;
      this.failures = this.failures.filter((f) => f.remaining > 0);
      return { status: failure.status, payload: { error: failure.error } };
    }

    const key = headers['idempotency-key'];
    const b = body as Partial<NotifyProviderMessageBody> | undefined;
    const invalid = (message: string) => ({ status: 400, payload: { error: { code: 'INVALID_REQUEST', message } } });
    if (typeof key !== 'string' || !key) return invalid('the Idempotency-Key header is required');
    if (!b || typeof b !== 'object' || Array.isArray(b)) return invalid('the body must be a JSON object');
    if (b.idempotencyKey !== key) return invalid('idempotencyKey must equal the Idempotency-Key header');

    const existing = this.accepted.get(key);
    if (existing) return { status: 200, payload: { id: existing.id, duplicate: true }, duplicate: true };

    if (b.channel !== 'sms' && b.channel !== 'push') return invalid('channel must be sms or push');
    if (typeof b.template !== 'string' || !b.template) return invalid('template is required');
    if (!isTemplateData(b.data)) return invalid('data must be an object of strings, numbers, booleans or null');
    if (typeof b.recipient !== 'string' || !b.recipient || (b.channel === 'sms' && !E164.test(b.recipient))) {
      return { status: 400, payload: { error: { code: 'INVALID_RECIPIENT', message: b.channel === 'sms' ? 'recipient must be an E.164 number' : 'recipient must be a device token' } } };
    }
    const message: NotifyProviderMessage = {
      id: `msg_${++this.sequence}_${randomBytes(4).toString('hex')}`,
      idempotencyKey: key,
      body: { channel: b.channel, recipient: b.recipient, template: b.template, data: b.data, idempotencyKey: key },
      headers,
      receivedAt,
    };
    this.accepted.set(key, message);
    return { status: 202, payload: { id: message.id } };
  }
}

function isTemplateData(value: unknown): value is Record<string, string | number | boolean | null> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
}

function defaultError(status: number): { code: string; message: string } {
  if (status === 400) return { code: 'INVALID_RECIPIENT', message: 'simulated refusal of the recipient' };
  if (status === 429) return { code: 'RATE_LIMITED', message: 'simulated rate limit' };
  if (status >= 500) return { code: 'PROVIDER_UNAVAILABLE', message: 'simulated outage' };
  return { code: 'SIMULATED_FAILURE', message: 'simulated failure' };
}

/** The provider's scheme (docs/notification-provider.md), written out independently of our verifier. */
function signatureOf(body: string, secret: string, bad: BadSignature | null): string | null {
  if (bad === 'missing') return null;
  if (bad === 'malformed') return 'sha256=not-a-signature';
  const t = Math.floor(Date.now() / 1000) - (bad === 'stale' ? 600 : 0);
  const key = bad === 'mismatch' ? `${secret}-wrong` : secret;
  return `t=${t},v1=${createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`;
}
