import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBlobStoreContract } from '@libs/testing';
import { DiskBlobStore } from './disk-blob-store';

let root: string;

describeBlobStoreContract(
  'disk',
  async () => {
    root = await mkdtemp(join(tmpdir(), 'blob-store-'));
    return new DiskBlobStore(root);
  },
  async () => {
    await rm(root, { recursive: true, force: true });
  },
);

describe('DiskBlobStore', () => {
  it('leaves no temporary files behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blob-store-tmp-'));
    try {
      const store = new DiskBlobStore(dir);
      await store.put('a/b.txt', Buffer.from('x'));
      expect((await readdir(join(dir, 'a'))).sort()).toEqual(['b.txt', 'b.txt.meta.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
