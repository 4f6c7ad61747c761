import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { BlobRef, BlobStore, BlobStoreError, BlobStoreErrorCode, PutBlobOptions } from '../domain/blob-store.port';
import { assertValidBlobKey, sha256Hex } from '../domain/blob-key';

export interface S3BlobStoreOptions {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Per-request timeout, so a paused server is reported down instead of hanging callers. */
  requestTimeoutMs?: number;
}

const SHA256_METADATA = 'sha256';

/** Any S3-compatible store (AWS S3, MinIO, versitygw, S3Proxy). */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Newer SDKs add CRC checksums to every request by default; several S3-compatible servers
      // reject or ignore them. We verify content ourselves with SHA-256 in metadata.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: { requestTimeout: options.requestTimeoutMs ?? 10_000, connectionTimeout: 2_000 },
    });
  }

  async put(key: string, body: Buffer, options: PutBlobOptions = {}): Promise<BlobRef> {
    assertValidBlobKey(key);
    const ref: BlobRef = { key, size: body.length, sha256: sha256Hex(body), contentType: options.contentType ?? 'application/octet-stream' };
    await this.call(key, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Body: body,
          ContentType: ref.contentType,
          ContentLength: body.length,
          Metadata: { [SHA256_METADATA]: ref.sha256 },
        }),
      ),
    );
    return ref;
  }

  async get(key: string): Promise<Buffer> {
    assertValidBlobKey(key);
    const output = await this.call(key, () => this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key })));
    if (!output.Body) throw new BlobStoreError(BlobStoreErrorCode.NotFound, `No blob stored under "${key}"`);
    return Buffer.from(await output.Body.transformToByteArray());
  }

  async head(key: string): Promise<BlobRef | null> {
    assertValidBlobKey(key);
    try {
      const output = await this.call(key, () => this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key })));
      return {
        key,
        size: output.ContentLength ?? 0,
        sha256: output.Metadata?.[SHA256_METADATA] ?? '',
        contentType: output.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (error instanceof BlobStoreError && error.code === BlobStoreErrorCode.NotFound) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    await this.call(key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key })));
  }

  async ping(): Promise<void> {
    await this.call('(bucket)', () => this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket })));
  }

  destroy(): void {
    this.client.destroy();
  }

  private async call<T>(key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.translate(error, key);
    }
  }

  private translate(error: unknown, key: string): BlobStoreError {
    if (error instanceof BlobStoreError) return error;
    const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
    const name = (error as Error)?.name;
    if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') {
      return new BlobStoreError(BlobStoreErrorCode.NotFound, `No blob stored under "${key}"`, { cause: error });
    }
    return new BlobStoreError(
      BlobStoreErrorCode.Unavailable,
      `S3 blob store at ${this.options.endpoint} (bucket ${this.options.bucket}) failed for "${key}": ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  }
}
