import { ErrorCategory } from '@libs/contracts';
import { IdentityErrors } from '../../../domain/identity-error';
import { InMemoryIdentityDirectory } from '../../../testing/in-memory-identity-directory';
import { FindAccountByEmailHandler } from './find-account-by-email.handler';
import { FindAccountByEmailQuery } from './find-account-by-email.query';

describe('FindAccountByEmailHandler', () => {
  let directory: InMemoryIdentityDirectory;
  let handler: FindAccountByEmailHandler;

  beforeEach(() => {
    directory = new InMemoryIdentityDirectory();
    handler = new FindAccountByEmailHandler(directory);
  });

  it('finds an account by its current or a previous address', async () => {
    const account = await directory.upsert({ email: 'new@example.com', displayName: 'N', previousEmails: ['old@example.com'] });
    expect(await handler.execute(new FindAccountByEmailQuery('NEW@example.com'))).toEqual(account);
    expect(await handler.execute(new FindAccountByEmailQuery(' old@example.com '))).toEqual(account);
  });

  it('answers null for an unknown address', async () => {
    expect(await handler.execute(new FindAccountByEmailQuery('nobody@example.com'))).toBeNull();
  });

  it('answers null for something no account could have, without asking the directory', async () => {
    expect(await handler.execute(new FindAccountByEmailQuery('MAILER-DAEMON'))).toBeNull();
    expect(await handler.execute(new FindAccountByEmailQuery(`${'x'.repeat(300)}@example.com`))).toBeNull();
    expect(directory.calls).toEqual([]);
  });

  it('lets unavailability through: unknown and unreachable are different answers', async () => {
    directory.failure = IdentityErrors.unavailable();
    await expect(handler.execute(new FindAccountByEmailQuery('a@example.com'))).rejects.toMatchObject({ category: ErrorCategory.Unavailable });
  });
});
