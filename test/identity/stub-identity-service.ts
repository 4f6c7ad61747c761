import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { InMemoryIdentityDirectory, createAccountProfile } from '@libs/identity';

/**
 * A small, real HTTP server implementing docs/identity-service.md on top of the in-memory
 * directory, so the HTTP adapter is tested over real sockets against the documented contract.
 * `failNext(n, status)` makes the next n requests fail, to exercise the adapter's retries.
 */
export class StubIdentityService {
  readonly directory = new InMemoryIdentityDirectory();
  readonly requests: { method: string; url: string; authorization?: string }[] = [];
  private failures: number[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<StubIdentityService> {
    let stub: StubIdentityService | undefined;
    const server = createServer((req, res) => void stub!.handle(req, res));
    stub = new StubIdentityService(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  failNext(count: number, status = 503): void {
    this.failures.push(...Array.from({ length: count }, () => status));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    const failure = this.failures.shift();
    if (failure) return send(res, failure, { error: { code: 'STUB_FAILURE', message: 'failing on purpose' } });
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    try {
      let match: RegExpExecArray | null;
      if (req.method === 'GET' && (match = /^\/v1\/accounts\/by-email\/([^/]+)$/.exec(path))) {
        const account = await this.directory.findByEmail(decodeURIComponent(match[1]));
        return account ? send(res, 200, account) : send(res, 404, { error: { code: 'ACCOUNT_NOT_FOUND', message: 'No account uses this address.' } });
      }
      if (req.method === 'GET' && (match = /^\/v1\/accounts\/([^/]+)$/.exec(path))) {
        const account = await this.directory.findById(decodeURIComponent(match[1]));
        return account ? send(res, 200, account) : send(res, 404, { error: { code: 'ACCOUNT_NOT_FOUND', message: 'No account has this id.' } });
      }
      if (req.method === 'PUT' && path === '/v1/accounts') {
        const body = JSON.parse(await readBody(req)) as { email: unknown; displayName: unknown; previousEmails?: unknown };
        const existed = typeof body.email === 'string' && (await this.directory.findByEmail(body.email))?.email === body.email.trim().toLowerCase();
        const account = await this.directory.upsert(createAccountProfile(body));
        return send(res, existed ? 200 : 201, account);
      }
      return send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} ${path}` } });
    } catch (error) {
      if (error instanceof DomainError) {
        const status = error.category === ErrorCategory.Conflict ? 409 : error.category === ErrorCategory.Invalid ? 400 : 500;
        return send(res, status, { error: { code: error.code, message: error.message } });
      }
      if (error instanceof SyntaxError) return send(res, 400, { error: { code: 'MALFORMED_JSON', message: 'The body is not JSON.' } });
      return send(res, 500, { error: { code: 'INTERNAL', message: 'Internal error' } });
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
