import type { IncomingMessage } from 'node:http';
import { requestAborted } from '../inbound-http.errors';

/**
 * Reads a request body of at most `maxBytes` into memory, counting as it streams: a body
 * declared larger is refused before a byte is read, one that turns out larger is refused as
 * soon as it crosses the limit, and nothing past the limit is kept.
 *
 * After a refusal the rest of the body is read and thrown away, so that the client, still
 * sending, gets to read the 413 instead of a connection reset; a client that sends more than
 * twice the limit in all has its connection closed instead.
 */
export function readBoundedBody(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardRest(req, 2 * maxBytes);
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      stop();
      discardRest(req, maxBytes);
      reject(tooLarge());
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onAbort = () => {
      stop();
      req.on('error', ignore);
      reject(requestAborted());
    };
    const onClose = () => {
      if (!req.complete) onAbort();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}

function discardRest(req: IncomingMessage, capBytes: number): void {
  let discarded = 0;
  req.on('error', ignore);
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > capBytes) req.destroy();
  });
  req.resume();
}

function ignore(): void {
  // The request failed after it was answered; there is nobody to tell.
}
