import { randomUUID } from 'node:crypto';
import { DomainError } from '@libs/contracts';
import { Account, AccountProfile, previousEmailsOf } from '../domain/account';
import { normalizeEmail } from '../domain/email-address';
import { IdentityDirectory } from '../domain/identity-directory.port';
import { IdentityErrors } from '../domain/identity-error';

interface StoredAccount extends Account {
  updatedAt: number;
}

/**
 * The IdentityDirectory port in memory, for unit tests and for the stub identity service of the
 * HTTP adapter's tests. It passes the same contract suite as the real adapters
 * (identity-directory.contract.ts), so tests written against it hold for them.
 */
export class InMemoryIdentityDirectory implements IdentityDirectory {
  private readonly accounts = new Map<string, StoredAccount>();
  private clock = 0;
  /** When set, every call fails with it: simulates an outage. */
  failure: DomainError | Error | undefined;
  readonly calls: { method: keyof IdentityDirectory; argument: unknown }[] = [];

  async findByEmail(email: string): Promise<Account | null> {
    this.record('findByEmail', email);
    const address = normalizeEmail(email);
    const all = [...this.accounts.values()];
    const current = all.find((account) => account.email === address);
    if (current) return copy(current);
    const previous = all
      .filter((account) => account.previousEmails.includes(address))
      .sort((a, b) => b.updatedAt - a.updatedAt)[0];
    return previous ? copy(previous) : null;
  }

  async findById(id: string): Promise<Account | null> {
    this.record('findById', id);
    const account = this.accounts.get(id);
    return account ? copy(account) : null;
  }

  async upsert(profile: AccountProfile): Promise<Account> {
    this.record('upsert', profile);
    const email = normalizeEmail(profile.email);
    const previousEmails = profile.previousEmails === undefined ? undefined : previousEmailsOf(email, profile.previousEmails);
    for (const address of previousEmails ?? []) {
      if ([...this.accounts.values()].some((account) => account.email === address)) throw IdentityErrors.emailInUse(address);
    }
    const existing = [...this.accounts.values()].find((account) => account.email === email);
    const account: StoredAccount = {
      id: existing?.id ?? randomUUID(),
      email,
      displayName: profile.displayName,
      previousEmails: previousEmails ?? existing?.previousEmails ?? [],
      updatedAt: ++this.clock,
    };
    this.accounts.set(account.id, account);
    return copy(account);
  }

  /** Test helper: every stored account. */
  all(): Account[] {
    return [...this.accounts.values()].map(copy);
  }

  private record(method: keyof IdentityDirectory, argument: unknown): void {
    this.calls.push({ method, argument });
    if (this.failure) throw this.failure;
  }
}

function copy(account: StoredAccount): Account {
  return { id: account.id, email: account.email, displayName: account.displayName, previousEmails: [...account.previousEmails] };
}
