import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Splitter } from '@zone-eu/mailsplit';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit';
import { normalizeCharsetLabel, resolveCharset } from './charset.decoder';

export interface CharsetRepairResult {
  /** The message to parse: the input itself when nothing needed repair. */
  raw: Buffer;
  repaired: boolean;
  /** Whether the mail has a text/plain body part (mailparser fills `text` from the HTML otherwise). */
  hasTextPart: boolean;
  hasHtmlPart: boolean;
}

/**
 * mailparser decodes a body part with its declared charset and, when iconv-lite does not know the
 * name (`utf8x`, `unknown-8bit`) or the label is UTF-8 / missing, passes the bytes through as
 * UTF-8: Latin-1 text then comes out as U+FFFD and the original bytes are gone. So before parsing,
 * each body part's charset parameter is set to what its bytes really are (`resolveCharset`);
 * mailparser then decodes correctly with its own decoders. Only the Content-Type line of a body
 * part changes — content, attachments and forwarded messages stay byte-identical.
 */
export async function repairBodyCharsets(raw: Buffer): Promise<CharsetRepairResult> {
  const repair = new BodyCharsetRepair();
  const output: Buffer[] = [];
  const joiner = new Joiner();
  joiner.on('data', (chunk: Buffer) => output.push(chunk));
  await pipeline(Readable.from([raw]), new Splitter(), repair, joiner);
  return {
    raw: repair.repaired ? Buffer.concat(output) : raw,
    repaired: repair.repaired,
    hasTextPart: repair.hasTextPart,
    hasHtmlPart: repair.hasHtmlPart,
  };
}

type BodyKind = 'text' | 'html';

/** Holds each body part until its last byte is seen, since the charset line precedes the bytes that decide it. */
class BodyCharsetRepair extends Transform {
  repaired = false;
  hasTextPart = false;
  hasHtmlPart = false;
  private pending: { node: MimeNode; chunks: SplitterChunk[] } | null = null;

  constructor() {
    super({ objectMode: true });
  }

  override _transform(chunk: SplitterChunk, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.pending && chunk.type === 'body') {
      this.pending.chunks.push(chunk);
      return done();
    }
    this.flushPending()
      .then(() => {
        const kind = chunk.type === 'node' ? bodyKind(chunk) : null;
        if (chunk.type === 'node' && kind) {
          if (kind === 'text') this.hasTextPart = true;
          else this.hasHtmlPart = true;
          this.pending = { node: chunk, chunks: [] };
        } else {
          this.push(chunk);
        }
        done();
      })
      .catch(done);
  }

  override _flush(done: TransformCallback): void {
    this.flushPending().then(() => done(), done);
  }

  private async flushPending(): Promise<void> {
    if (!this.pending) return;
    const { node, chunks } = this.pending;
    this.pending = null;
    const bytes = await transferDecode(node, chunks);
    const charset = resolveCharset(node.charset, bytes);
    if (charset !== normalizeCharsetLabel(node.charset)) {
      node.setCharset(charset);
      this.repaired = true;
    }
    this.push(node);
    for (const chunk of chunks) this.push(chunk);
  }
}

/** The parts mailparser shows as the body: text/plain and text/html, not attachments nor inside a forwarded message. */
function bodyKind(node: MimeNode): BodyKind | null {
  const contentType = node.contentType || (node.root ? 'text/plain' : '');
  if (contentType !== 'text/plain' && contentType !== 'text/html') return null;
  if (node.disposition && node.disposition !== 'inline') return null;
  for (let parent = node.parentNode; parent; parent = parent.parentNode) {
    if (parent.contentType === 'message/rfc822') return null;
  }
  return contentType === 'text/plain' ? 'text' : 'html';
}

/** Undoes base64 / quoted-printable with the node's own decoder, the one mailparser will use. */
async function transferDecode(node: MimeNode, chunks: SplitterChunk[]): Promise<Buffer> {
  const decoder = node.getDecoder();
  const decoded: Buffer[] = [];
  decoder.on('data', (chunk: Buffer) => decoded.push(chunk));
  const body = chunks.map((chunk) => (chunk.type === 'node' ? Buffer.alloc(0) : chunk.value));
  await pipeline(Readable.from(body), decoder);
  return Buffer.concat(decoded);
}
