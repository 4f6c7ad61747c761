import { IdentityErrors } from './identity-error';

export const MAX_DISPLAY_NAME_LENGTH = 200;

// Control characters (C0, DEL, C1) and line/paragraph separators: a display name ends up in
// email From headers, where a line break would let a caller inject headers.
const FORBIDDEN = /[\p{Cc}\u2028\u2029]/u;

/**
 * Validates a display name: trimmed, 1-200 characters, no control characters.
 * @throws DomainError (Invalid) INVALID_DISPLAY_NAME
 */
export function parseDisplayName(value: unknown): string {
  if (typeof value !== 'string') throw IdentityErrors.invalidDisplayName('must be a string');
  const trimmed = value.trim();
  if (!trimmed) throw IdentityErrors.invalidDisplayName('must not be empty');
  // Counted in code points, so a name in a non-Latin script gets the same allowance.
  if ([...trimmed].length > MAX_DISPLAY_NAME_LENGTH) {
    throw IdentityErrors.invalidDisplayName(`must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`);
  }
  if (FORBIDDEN.test(trimmed)) throw IdentityErrors.invalidDisplayName('must not contain control characters or line breaks');
  return trimmed;
}
