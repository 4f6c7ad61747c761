import { randomBytes } from 'node:crypto';

/**
 * A conversation alias is `<display-name-slug>-<token>@<alias domain>`.
 *
 * The slug is only a courtesy for humans reading the address; routing uses the token alone. The
 * token is 13 symbols of a 32-letter alphabet drawn from the OS's CSPRNG (65 bits), so knowing
 * any number of aliases tells nothing about another. The alphabet leaves out 0/o and 1/l so an
 * address read aloud or retyped survives.
 */
export const TOKEN_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
export const TOKEN_LENGTH = 13;
export const TOKEN_BITS = TOKEN_LENGTH * Math.log2(TOKEN_ALPHABET.length);
const SLUG_MAX = 24;
const MAX_ADDRESS_INPUT = 998; // RFC 5322 line length: anything longer is not an address
const MAX_ADDRESS = 254; // RFC 5321 path limit
const MAX_LOCAL_PART = 64;

const TOKEN_PATTERN = `[${TOKEN_ALPHABET}]{${TOKEN_LENGTH}}`;
const ALIAS_LOCAL_PART = new RegExp(`^(?:([a-z0-9]+(?:-[a-z0-9]+)*)-)?(${TOKEN_PATTERN})$`);
const LEGACY_LOCAL_PART = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ATOM = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function generateAliasToken(random: (size: number) => Buffer = randomBytes): string {
  // Rejection-free: 32 symbols map exactly onto 5 bits, so each byte's low 5 bits are uniform.
  const bytes = random(TOKEN_LENGTH);
  let token = '';
  for (let i = 0; i < TOKEN_LENGTH; i++) token += TOKEN_ALPHABET[bytes[i] & 31];
  return token;
}

/** ASCII-folded, lower-case, hyphen-separated, at most 24 characters; "participant" if nothing is left. */
export function slugify(displayName: string): string {
  const folded = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const capped = folded.slice(0, SLUG_MAX).replace(/-+$/g, '');
  return capped || 'participant';
}

export interface IssuedAlias {
  address: string;
  token: string;
}

export function issueAlias(displayName: string, aliasDomain: string, token = generateAliasToken()): IssuedAlias {
  return { address: `${slugify(displayName)}-${token}@${aliasDomain.toLowerCase()}`, token };
}

export type ParsedAddress =
  | { kind: 'alias'; address: string; token: string }
  | { kind: 'legacy'; address: string; legacyId: string }
  /** Our domain, but no alias shape: a mistyped or invented address. */
  | { kind: 'unknown'; address: string }
  /** Somebody else's domain. */
  | { kind: 'foreign'; address: string }
  | { kind: 'invalid'; reason: string };

export interface ParseAliasOptions {
  aliasDomain: string;
  /** Domains of the legacy system whose UUID-style aliases keep routing. */
  legacyDomains?: readonly string[];
}

/**
 * Reads one recipient as it appears in a header or an envelope: `Jane <jane-x@relay…>`,
 * `"Doe, Jane" <…>`, or a bare address. Case-insensitive; `+tags` are ignored. Anything that is
 * not one plain mailbox is refused with a reason instead of being guessed at.
 */
export function parseAliasAddress(input: string, options: ParseAliasOptions): ParsedAddress {
  if (input.length > MAX_ADDRESS_INPUT) return { kind: 'invalid', reason: 'too long' };
  if (/[\u0000-\u001f\u007f]/.test(input)) return { kind: 'invalid', reason: 'control characters' };
  const mailbox = extractMailbox(input.trim());
  if (mailbox === null) return { kind: 'invalid', reason: 'not a single mailbox' };
  if (mailbox.length > MAX_ADDRESS) return { kind: 'invalid', reason: 'address too long' };
  if (mailbox.includes('=?')) return { kind: 'invalid', reason: 'encoded words are not addresses' };

  const at = mailbox.lastIndexOf('@');
  if (at <= 0 || at !== mailbox.indexOf('@')) return { kind: 'invalid', reason: 'expected exactly one @' };
  const localPart = mailbox.slice(0, at).toLowerCase();
  const domain = mailbox.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (localPart.length > MAX_LOCAL_PART || !ATOM.test(localPart)) return { kind: 'invalid', reason: 'malformed local part' };
  if (!DOMAIN.test(domain)) return { kind: 'invalid', reason: 'malformed domain' };

  const base = localPart.split('+')[0];
  const address = `${localPart}@${domain}`;
  const legacyDomains = (options.legacyDomains ?? []).map((d) => d.toLowerCase());
  const ours = domain === options.aliasDomain.toLowerCase();
  if ((ours || legacyDomains.includes(domain)) && LEGACY_LOCAL_PART.test(base)) {
    return { kind: 'legacy', address: `${base}@${domain}`, legacyId: base };
  }
  if (!ours) return { kind: 'foreign', address };
  const match = ALIAS_LOCAL_PART.exec(base);
  if (!match) return { kind: 'unknown', address };
  return { kind: 'alias', address: `${base}@${domain}`, token: match[2] };
}

/** The addr-spec inside `Name <addr>`, or the bare address; null for groups and lists. */
function extractMailbox(value: string): string | null {
  const open = value.lastIndexOf('<');
  if (open >= 0) {
    const close = value.indexOf('>', open);
    if (close < 0 || value.slice(close + 1).trim() !== '') return null;
    const displayName = value.slice(0, open);
    if (!balancedQuotes(displayName)) return null;
    return value.slice(open + 1, close).trim();
  }
  if (/[\s,;:"<>()[\]\\]/.test(value)) return null;
  return value;
}

function balancedQuotes(text: string): boolean {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') inQuotes = !inQuotes;
    else if (!inQuotes && /[<>@,;]/.test(text[i])) return false;
  }
  return !inQuotes;
}
