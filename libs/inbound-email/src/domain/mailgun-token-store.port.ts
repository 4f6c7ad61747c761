/**
 * Mailgun tokens already used, shared by every gateway instance: a signed post can be replayed
 * by anyone who saw it, until its timestamp is stale.
 */
export interface MailgunTokenStore {
  /** True the first time a token is claimed; false when it was claimed before (a replay). */
  claim(token: string, expiresAt: Date): Promise<boolean>;
  /** Forgets a claim whose post was not accepted, so the provider's retry is not taken for a replay. */
  release(token: string): Promise<void>;
  /** Removes tokens that expired before `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

export const MAILGUN_TOKEN_STORE = Symbol('MAILGUN_TOKEN_STORE');
