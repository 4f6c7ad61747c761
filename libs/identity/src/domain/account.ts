import { normalizeEmail, parseEmail } from './email-address';
import { parseDisplayName } from './display-name';
import { IdentityErrors } from './identity-error';

/** Someone with an account on the platform, and every address they have been known by. */
export interface Account {
  id: string;
  /** Current address, normalised (trimmed, lower-case). */
  email: string;
  displayName: string;
  /** Addresses the account used before, normalised; routing still recognises them. */
  previousEmails: string[];
}

/** What an upsert writes. The email is the key: upserting the same address twice is one account. */
export interface AccountProfile {
  email: string;
  displayName: string;
  /** When given, replaces the stored list; when absent, the stored list is kept. */
  previousEmails?: string[];
}

export const MAX_PREVIOUS_EMAILS = 50;

/**
 * Validates and normalises a profile given by a caller.
 * @throws DomainError (Invalid) INVALID_EMAIL, INVALID_DISPLAY_NAME or TOO_MANY_PREVIOUS_EMAILS
 */
export function createAccountProfile(input: { email: unknown; displayName: unknown; previousEmails?: unknown }): AccountProfile {
  const email = parseEmail(input.email, 'email');
  const displayName = parseDisplayName(input.displayName);
  if (input.previousEmails === undefined || input.previousEmails === null) return { email, displayName };
  if (!Array.isArray(input.previousEmails)) throw IdentityErrors.invalidEmail('previousEmails', 'it must be a list');
  if (input.previousEmails.length > MAX_PREVIOUS_EMAILS) throw IdentityErrors.tooManyPreviousEmails(MAX_PREVIOUS_EMAILS);
  const previous = input.previousEmails.map((value, index) => parseEmail(value, `previousEmails[${index}]`));
  return { email, displayName, previousEmails: previousEmailsOf(email, previous) };
}

/**
 * The stored form of a previous-address list: normalised, without duplicates, and without the
 * current address (listing it is harmless, so it is dropped rather than refused).
 */
export function previousEmailsOf(currentEmail: string, previous: readonly string[]): string[] {
  const current = normalizeEmail(currentEmail);
  return [...new Set(previous.map(normalizeEmail))].filter((address) => address && address !== current);
}
