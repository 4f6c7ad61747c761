import { ErrorCategory } from '@libs/contracts';
import { IdentityErrorCode } from '../../../domain/identity-error';
import { InMemoryIdentityDirectory } from '../../../testing/in-memory-identity-directory';
import { UpsertAccountCommand } from './upsert-account.command';
import { UpsertAccountHandler } from './upsert-account.handler';

describe('UpsertAccountHandler', () => {
  let directory: InMemoryIdentityDirectory;
  let handler: UpsertAccountHandler;

  beforeEach(() => {
    directory = new InMemoryIdentityDirectory();
    handler = new UpsertAccountHandler(directory);
  });

  it('creates the account, normalised', async () => {
    const account = await handler.execute(new UpsertAccountCommand(' Jane@Example.com', ' Jane Doe ', ['JD@old.example.com']));
    expect(account).toEqual({ id: expect.any(String), email: 'jane@example.com', displayName: 'Jane Doe', previousEmails: ['jd@old.example.com'] });
    expect(directory.all()).toEqual([account]);
  });

  it('updates the same account when the address is upserted again', async () => {
    const first = await handler.execute(new UpsertAccountCommand('jane@example.com', 'Jane'));
    const second = await handler.execute(new UpsertAccountCommand('JANE@example.com', 'Jane D.'));
    expect(second).toEqual({ ...first, displayName: 'Jane D.' });
    expect(directory.all()).toHaveLength(1);
  });

  it('refuses invalid input before touching the directory', async () => {
    await expect(handler.execute(new UpsertAccountCommand('not-an-address', 'Jane'))).rejects.toMatchObject({
      category: ErrorCategory.Invalid,
      code: IdentityErrorCode.InvalidEmail,
    });
    await expect(handler.execute(new UpsertAccountCommand('jane@example.com', 'Jane\nBcc: x@example.com'))).rejects.toMatchObject({
      code: IdentityErrorCode.InvalidDisplayName,
    });
    expect(directory.calls).toEqual([]);
  });

  it("passes on the directory's conflict when a previous address belongs to someone else", async () => {
    await handler.execute(new UpsertAccountCommand('owner@example.com', 'Owner'));
    await expect(handler.execute(new UpsertAccountCommand('jane@example.com', 'Jane', ['owner@example.com']))).rejects.toMatchObject({
      category: ErrorCategory.Conflict,
      code: IdentityErrorCode.EmailInUse,
    });
  });
});
