import { DomainError, ErrorCategory } from '@libs/contracts';

/** Where one stored object lives and what it is; speaks the domain, not a vendor SDK. */
export interface BlobRef {
  key: string;
  size: number;
  sha256: string;
  contentType: string;
}

export interface PutBlobOptions {
  contentType?: string;
}

export interface BlobStore {
  /** Stores `body` durably under `key` (overwrites); resolves only once the bytes are safe. */
  put(key: string, body: Buffer, options?: PutBlobOptions): Promise<BlobRef>;
  /** @throws BlobStoreError with code NOT_FOUND */
  get(key: string): Promise<Buffer>;
  head(key: string): Promise<BlobRef | null>;
  delete(key: string): Promise<void>;
  /** Resolves when the store answers; used by readiness checks. */
  ping(): Promise<void>;
  readonly kind: 'disk' | 's3';
}

export const BLOB_STORE = Symbol('BLOB_STORE');

export enum BlobStoreErrorCode {
  NotFound = 'BLOB_NOT_FOUND',
  InvalidKey = 'BLOB_INVALID_KEY',
  Unavailable = 'BLOB_STORE_UNAVAILABLE',
}

const CATEGORY: Record<BlobStoreErrorCode, ErrorCategory> = {
  [BlobStoreErrorCode.NotFound]: ErrorCategory.NotFound,
  [BlobStoreErrorCode.InvalidKey]: ErrorCategory.Invalid,
  [BlobStoreErrorCode.Unavailable]: ErrorCategory.Unavailable,
};

/** A coded error like every lib's: only unavailability is worth retrying. */
export class BlobStoreError extends DomainError {
  constructor(
    override readonly code: BlobStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, CATEGORY[code], message, options);
  }
}
