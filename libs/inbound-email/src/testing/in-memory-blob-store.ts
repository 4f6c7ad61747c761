import { BlobRef, BlobStore, BlobStoreError, BlobStoreErrorCode, PutBlobOptions, sha256Hex } from '@libs/blob-store';
import { act, Fault } from './fault';

export class InMemoryBlobStore implements BlobStore {
  readonly kind = 'disk' as const;
  readonly blobs = new Map<string, { body: Buffer; ref: BlobRef }>();
  puts = 0;
  fault: Fault = 'none';

  put(key: string, body: Buffer, options: PutBlobOptions = {}): Promise<BlobRef> {
    return act(this.fault, 'The blob store', () => {
      this.puts += 1;
      const ref = { key, size: body.length, sha256: sha256Hex(body), contentType: options.contentType ?? 'application/octet-stream' };
      this.blobs.set(key, { body: Buffer.from(body), ref });
      return ref;
    });
  }

  get(key: string): Promise<Buffer> {
    return act(this.fault, 'The blob store', () => {
      const blob = this.blobs.get(key);
      if (!blob) throw new BlobStoreError(BlobStoreErrorCode.NotFound, `No blob stored under "${key}"`);
      return Buffer.from(blob.body);
    });
  }

  head(key: string): Promise<BlobRef | null> {
    return act(this.fault, 'The blob store', () => this.blobs.get(key)?.ref ?? null);
  }

  delete(key: string): Promise<void> {
    return act(this.fault, 'The blob store', () => void this.blobs.delete(key));
  }

  ping(): Promise<void> {
    return act(this.fault, 'The blob store', () => undefined);
  }
}
