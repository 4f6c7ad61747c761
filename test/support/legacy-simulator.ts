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

/**
 * A test double of the legacy system, speaking docs/legacy-system.md over real HTTP: an
 * in-memory alias table (seeded by the test), the hand-overs it accepted (each idempotency key
 * once), every call it received, and failures on demand.
 */
export class LegacySimulator {
  readonly calls: LegacyCall[] = [];
  readonly handOvers: LegacyHandOverRecord[] = [];
  private readonly aliases = new Map<string, { legacyConversationId: string; conversationId: string | null }>();
  private failures: { remaining: number; status: number; match?: { method?: string; path?: RegExp } }[] = [];
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
    return { status: 404, payload: { error: { code: 'NOT_FOUND', message: `${method} ${path}` } } };
  }
}
