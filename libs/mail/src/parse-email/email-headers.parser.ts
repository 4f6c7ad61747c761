import { decodeBytes } from './charset.decoder';
import { decodeEncodedWords } from './encoded-word.decoder';
import type { EmailHeaders } from './parsed-email.types';

/** One header as mailparser's `headerLines` gives it: the field as one string of raw bytes (latin1). */
export interface RawHeaderLine {
  key: string;
  line: string;
}

export interface HeaderField {
  name: string;
  /** Unfolded, 8-bit bytes decoded, encoded words left alone: what address and message-id parsers need. */
  raw: string;
  /** `raw` with encoded words decoded: what people read. */
  value: string;
}

/**
 * Reads header fields from their raw bytes rather than from mailparser's decoded map, which keeps
 * only some repeated headers, decodes unknown charsets to U+FFFD and mangles malformed
 * message-ids. Raw 8-bit header bytes (not allowed, but common) are read as UTF-8 when valid,
 * else as windows-1252, like body parts.
 */
export function parseHeaderFields(lines: readonly RawHeaderLine[]): HeaderField[] {
  return lines.map(({ key, line }) => {
    const colon = line.indexOf(':');
    const bytes = Buffer.from(colon < 0 ? '' : line.slice(colon + 1), 'latin1');
    const raw = decodeBytes(bytes).replace(/\r?\n(?=[ \t])/g, '').trim();
    return { name: key.trim().toLowerCase(), raw, value: decodeEncodedWords(raw).trim() };
  });
}

export function headersOf(fields: readonly HeaderField[]): EmailHeaders {
  const byName = new Map<string, string[]>();
  for (const field of fields) {
    const values = byName.get(field.name) ?? [];
    values.push(field.value);
    byName.set(field.name, values);
  }
  return new HeaderMap(byName);
}

class HeaderMap implements EmailHeaders {
  constructor(private readonly byName: ReadonlyMap<string, readonly string[]>) {}

  get(name: string): string | undefined {
    return this.getAll(name)[0];
  }

  getAll(name: string): readonly string[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  names(): readonly string[] {
    return [...this.byName.keys()];
  }
}
