import { Account, AccountProfile } from './account';

/**
 * Answers "which account owns this email address" for the gateway (`me`), the relay (who sent
 * this email, DESIGN §4 rule 7) and admins. Adapters: MongoDB (the platform's own directory) or
 * an external identity service over HTTP (docs/identity-service.md).
 *
 * Every method may throw DomainError IDENTITY_UNAVAILABLE (category Unavailable) when the
 * directory cannot be reached; callers retry or degrade, they never treat it as "unknown".
 */
export interface IdentityDirectory {
  /**
   * The account whose current or previous address is `email` (trimmed, case-insensitive), or
   * null. A current address wins over another account's previous address (addresses get
   * reassigned); among previous addresses, the most recently updated account wins.
   */
  findByEmail(email: string): Promise<Account | null>;
  findById(id: string): Promise<Account | null>;
  /**
   * Creates the account for `profile.email`, or updates the one that has it (idempotent).
   * @throws DomainError (Conflict) EMAIL_IN_USE when a previous address is another account's
   *   current address
   */
  upsert(profile: AccountProfile): Promise<Account>;
}

export const IDENTITY_DIRECTORY = Symbol('IDENTITY_DIRECTORY');
