import { IdentityErrors } from './identity-error';

/** RFC 5321 §4.5.3.1: a path is at most 256 octets including the angle brackets. */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

// Printable characters a mailbox may use without quoting (RFC 5322 atext and dots), plus
// non-ASCII letters for internationalised addresses (RFC 6531). Quoted local parts are refused:
// no real account uses them and they make lookups ambiguous.
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/**
 * The form addresses are stored and compared in: trimmed and lower-cased. Mail systems treat
 * local parts case-insensitively in practice, and one account must not split in two over case.
 */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** Why `value` is not an acceptable address, or undefined when it is (after normalising). */
export function emailProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_EMAIL_LENGTH) return `it is longer than ${MAX_EMAIL_LENGTH} characters`;
  const at = value.indexOf('@');
  if (at === -1 || at !== value.lastIndexOf('@')) return 'it must contain exactly one @';
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!local) return 'the part before @ is empty';
  if (local.length > MAX_LOCAL_PART_LENGTH) return `the part before @ is longer than ${MAX_LOCAL_PART_LENGTH} characters`;
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return 'the part before @ contains characters that are not allowed';
  }
  if (!domain) return 'the domain is empty';
  if (domain.length > MAX_DOMAIN_LENGTH) return `the domain is longer than ${MAX_DOMAIN_LENGTH} characters`;
  const labels = domain.split('.');
  if (labels.length < 2) return 'the domain must have at least two labels (example.com)';
  if (labels.some((label) => label.length > MAX_LABEL_LENGTH || !DOMAIN_LABEL.test(label))) return 'the domain is not a valid host name';
  return undefined;
}

export function isValidEmail(value: string): boolean {
  return emailProblem(normalizeEmail(value)) === undefined;
}

/**
 * Validates and normalises an address given by a caller.
 * @throws DomainError (Invalid) INVALID_EMAIL naming `field`
 */
export function parseEmail(value: unknown, field = 'email'): string {
  if (typeof value !== 'string') throw IdentityErrors.invalidEmail(field, 'it must be a string');
  const normalized = normalizeEmail(value);
  const problem = emailProblem(normalized);
  if (problem) throw IdentityErrors.invalidEmail(field, problem);
  return normalized;
}
