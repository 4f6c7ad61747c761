/** The role that unlocks admin operations (DESIGN §6: `roles: ["admin"]`). */
export const ADMIN_ROLE = 'admin';

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  /** The token's `sub`: the account id. */
  accountId: string;
  /** The token's `email`, lower-cased so it compares equal to stored addresses. */
  email: string;
  roles: readonly string[];
  isAdmin: boolean;
  /** When the token stops being valid, if it says; long-lived connections re-check it. */
  expiresAt?: Date;
}
