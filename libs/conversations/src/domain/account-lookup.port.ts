/** Optional link to the identity directory: which account (if any) owns an address. */
export interface AccountLookup {
  accountIdForEmail(email: string): Promise<string | null>;
}

export const ACCOUNT_LOOKUP = Symbol('ACCOUNT_LOOKUP');
