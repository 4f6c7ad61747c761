import { isUtf8 } from 'node:buffer';
import * as Encoding from 'encoding-japanese';
import * as iconv from 'iconv-lite';

export const UTF8 = 'utf-8';
/** What a broken or unknown declaration most likely means: WHATWG decodes `iso-8859-1` and `us-ascii` as this too. */
export const WESTERN_FALLBACK = 'windows-1252';

/**
 * Declarations that are wrong often enough that the bytes decide: mailers default to UTF-8 or
 * Latin-1 without looking at what they send, and some label UTF-8 as Latin-1.
 */
const VERIFIED_LABELS = new Set(['', 'utf-8', 'utf8', 'us-ascii', 'ascii', 'iso-8859-1', 'iso_8859-1', 'latin1', 'l1', 'windows-1252', 'cp1252']);

/** iconv-lite has no ISO-2022-JP; encoding-japanese (what mailparser uses for it) has. */
const JIS_FAMILY = /^(?:jis|iso-?2022-?jp)/;

export function normalizeCharsetLabel(label: string | false | null | undefined): string {
  return (label || '').trim().replace(/^["']|["']$/g, '').toLowerCase();
}

export function isKnownCharset(label: string): boolean {
  return JIS_FAMILY.test(label) || iconv.encodingExists(label);
}

/**
 * The charset to decode `bytes` with, given what the mail declared.
 *
 * A specific, known declaration (Shift_JIS, ISO-8859-2, KOI8-R, UTF-16, …) is trusted: guessing
 * between legacy multi-byte encodings does more harm than good. A missing, unknown (`utf8x`,
 * `unknown-8bit`) or commonly wrong one (UTF-8, ASCII, Latin-1) is checked against the bytes:
 * valid UTF-8 is UTF-8 — Latin-1 text practically never forms valid multi-byte UTF-8 sequences —
 * and anything else is read as windows-1252, the most common source of 8-bit text that is not
 * UTF-8.
 */
export function resolveCharset(declared: string | false | null | undefined, bytes: Buffer): string {
  const label = normalizeCharsetLabel(declared);
  const trusted = !VERIFIED_LABELS.has(label) && isKnownCharset(label);
  if (trusted) return label;
  // Bytes 0x80-0x9F labelled ISO-8859-1 are nearly always windows-1252 punctuation (curly quotes,
  // €, …), which is why browsers decode that label as windows-1252 too.
  return isUtf8(bytes) ? UTF8 : WESTERN_FALLBACK;
}

/** Decodes with `resolveCharset`'s choice; never throws and never returns U+FFFD for single-byte fallbacks. */
export function decodeBytes(bytes: Buffer, declared?: string | false | null): string {
  const charset = resolveCharset(declared, bytes);
  if (charset === UTF8) return bytes.toString('utf8');
  try {
    if (JIS_FAMILY.test(charset)) return Encoding.convert(Array.from(bytes), { to: 'UNICODE', from: 'JIS', type: 'string' });
    return iconv.decode(bytes, charset);
  } catch {
    return iconv.decode(bytes, WESTERN_FALLBACK);
  }
}
