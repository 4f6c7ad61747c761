import { InboundEmailEnvelope } from '@libs/contracts';
import { InboundEmailErrorCode, InvalidInboundEmailError } from './inbound-email.errors';

const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
// Local part: dot-atom (UTF-8 allowed, RFC 6531) or quoted string. Domain: labels or an address literal.
const LOCAL_PART = String.raw`(?:[^\s\x00-\x1f\x7f"(),:;<>@\[\\\]]+|"(?:[^"\\\r\n]|\\.)*")`;
const LABEL = String.raw`[A-Za-z0-9\u0080-\uffff](?:[A-Za-z0-9\u0080-\uffff-]*[A-Za-z0-9\u0080-\uffff])?`;
const DOMAIN = String.raw`(?:${LABEL}(?:\.${LABEL})*|\[[^\]\s\\]+\])`;
const ADDRESS = new RegExp(`^${LOCAL_PART}@${DOMAIN}$`);

export interface EnvelopeInput {
  sender?: string | null;
  /** Each entry may itself be a comma-separated list (Mailgun's `recipient` field). */
  recipients: readonly string[];
}

/**
 * Splits an address list at the commas that separate addresses (not those inside quoted display
 * names or angle brackets) and keeps the address of each entry: `"Doe, Jane" <jane@x>` → `jane@x`.
 */
export function parseAddressList(value: string): string[] {
  const entries: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i];
    if (char === '\\' && quoted) i += 1;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === '<') angle = true;
    else if (!quoted && char === '>') angle = false;
    else if (!quoted && !angle && char === ',') {
      entries.push(value.slice(start, i));
      start = i + 1;
    }
  }
  entries.push(value.slice(start));
  return entries.map(addressOfEntry).filter((entry) => entry.length > 0);
}

function addressOfEntry(entry: string): string {
  const trimmed = entry.trim();
  const open = trimmed.lastIndexOf('<');
  const close = trimmed.lastIndexOf('>');
  return open !== -1 && close > open ? trimmed.slice(open + 1, close).trim() : trimmed;
}

/**
 * The address lower-cased (aliases are case-insensitive, and one spelling per address keeps
 * de-duplication simple), or null when it is not an address.
 */
export function normalizeAddress(value: string): string | null {
  const address = addressOfEntry(value);
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH) return null;
  const at = address.lastIndexOf('@');
  if (at < 1 || at > MAX_LOCAL_PART_LENGTH + 2 || !ADDRESS.test(address)) return null;
  return address.toLowerCase();
}

/**
 * The envelope of one delivery, checked: at least one and at most `maxRecipients` recipients,
 * each an address. The sender is informational: an empty or null sender (`<>`) and one that is
 * not an address both become null, which downstream means "never bounce to it".
 *
 * @throws InvalidInboundEmailError
 */
export function normalizeEnvelope(input: EnvelopeInput, maxRecipients: number): InboundEmailEnvelope {
  const entries = input.recipients.flatMap(parseAddressList);
  if (entries.length === 0) {
    throw new InvalidInboundEmailError(InboundEmailErrorCode.NoRecipients, 'The delivery names no envelope recipient.');
  }
  if (entries.length > maxRecipients) {
    throw new InvalidInboundEmailError(
      InboundEmailErrorCode.TooManyRecipients,
      `The delivery names ${entries.length} envelope recipients; at most ${maxRecipients} are accepted.`,
    );
  }
  const recipients = new Set<string>();
  entries.forEach((entry, index) => {
    const address = normalizeAddress(entry);
    if (!address) {
      throw new InvalidInboundEmailError(InboundEmailErrorCode.InvalidRecipient, `Envelope recipient #${index + 1} is not an email address.`);
    }
    recipients.add(address);
  });
  const sender = input.sender ? normalizeAddress(input.sender) : null;
  return { sender, recipients: [...recipients] };
}
