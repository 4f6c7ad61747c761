import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the simulator received, whatever it answered. */
export interface LegacyCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  status: number;
}

export interface LegacyHandOverRecord {
  idempotencyKey: string;
  inboundEmailId: string;
  alias: string;
  blobKey: string;
  rawSha256: string;
  envelopeSender: string | null;
}

/** A message posted with `POST /messages` (each idempotency key once). */
export interface LegacyMessageRecord {
  idempotencyKey: string;
  legacyMessageId: string;
  conversationId: string;
  useCase: string | null;
  subject: string;
  message: { id: string; body: string; createdAt: string; authorEmail: string; authorDisplayName: string; source: string };
  participants: { email: string; displayName: string; role: string | null }[];
  suppressNotification: boolean;
}

/** A notification the simulated legacy system "sent" for a message it was not told to keep quiet about. */
export interface LegacySentNotification {
  idempotencyKey: string;
  conversationId: string;
  messageId: string;
  recipient: string;
  channel: 'email';
}

export interface LegacyReminderCancellationRecord {
  idempotencyKey: string;
  conversationId: string;
  participantEmail: string;
  reason: string;
}

/** Makes later notifications differ from "every participant but the author" (parity tests). */
export interface LegacyDivergence {
  skipRecipient?: string;
  extraRecipient?: string;
}

/**
 * A test double of the legacy system, speaking docs/legacy-system.md over real HTTP: an
 * in-memory alias table and person table (seeded by the test), the hand-overs, messages and
 * reminder cancellations it accepted (each idempotency key once), the notifications it "sent",
 * every call it received, and failures on demand (`failNext`, `down`/`up`).
 */
export class LegacySimulator {
  readonly calls: LegacyCall[] = [];
  readonly handOvers: LegacyHandOverRecord[] = [];
  readonly messages: LegacyMessageRecord[] = [];
  readonly sentNotifications: LegacySentNotification[] = [];
  readonly reminderCancellations: LegacyReminderCancellationRecord[] = [];
  private readonly aliases = new Map<string, { legacyConversationId: string; conversationId: string | null }>();
  private readonly people = new Map<string, string[]>();
  private failures: { remaining: number; status: number; match?: { method?: string; path?: RegExp } }[] = [];
  private divergence: LegacyDivergence | null = null;
  private isDown = false;
  private server?: Server;

  static async start(): Promise<LegacySimulator> {
    const simulator = new LegacySimulator();
    await simulator.listen();
    return simulator;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the legacy simulator is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  seedAlias(address: string, legacyConversationId: string, conversationId: string | null = null): void {
    this.aliases.set(address.toLowerCase(), { legacyConversationId, conversationId });
  }

  /** `GET /people/{address}/addresses` answers `otherAddresses` for `address` (and 404 for unknown people). */
  seedPerson(address: string, otherAddresses: string[]): void {
    this.people.set(address.trim().toLowerCase(), otherAddresses.map((a) => a.trim().toLowerCase()));
  }

  /** From now on, notifications skip and/or add a recipient (null: back to normal). */
  diverge(divergence: LegacyDivergence | null): void {
    this.divergence = divergence;
  }

  /** Every call answers 503 (and does nothing) until `up()`; calls are still recorded. */
  down(): void {
    this.isDown = true;
  }

  up(): void {
    this.isDown = false;
  }

  messagesOf(conversationId: string): LegacyMessageRecord[] {
    return this.messages.filter((m) => m.conversationId === conversationId);
  }

  notificationsFor(idempotencyKey: string): LegacySentNotification[] {
    return this.sentNotifications.filter((n) => n.idempotencyKey === idempotencyKey);
  }

  /** The next `count` matching calls answer `status` (503 by default) without doing anything. */
  failNext(count: number, options: { status?: number; method?: string; path?: RegExp } = {}): void {
    this.failures.push({ remaining: count, status: options.status ?? 503, match: { method: options.method, path: options.path } });
  }

  handOversOf(inboundEmailId: string): LegacyHandOverRecord[] {
    return this.handOvers.filter((h) => h.inboundEmailId === inboundEmailId);
  }

  callsTo(method: string, path: RegExp | string): LegacyCall[] {
    return this.calls.filter((c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path)));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const { status, payload } = this.answer(method, path, req.headers, body);
    this.calls.push({ method, path, headers: req.headers, body, status });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  }

