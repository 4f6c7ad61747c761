import { createServer, IncomingMessage, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { readBoundedBody } from './bounded-body';

class TooLarge extends Error {}

/** A real HTTP server, so the spec sees what sockets do: early answers, resets, keep-alive. */
describe('readBoundedBody', () => {
  let server: Server;
  let port: number;
  const seen: { size?: number; error?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      readBoundedBody(req, 1024, () => new TooLarge()).then(
        (body) => {
          seen.push({ size: body.length });
          res.end(`ok ${body.length}`);
        },
        (error: Error) => {
          seen.push({ error: error.constructor.name });
          if (!res.destroyed) {
            res.statusCode = error instanceof TooLarge ? 413 : 400;
            res.end('refused');
          }
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  function post(chunks: Buffer[], headers: Record<string, string | number> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }

  it('returns a body within the limit, declared or chunked', async () => {
    await expect(post([Buffer.alloc(1024)], { 'content-length': 1024 })).resolves.toEqual({ status: 200, body: 'ok 1024' });
    await expect(post([Buffer.alloc(600), Buffer.alloc(424)])).resolves.toEqual({ status: 200, body: 'ok 1024' });
    await expect(post([])).resolves.toEqual({ status: 200, body: 'ok 0' });
  });

  it('refuses a body declared too large before reading it, and the client reads the 413', async () => {
    await expect(post([Buffer.alloc(2000)], { 'content-length': 2000 })).resolves.toEqual({ status: 413, body: 'refused' });
    expect(seen).toEqual([{ error: 'TooLarge' }]);
  });

  it('refuses a chunked body as soon as it crosses the limit, and the client reads the 413', async () => {
    await expect(post([Buffer.alloc(1000), Buffer.alloc(1000)])).resolves.toEqual({ status: 413, body: 'refused' });
  });

  it('closes the connection of a client that keeps sending far past the limit', async () => {
    const outcome = await post(Array.from({ length: 64 }, () => Buffer.alloc(1024))).catch((error: NodeJS.ErrnoException) => error.code);
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(typeof outcome === 'object' ? outcome.status : outcome);
    // And the server still serves.
    await expect(post([Buffer.from('x')])).resolves.toEqual({ status: 200, body: 'ok 1' });
  });

  it('reports a client that goes away mid-body', async () => {
    await new Promise<void>((resolve) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'content-length': 1000 }, agent: false });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(100), () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual([{ error: 'DomainError' }]);
  });
});
