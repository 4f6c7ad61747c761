import { Test } from '@nestjs/testing';
import { CqrsModule } from '@nestjs/cqrs';
import { Principal } from '@libs/auth';
import { IdentityModule, InMemoryIdentityDirectory } from '@libs/identity';
import { AccountsResolver } from './accounts.resolver';

/** The real identity handlers and CQRS buses, on the in-memory directory. */
async function resolverWith(directory: InMemoryIdentityDirectory): Promise<AccountsResolver> {
  const moduleRef = await Test.createTestingModule({
    imports: [CqrsModule.forRoot(), IdentityModule.withDirectory(directory)],
    providers: [AccountsResolver],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(AccountsResolver);
}

const principal = (accountId: string, email: string): Principal => ({ accountId, email, roles: [], isAdmin: false });

describe('AccountsResolver', () => {
  let directory: InMemoryIdentityDirectory;
  let resolver: AccountsResolver;

  beforeEach(async () => {
    directory = new InMemoryIdentityDirectory();
    resolver = await resolverWith(directory);
  });

  it('me: the account whose id is the token subject', async () => {
    const account = await directory.upsert({ email: 'jane@example.com', displayName: 'Jane' });
    expect(await resolver.me(principal(account.id, 'other@example.com'))).toEqual({ id: account.id, email: 'jane@example.com', displayName: 'Jane' });
  });

  it('me: else the account that has (or had) the token email', async () => {
    const account = await directory.upsert({ email: 'new@example.com', displayName: 'N', previousEmails: ['old@example.com'] });
    expect((await resolver.me(principal('idp-sub', 'new@example.com'))).id).toBe(account.id);
    expect((await resolver.me(principal('idp-sub', 'old@example.com'))).id).toBe(account.id);
  });

  it('me: else an account made from the token claims', async () => {
    expect(await resolver.me(principal('sub-1', 'stranger@example.com'))).toEqual({ id: 'sub-1', email: 'stranger@example.com', displayName: 'stranger' });
  });

  it('upsertAccount: validates, normalises and stores through the command', async () => {
    const result = await resolver.upsertAccount({ email: 'Ann@Example.com', displayName: ' Ann ', previousEmails: null });
    expect(result).toEqual({ id: expect.any(String), email: 'ann@example.com', displayName: 'Ann' });
    expect(directory.all()).toEqual([{ ...result, previousEmails: [] }]);
  });
});
