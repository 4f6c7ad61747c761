import { InMemoryIdentityDirectory } from '../../../testing/in-memory-identity-directory';
import { GetAccountHandler } from './get-account.handler';
import { GetAccountQuery } from './get-account.query';

describe('GetAccountHandler', () => {
  let directory: InMemoryIdentityDirectory;
  let handler: GetAccountHandler;

  beforeEach(() => {
    directory = new InMemoryIdentityDirectory();
    handler = new GetAccountHandler(directory);
  });

  it('returns the account with that id', async () => {
    const account = await directory.upsert({ email: 'a@example.com', displayName: 'A' });
    expect(await handler.execute(new GetAccountQuery(account.id))).toEqual(account);
  });

  it('returns null for an unknown id', async () => {
    expect(await handler.execute(new GetAccountQuery('no-such-id'))).toBeNull();
  });

  it('returns null for ids that cannot exist, without asking the directory', async () => {
    expect(await handler.execute(new GetAccountQuery('  '))).toBeNull();
    expect(await handler.execute(new GetAccountQuery('x'.repeat(1000)))).toBeNull();
    expect(directory.calls).toEqual([]);
  });
});
