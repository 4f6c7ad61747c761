import { randomBytes } from 'node:crypto';
import { BlobStore, BlobStoreError, BlobStoreErrorCode, sha256Hex } from '@libs/blob-store';

/**
 * The behaviour every BlobStore adapter must share. Each adapter's suite calls this with a
 * factory for a store that is ready to use (a real S3-compatible server for S3).
 */
export function describeBlobStoreContract(name: string, create: () => Promise<BlobStore>, dispose?: (store: BlobStore) => Promise<void>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    const prefix = `contract/${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

    beforeAll(async () => {
      store = await create();
    });

    afterAll(async () => {
      if (store && dispose) await dispose(store);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('stores bytes and reads back exactly the same bytes', async () => {
      const body = randomBytes(256 * 1024);
      const ref = await store.put(`${prefix}/binary.bin`, body, { contentType: 'application/octet-stream' });
      expect(ref).toEqual({ key: `${prefix}/binary.bin`, size: body.length, sha256: sha256Hex(body), contentType: 'application/octet-stream' });
      expect((await store.get(`${prefix}/binary.bin`)).equals(body)).toBe(true);
    });

    it('describes a stored blob with head: size, sha256 and content type', async () => {
      const body = Buffer.from('From: a@example.com\r\n\r\nhello\r\n');
      await store.put(`${prefix}/mail.eml`, body, { contentType: 'message/rfc822' });
      expect(await store.head(`${prefix}/mail.eml`)).toEqual({
        key: `${prefix}/mail.eml`,
        size: body.length,
        sha256: sha256Hex(body),
        contentType: 'message/rfc822',
      });
    });

    it('stores an empty blob', async () => {
      await store.put(`${prefix}/empty`, Buffer.alloc(0));
      expect((await store.get(`${prefix}/empty`)).length).toBe(0);
      expect((await store.head(`${prefix}/empty`))?.size).toBe(0);
    });

    it('overwrites an existing key', async () => {
      await store.put(`${prefix}/overwrite`, Buffer.from('first'));
      await store.put(`${prefix}/overwrite`, Buffer.from('second'));
      expect((await store.get(`${prefix}/overwrite`)).toString()).toBe('second');
    });

    it('reports a missing blob: head is null, get throws NOT_FOUND', async () => {
      expect(await store.head(`${prefix}/missing`)).toBeNull();
      await expect(store.get(`${prefix}/missing`)).rejects.toMatchObject({ code: BlobStoreErrorCode.NotFound });
    });

    it('deletes, and deleting a missing key is not an error', async () => {
      await store.put(`${prefix}/doomed`, Buffer.from('x'));
      await store.delete(`${prefix}/doomed`);
      expect(await store.head(`${prefix}/doomed`)).toBeNull();
      await expect(store.delete(`${prefix}/doomed`)).resolves.toBeUndefined();
    });

    it.each(['', '../escape', 'a/../../b', '/absolute', 'a//b', 'trailing/', 'spa ce', 'a/..', 'x'.repeat(600), 'naïve'])(
      'refuses the unsafe key %j with INVALID_KEY',
      async (key) => {
        const error = await store.put(key, Buffer.from('x')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BlobStoreError);
        expect((error as BlobStoreError).code).toBe(BlobStoreErrorCode.InvalidKey);
      },
    );

    it('keeps concurrent writes to different keys apart', async () => {
      const bodies = Array.from({ length: 20 }, (_, i) => Buffer.from(`body-${i}-${randomBytes(8).toString('hex')}`));
      await Promise.all(bodies.map((body, i) => store.put(`${prefix}/parallel/${i}`, body)));
      const read = await Promise.all(bodies.map((_, i) => store.get(`${prefix}/parallel/${i}`)));
      read.forEach((body, i) => expect(body.equals(bodies[i])).toBe(true));
    });
  });
}
