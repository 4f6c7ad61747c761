import { IncomingMessage, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { ErrorCategory } from '@libs/contracts';
import { LegacySimulator } from '../../../../../test/support/legacy-simulator';
import { LegacyBridgeErrorCode } from '../../domain/legacy-bridge.errors';
import { LegacyPostMessage } from '../../domain/legacy-system.port';
import { HttpLegacySystem } from './http-legacy-system.adapter';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Handler = (req: Seen) => { status: number; body?: unknown };

/** A real HTTP server on 127.0.0.1 answering from `handler`, recording what it was asked. */
async function localServer(handler: Handler): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: text ? JSON.parse(text) : undefined };
    seen.push(request);
    const { status, body } = handler(request);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bridge`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const post: LegacyPostMessage = {
  idempotencyKey: 'c-1:7',
  conversationId: 'c-1',
  useCase: null,
  subject: 'Your order',
  message: { id: 'm-7', body: 'Hello', createdAt: '2025-01-02T03:04:05.000Z', authorEmail: 'Jane@Example.com', authorDisplayName: 'Jane', source: 'CHAT' },
  participants: [
    { email: 'jane@example.com', displayName: 'Jane', role: null },
    { email: 'Bob@Example.com', displayName: 'Bob', role: 'buyer' },
  ],
  suppressNotification: true,
};

const noSleep = { retries: 2, initialBackoffMs: 1, maxBackoffMs: 1, sleep: async () => undefined };

describe('HttpLegacySystem: the notifier endpoints, over a real HTTP server', () => {
  let server: Awaited<ReturnType<typeof localServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('posts a message with POST /messages, its Idempotency-Key and the documented body; 201 is new, 200 a duplicate', async () => {
    let n = 0;
    server = await localServer(() => (++n === 1 ? { status: 201, body: { legacyMessageId: 'LM-1' } } : { status: 200, body: { legacyMessageId: 'LM-1', duplicate: true } }));
    const legacy = new HttpLegacySystem({ baseUrl: server.url, timeoutMs: 1_000, ...noSleep });
    expect(await legacy.postMessage(post)).toEqual({ legacyMessageId: 'LM-1', duplicate: false });
    expect(await legacy.postMessage(post)).toEqual({ legacyMessageId: 'LM-1', duplicate: true });
    const [first] = server.seen;
    expect(first.method).toBe('POST');
    expect(first.url).toBe('/bridge/messages');
    expect(first.headers['idempotency-key']).toBe('c-1:7');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.body).toEqual({
      conversationId: 'c-1',
      useCase: null,
      subject: 'Your order',
      message: { id: 'm-7', body: 'Hello', createdAt: '2025-01-02T03:04:05.000Z', authorEmail: 'jane@example.com', authorDisplayName: 'Jane', source: 'CHAT' },
      participants: [
        { email: 'jane@example.com', displayName: 'Jane', role: null },
        { email: 'bob@example.com', displayName: 'Bob', role: 'buyer' },
      ],
      suppressNotification: true,
    });
  });

  it('refuses an answer without legacyMessageId', async () => {
    server = await localServer(() => ({ status: 201, body: {} }));
    const legacy = new HttpLegacySystem({ baseUrl: server.url, timeoutMs: 1_000, ...noSleep });
    await expect(legacy.postMessage(post)).rejects.toThrow('malformed message');
  });

  it('cancels reminders with POST /reminder-cancellations and its Idempotency-Key', async () => {
    server = await localServer(() => ({ status: 201, body: { cancelled: true } }));
    const legacy = new HttpLegacySystem({ baseUrl: server.url, timeoutMs: 1_000, ...noSleep });
    await legacy.cancelReminders({ idempotencyKey: 'c-1:9:read:p-2', conversationId: 'c-1', participantEmail: ' Bob@Example.com ', reason: 'read' });
    expect(server.seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/bridge/reminder-cancellations',
        headers: expect.objectContaining({ 'idempotency-key': 'c-1:9:read:p-2' }),
        body: { conversationId: 'c-1', participantEmail: 'bob@example.com', reason: 'read' },
      }),
    ]);
  });

  it('reads a person\'s addresses with GET /people/{address}/addresses: lower-cased, de-duplicated, without the one asked; 404 is []', async () => {
    server = await localServer((req) =>
      req.url.includes('jane') ? { status: 200, body: { addresses: ['Jane.Old@Example.com', 'jane@example.com', 'jane.old@example.com', 7] } } : { status: 404, body: { error: { code: 'PERSON_NOT_FOUND' } } },
    );
    const legacy = new HttpLegacySystem({ baseUrl: server.url, timeoutMs: 1_000, ...noSleep });
    expect(await legacy.senderAddresses('Jane@Example.com')).toEqual(['jane.old@example.com']);
    expect(await legacy.senderAddresses('nobody@example.com')).toEqual([]);
    expect(server.seen[0].url).toBe('/bridge/people/jane%40example.com/addresses');
  });

  it('reads what was sent for a message with GET /messages/{key}/notifications; 404 is null', async () => {
    server = await localServer((req) =>
      req.url.includes('c-1%3A7') ? { status: 200, body: { notifications: [{ recipient: 'Bob@Example.com', channel: 'email' }] } } : { status: 404, body: {} },
    );
    const legacy = new HttpLegacySystem({ baseUrl: server.url, timeoutMs: 1_000, ...noSleep });
    expect(await legacy.notificationsSent('c-1:7')).toEqual([{ recipient: 'bob@example.com', channel: 'email' }]);
    expect(await legacy.notificationsSent('c-1:8')).toBeNull();
    expect(server.seen[0].url).toBe('/bridge/messages/c-1%3A7/notifications');
  });

  it('same error conventions: 5xx is retried then Unavailable (retryable), 400/409/422 Rejected (permanent) at once', async () => {
    server = await localServer((req) => (req.url.endsWith('/messages') ? { status: 503, body: {} } : { status: 422, body: { error: { code: 'UNKNOWN_CONVERSATION', message: 'no' } } }));
    const legacy = new HttpLegacySystem({ baseUrl: server.url, timeoutMs: 1_000, ...noSleep });
    await expect(legacy.postMessage(post)).rejects.toMatchObject({ code: LegacyBridgeErrorCode.Unavailable, category: ErrorCategory.Unavailable, retryable: true });
    expect(server.seen).toHaveLength(3);
    await expect(legacy.cancelReminders({ idempotencyKey: 'k', conversationId: 'c', participantEmail: 'a@b.c', reason: 'reply' })).rejects.toMatchObject({
      code: LegacyBridgeErrorCode.Rejected,
      category: ErrorCategory.Invalid,
      retryable: false,
      message: expect.stringContaining('UNKNOWN_CONVERSATION'),
    });
    expect(server.seen).toHaveLength(4);
  });

  it('a closed port is Unavailable', async () => {
    server = await localServer(() => ({ status: 200 }));
    const url = server.url;
    await server.close();
    server = undefined;
    const legacy = new HttpLegacySystem({ baseUrl: url, timeoutMs: 500, ...noSleep });
    await expect(legacy.senderAddresses('a@example.com')).rejects.toMatchObject({ code: LegacyBridgeErrorCode.Unavailable });
  });
});

describe('HttpLegacySystem against the LegacySimulator (one contract, both sides)', () => {
  let simulator: LegacySimulator;
  let legacy: HttpLegacySystem;
  beforeEach(async () => {
    simulator = await LegacySimulator.start();
    legacy = new HttpLegacySystem({ baseUrl: simulator.url, timeoutMs: 1_000, ...noSleep });
  });
  afterEach(() => simulator.stop());

  it('a message not suppressed: stored, one notification per participant but the author, once however often it is posted', async () => {
    const call = { ...post, suppressNotification: false };
    expect(await legacy.postMessage(call)).toEqual({ legacyMessageId: 'LM-1', duplicate: false });
    expect(await legacy.postMessage(call)).toEqual({ legacyMessageId: 'LM-1', duplicate: true });
    expect(simulator.messagesOf('c-1')).toHaveLength(1);
    expect(simulator.sentNotifications).toEqual([{ idempotencyKey: 'c-1:7', conversationId: 'c-1', messageId: 'm-7', recipient: 'bob@example.com', channel: 'email' }]);
    expect(await legacy.notificationsSent('c-1:7')).toEqual([{ recipient: 'bob@example.com', channel: 'email' }]);
    expect(await legacy.notificationsSent('c-1:unknown')).toBeNull();
  });

  it('a suppressed message is stored and notifies nobody', async () => {
    await legacy.postMessage(post);
    expect(simulator.messagesOf('c-1')).toEqual([expect.objectContaining({ idempotencyKey: 'c-1:7', suppressNotification: true, useCase: null })]);
    expect(simulator.sentNotifications).toEqual([]);
    expect(await legacy.notificationsSent('c-1:7')).toEqual([]);
  });

  it('diverge() changes later notifications (parity tests)', async () => {
    simulator.diverge({ skipRecipient: 'bob@example.com', extraRecipient: 'carol@example.com' });
    await legacy.postMessage({ ...post, suppressNotification: false });
    expect(await legacy.notificationsSent('c-1:7')).toEqual([{ recipient: 'carol@example.com', channel: 'email' }]);
    simulator.diverge(null);
    await legacy.postMessage({ ...post, idempotencyKey: 'c-1:8', suppressNotification: false });
    expect(await legacy.notificationsSent('c-1:8')).toEqual([{ recipient: 'bob@example.com', channel: 'email' }]);
  });

  it('records reminder cancellations once, answers seeded people, and is Unavailable while down', async () => {
    const cancel = { idempotencyKey: 'c-1:9:p-2', conversationId: 'c-1', participantEmail: 'bob@example.com', reason: 'reply' as const };
    await legacy.cancelReminders(cancel);
    await legacy.cancelReminders(cancel);
    expect(simulator.reminderCancellations).toEqual([{ idempotencyKey: 'c-1:9:p-2', conversationId: 'c-1', participantEmail: 'bob@example.com', reason: 'reply' }]);

    simulator.seedPerson('jane@example.com', ['jane@old.example.com']);
    expect(await legacy.senderAddresses('JANE@example.com')).toEqual(['jane@old.example.com']);
    expect(await legacy.senderAddresses('who@example.com')).toEqual([]);

    simulator.down();
    await expect(legacy.postMessage(post)).rejects.toMatchObject({ code: LegacyBridgeErrorCode.Unavailable });
    expect(simulator.messages).toEqual([]);
    expect(simulator.callsTo('POST', '/messages').map((c) => c.status)).toEqual([503, 503, 503]);
    simulator.up();
    expect(await legacy.postMessage(post)).toMatchObject({ duplicate: false });
  });
});
