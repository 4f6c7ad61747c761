import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { IdentityDirectory } from '../domain/identity-directory.port';
import { IdentityErrorCode } from '../domain/identity-error';

export interface IdentityDirectoryFixture {
  directory: IdentityDirectory;
  dispose?: () => Promise<void>;
}

/**
 * The behaviour every IdentityDirectory adapter must share. Each adapter's suite calls this with
 * a factory for a ready directory (a real MongoDB-wire server for MongoDB, a real HTTP server
 * for the HTTP adapter). Addresses are unique per run, so the suite can share a database.
 */
export function describeIdentityDirectoryContract(name: string, create: () => Promise<IdentityDirectoryFixture>): void {
  describe(`IdentityDirectory contract: ${name}`, () => {
    let fixture: IdentityDirectoryFixture;
    let directory: IdentityDirectory;
    const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const address = (local: string) => `${local}.${run}@example.com`;

    beforeAll(async () => {
      fixture = await create();
      directory = fixture.directory;
    });

    afterAll(async () => {
      await fixture?.dispose?.();
    });

    it('creates an account with an id and the normalised address', async () => {
      const account = await directory.upsert({ email: address('create'), displayName: 'Ada Lovelace' });
      expect(account).toEqual({ id: expect.any(String), email: address('create'), displayName: 'Ada Lovelace', previousEmails: [] });
      expect(account.id.length).toBeGreaterThan(0);
    });

    it('is idempotent by email: the same address is one account, whatever its case', async () => {
      const first = await directory.upsert({ email: address('idem'), displayName: 'Grace' });
      const again = await directory.upsert({ email: `  ${address('IDEM').toUpperCase()} `, displayName: 'Grace' });
      expect(again).toEqual(first);
    });

    it('updates the display name and replaces previous addresses when they are given', async () => {
      const created = await directory.upsert({ email: address('upd'), displayName: 'Old', previousEmails: [address('upd-old1')] });
      const updated = await directory.upsert({ email: address('upd'), displayName: 'New', previousEmails: [address('upd-old2')] });
      expect(updated).toEqual({ id: created.id, email: address('upd'), displayName: 'New', previousEmails: [address('upd-old2')] });
    });

    it('keeps previous addresses when an upsert leaves them out', async () => {
      await directory.upsert({ email: address('keep'), displayName: 'K', previousEmails: [address('keep-old')] });
      const updated = await directory.upsert({ email: address('keep'), displayName: 'K2' });
      expect(updated.previousEmails).toEqual([address('keep-old')]);
    });

    it('stores previous addresses normalised, once, and without the current address', async () => {
      const account = await directory.upsert({
        email: address('norm'),
        displayName: 'N',
        previousEmails: [address('norm-a').toUpperCase(), address('norm-a'), address('norm')],
      });
      expect(account.previousEmails).toEqual([address('norm-a')]);
    });

    it('finds an account by its current address, trimmed and case-insensitive', async () => {
      const account = await directory.upsert({ email: address('find'), displayName: 'F' });
      expect(await directory.findByEmail(address('find'))).toEqual(account);
      expect(await directory.findByEmail(`  ${address('FIND').toUpperCase()}  `)).toEqual(account);
    });

    it('finds an account by a previous address', async () => {
      const account = await directory.upsert({ email: address('moved-new'), displayName: 'M', previousEmails: [address('moved-old')] });
      expect(await directory.findByEmail(address('moved-old'))).toEqual(account);
      expect(await directory.findByEmail(address('MOVED-OLD').toUpperCase())).toEqual(account);
    });

    it('prefers the current owner of an address over an account that used it before', async () => {
      const before = await directory.upsert({ email: address('reuse-b'), displayName: 'B', previousEmails: [address('reused')] });
      const now = await directory.upsert({ email: address('reused'), displayName: 'Now' });
      expect(now.id).not.toBe(before.id);
      expect(await directory.findByEmail(address('reused'))).toEqual(now);
    });

    it('returns null for unknown addresses and ids', async () => {
      expect(await directory.findByEmail(address('nobody'))).toBeNull();
      expect(await directory.findById(`missing-${run}`)).toBeNull();
    });

    it('finds an account by id', async () => {
      const account = await directory.upsert({ email: address('byid'), displayName: 'I', previousEmails: [address('byid-old')] });
      expect(await directory.findById(account.id)).toEqual(account);
    });

    it("refuses to claim another account's current address as a previous address, changing nothing", async () => {
      const owner = await directory.upsert({ email: address('owner'), displayName: 'Owner' });
      const claimant = await directory.upsert({ email: address('claimant'), displayName: 'Claimant' });
      const error = await directory
        .upsert({ email: address('claimant'), displayName: 'Changed', previousEmails: [address('OWNER')] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ category: ErrorCategory.Conflict, code: IdentityErrorCode.EmailInUse });
      expect(await directory.findById(claimant.id)).toEqual(claimant);
      expect(await directory.findByEmail(address('owner'))).toEqual(owner);
    });

    it('keeps concurrent upserts of one address to one account', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => directory.upsert({ email: address('race'), displayName: `Racer ${i}` })),
      );
      expect(new Set(results.map((account) => account.id)).size).toBe(1);
    });
  });
}