  private answer(method: string, path: string, headers: IncomingMessage['headers'], body: unknown): { status: number; payload: unknown } {
    if (this.isDown) return { status: 503, payload: { error: { code: 'SIMULATED_OUTAGE', message: 'the legacy system is down' } } };
    const failure = this.failures.find((f) => f.remaining > 0 && (!f.match?.method || f.match.method === method) && (!f.match?.path || f.match.path.test(path)));
    if (failure) {
      failure.remaining--;
      return { status: failure.status, payload: { error: { code: 'SIMULATED_FAILURE', message: 'simulated failure' } } };
    }
    const alias = /^\/aliases\/([^/]+)$/.exec(path);
    if (method === 'GET' && alias) {
      const found = this.aliases.get(decodeURIComponent(alias[1]).toLowerCase());
      return found ? { status: 200, payload: found } : { status: 404, payload: { error: { code: 'ALIAS_NOT_FOUND', message: 'no such alias' } } };
    }
    if (method === 'POST' && path === '/inbound-emails') {
      const key = headers['idempotency-key'];
      const b = body as Partial<LegacyHandOverRecord> | undefined;
      if (typeof key !== 'string' || !key || !b || typeof b.inboundEmailId !== 'string' || typeof b.alias !== 'string' || typeof b.blobKey !== 'string') {
        return { status: 400, payload: { error: { code: 'INVALID_HAND_OVER', message: 'Idempotency-Key, inboundEmailId, alias and blobKey are required' } } };
      }
      if (this.handOvers.some((h) => h.idempotencyKey === key)) return { status: 200, payload: { accepted: true, duplicate: true } };
      this.handOvers.push({
        idempotencyKey: key,
        inboundEmailId: b.inboundEmailId,
        alias: b.alias,
        blobKey: b.blobKey,
        rawSha256: String(b.rawSha256 ?? ''),
        envelopeSender: b.envelopeSender ?? null,
      });
      return { status: 201, payload: { accepted: true } };
    }
    if (method === 'POST' && path === '/messages') return this.postMessage(headers['idempotency-key'], body);
    const notifications = /^\/messages\/([^/]+)\/notifications$/.exec(path);
    if (method === 'GET' && notifications) {
      const key = decodeURIComponent(notifications[1]);
      if (!this.messages.some((m) => m.idempotencyKey === key)) return { status: 404, payload: { error: { code: 'MESSAGE_NOT_FOUND', message: 'no such message' } } };
      return { status: 200, payload: { notifications: this.notificationsFor(key).map((n) => ({ recipient: n.recipient, channel: n.channel })) } };
    }
    if (method === 'POST' && path === '/reminder-cancellations') {
      const key = headers['idempotency-key'];
      const b = body as Partial<LegacyReminderCancellationRecord> | undefined;
      if (typeof key !== 'string' || !key || !b || typeof b.conversationId !== 'string' || typeof b.participantEmail !== 'string' || (b.reason !== 'read' && b.reason !== 'reply')) {
        return { status: 400, payload: { error: { code: 'INVALID_CANCELLATION', message: 'Idempotency-Key, conversationId, participantEmail and reason (read|reply) are required' } } };
      }
      if (this.reminderCancellations.some((c) => c.idempotencyKey === key)) return { status: 200, payload: { cancelled: true, duplicate: true } };
      this.reminderCancellations.push({ idempotencyKey: key, conversationId: b.conversationId, participantEmail: b.participantEmail.toLowerCase(), reason: b.reason });
      return { status: 201, payload: { cancelled: true } };
    }
    const person = /^\/people\/([^/]+)\/addresses$/.exec(path);
    if (method === 'GET' && person) {
      const addresses = this.people.get(decodeURIComponent(person[1]).toLowerCase());
      return addresses ? { status: 200, payload: { addresses } } : { status: 404, payload: { error: { code: 'PERSON_NOT_FOUND', message: 'no such person' } } };
    }
    return { status: 404, payload: { error: { code: 'NOT_FOUND', message: `${method} ${path}` } } };
  }

  private postMessage(key: string | string[] | undefined, body: unknown): { status: number; payload: unknown } {
    const b = body as Partial<LegacyMessageRecord> | undefined;
    const valid =
      typeof key === 'string' &&
      key !== '' &&
      !!b &&
      typeof b.conversationId === 'string' &&
      typeof b.subject === 'string' &&
      typeof b.message?.id === 'string' &&
      typeof b.message.authorEmail === 'string' &&
      Array.isArray(b.participants) &&
      b.participants.every((p) => typeof p?.email === 'string') &&
      typeof b.suppressNotification === 'boolean';
    if (!valid) {
      return { status: 400, payload: { error: { code: 'INVALID_MESSAGE', message: 'Idempotency-Key, conversationId, subject, message (id, authorEmail), participants and suppressNotification are required' } } };
    }
    const existing = this.messages.find((m) => m.idempotencyKey === key);
    if (existing) return { status: 200, payload: { legacyMessageId: existing.legacyMessageId, duplicate: true } };
    const record: LegacyMessageRecord = {
      idempotencyKey: key,
      legacyMessageId: `LM-${this.messages.length + 1}`,
      conversationId: b.conversationId!,
      useCase: b.useCase ?? null,
      subject: b.subject!,
      message: b.message as LegacyMessageRecord['message'],
      participants: b.participants!.map((p) => ({ email: p.email.toLowerCase(), displayName: p.displayName ?? '', role: p.role ?? null })),
      suppressNotification: b.suppressNotification!,
    };
    this.messages.push(record);
    if (!record.suppressNotification) {
      const author = record.message.authorEmail.toLowerCase();
      let recipients = [...new Set(record.participants.map((p) => p.email))].filter((email) => email !== author);
      const skip = this.divergence?.skipRecipient?.toLowerCase();
      const extra = this.divergence?.extraRecipient?.toLowerCase();
      if (skip) recipients = recipients.filter((email) => email !== skip);
      if (extra && !recipients.includes(extra)) recipients.push(extra);
      for (const recipient of recipients) {
        this.sentNotifications.push({ idempotencyKey: key, conversationId: record.conversationId, messageId: record.message.id, recipient, channel: 'email' });
      }
    }
    return { status: 201, payload: { legacyMessageId: record.legacyMessageId } };
  }
}
