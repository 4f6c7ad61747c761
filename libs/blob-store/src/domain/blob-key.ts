import { createHash } from 'node:crypto';
import { BlobStoreError, BlobStoreErrorCode } from './blob-store.port';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._=-]*$/;
const MAX_KEY_LENGTH = 512;

/**
 * Keys are slash-separated segments of a safe alphabet: the same key must be valid on a POSIX
 * disk and in any S3 implementation, and never escape the store's root (`..`, absolute paths).
 */
export function assertValidBlobKey(key: string): void {
  const segments = key.split('/');
  const valid =
    key.length > 0 &&
    key.length <= MAX_KEY_LENGTH &&
    segments.every((segment) => SEGMENT.test(segment) && segment !== '..' && !segment.endsWith('.'));
  if (!valid) {
    throw new BlobStoreError(
      BlobStoreErrorCode.InvalidKey,
      `Invalid blob key "${key.slice(0, 80)}": use 1-${MAX_KEY_LENGTH} characters in '/'-separated segments of letters, digits, '.', '_', '=', '-'`,
    );
  }
}

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
