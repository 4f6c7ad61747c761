import { InboundEmailErrorCode, InvalidInboundEmailError } from './inbound-email.errors';

export interface EmailStructureLimits {
  /** Longest line allowed in the header section, in bytes, without its line break. */
  maxHeaderLineBytes: number;
}

export interface HeaderSection {
  /** How many header fields the section has (up to where it ends). */
  fieldCount: number;
  /** Unfolded values of the requested fields, by lower-case name, top first. */
  values: Map<string, string[]>;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
const NUL = 0x00;
const MAX_FIELD_NAME = 256;
/** One of these makes a header section an email's rather than any "Name: value" text. */
const IDENTITY_FIELDS = new Set(['from', 'date', 'message-id']);

/**
 * A cheap structural check of a raw email, not a MIME parse (the relay parses): the bytes must
 * start with a header section with at least one well-formed `Name: value` field, one of them
 * From, Date or Message-ID. Lenient where mail in the wild is sloppy: LF or CRLF line ends, a
 * missing body, a truncated message, any bytes in the body (NUL included) and 8-bit header
 * values. Strict where downstream parsers and logs get hurt: header lines over the limit and NUL
 * bytes in the header section are refused.
 *
 * The section ends at the first empty line, at the end of the bytes, or at the first line that
 * is neither a field nor a continuation (the relay's parser treats that line as body too).
 *
 * @throws InvalidInboundEmailError
 */
export function inspectHeaderSection(raw: Buffer, limits: EmailStructureLimits, wanted: readonly string[] = []): HeaderSection {
  const wantedNames = new Set(wanted.map((name) => name.toLowerCase()));
  const values = new Map<string, string[]>();
  let fieldCount = 0;
  let identified = false;
  // The requested field being read: its name and its lines (a value may be folded over several).
  let currentName: string | null = null;
  let currentParts: Buffer[] = [];
  const finishCurrent = () => {
    if (currentName === null) return;
    const value = Buffer.concat(currentParts).toString('utf8').trim();
    values.set(currentName, [...(values.get(currentName) ?? []), value]);
    currentName = null;
    currentParts = [];
  };

  let position = 0;
  while (position < raw.length) {
    const newline = raw.indexOf(LF, position);
    const lineEnd = newline === -1 ? raw.length : newline;
    const contentEnd = lineEnd > position && raw[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (contentEnd === position) break; // the empty line that ends the header section
    const line = raw.subarray(position, contentEnd);
    const continuation = line[0] === SP || line[0] === HTAB;
    const colon = continuation ? -1 : fieldNameEnd(line);
    if ((continuation && fieldCount === 0) || (!continuation && colon === -1)) break;
    if (line.length > limits.maxHeaderLineBytes) {
      throw new InvalidInboundEmailError(
        InboundEmailErrorCode.HeaderLineTooLong,
        `A header line of the email is longer than ${limits.maxHeaderLineBytes} bytes.`,
      );
    }
    if (line.includes(NUL)) {
      throw new InvalidInboundEmailError(InboundEmailErrorCode.NulInHeaders, 'The header section of the email contains NUL bytes.');
    }
    if (continuation) {
      if (currentName !== null) currentParts.push(line);
    } else {
      finishCurrent();
      fieldCount += 1;
      const name = line.toString('latin1', 0, colon).trimEnd().toLowerCase();
      if (IDENTITY_FIELDS.has(name)) identified = true;
      if (wantedNames.has(name)) {
        currentName = name;
        currentParts = [line.subarray(colon + 1)];
      }
    }
    if (newline === -1) break;
    position = newline + 1;
  }
  finishCurrent();

  if (fieldCount === 0 || !identified) {
    throw new InvalidInboundEmailError(
      InboundEmailErrorCode.NotAnEmail,
      'The body is not an email: it must start with a header section with a From, Date or Message-ID field.',
    );
  }
  return { fieldCount, values };
}

/**
 * Index of the colon ending a well-formed field name (printable ASCII but the colon, RFC 5322
 * §2.2, with the obsolete whitespace before the colon allowed), or -1.
 */
function fieldNameEnd(line: Buffer): number {
  let index = 0;
  const limit = Math.min(line.length, MAX_FIELD_NAME + 1);
  while (index < limit && line[index] > SP && line[index] < 0x7f && line[index] !== COLON) index += 1;
  if (index === 0) return -1;
  while (index < limit && (line[index] === SP || line[index] === HTAB)) index += 1;
  return index < limit && line[index] === COLON ? index : -1;
}
