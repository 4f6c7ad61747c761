import { BlobStoreErrorCode, S3BlobStore } from '@libs/blob-store';
import { describeBlobStoreContract } from '@libs/testing';
import { infraEnv } from '../../scripts/infra';

function s3Options() {
  const env = infraEnv();
  return {
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: true,
  };
}

describeBlobStoreContract(
  'S3 (real S3-compatible server)',
  async () => new S3BlobStore(s3Options()),
  async (store) => (store as S3BlobStore).destroy(),
);

describe('S3BlobStore failures', () => {
  it('names the endpoint and bucket when the bucket does not exist', async () => {
    const store = new S3BlobStore({ ...s3Options(), bucket: 'no-such-bucket-e2e' });
    try {
      await expect(store.ping()).rejects.toMatchObject({ code: expect.stringMatching(/BLOB_/) });
    } finally {
      store.destroy();
    }
  });

  it('reports an unreachable server as unavailable, quickly', async () => {
    const store = new S3BlobStore({ ...s3Options(), endpoint: 'http://127.0.0.1:9', requestTimeoutMs: 1_000 });
    const started = Date.now();
    try {
      await expect(store.put('k', Buffer.from('x'))).rejects.toMatchObject({ code: BlobStoreErrorCode.Unavailable });
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      store.destroy();
    }
  });
});
