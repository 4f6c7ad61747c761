import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { BlobRef, BlobStore, BlobStoreError, BlobStoreErrorCode, PutBlobOptions } from '../domain/blob-store.port';
import { assertValidBlobKey, sha256Hex } from '../domain/blob-key';

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * Local-disk adapter, the one-machine default (like Active Storage's Disk service). Writes go to
 * a temporary file that is fsynced and then renamed, so a crash never leaves a half-written blob
 * under its real key.
 */
export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, body: Buffer, options: PutBlobOptions = {}): Promise<BlobRef> {
    const path = this.pathOf(key);
    const ref: BlobRef = { key, size: body.length, sha256: sha256Hex(body), contentType: options.contentType ?? DEFAULT_CONTENT_TYPE };
    await mkdir(dirname(path), { recursive: true });
    await this.writeDurably(`${path}.meta.json`, Buffer.from(JSON.stringify(ref)));
    await this.writeDurably(path, body);
    return ref;
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw this.translate(error, key);
    }
  }

  async head(key: string): Promise<BlobRef | null> {
    try {
      const [meta, info] = await Promise.all([readFile(`${this.pathOf(key)}.meta.json`, 'utf8'), stat(this.pathOf(key))]);
      const ref = JSON.parse(meta) as BlobRef;
      return { ...ref, size: info.size };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw this.translate(error, key);
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await rm(`${path}.meta.json`, { force: true });
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await stat(this.root);
  }

  private pathOf(key: string): string {
    assertValidBlobKey(key);
    return join(this.root, ...key.split('/'));
  }

  private async writeDurably(path: string, body: Buffer): Promise<void> {
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, body);
    const handle = await open(temporary, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  }

  private translate(error: unknown, key: string): Error {
    if (error instanceof BlobStoreError) return error;
    if (isNotFound(error)) return new BlobStoreError(BlobStoreErrorCode.NotFound, `No blob stored under "${key}"`, { cause: error });
    return new BlobStoreError(BlobStoreErrorCode.Unavailable, `Disk blob store failed for "${key}": ${(error as Error).message}`, { cause: error });
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
