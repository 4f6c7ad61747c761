import { decodeBytes } from './charset.decoder';

const ENCODED_WORD = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;

/**
 * Decodes RFC 2047 encoded words (`=?charset?B|Q?…?=`) with the same charset fallbacks as bodies,
 * so `=?unknown-8bit?Q?Caf=E9?=` reads "Café" instead of "Caf�" (libmime, which mailparser
 * uses, falls back to UTF-8 for names iconv-lite does not know).
 *
 * Adjacent words are joined before decoding when they share a charset: mailers split multi-byte
 * characters across words, which only decode correctly together. Whitespace between two encoded
 * words is not part of the text (RFC 2047 §6.2).
 */
export function decodeEncodedWords(value: string): string {
  let output = '';
  let cursor = 0;
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  const flush = () => {
    if (pending) output += decodeBytes(Buffer.concat(pending.bytes), pending.charset);
    pending = null;
  };

  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, declared, encoding, text] = match;
    const gap = value.slice(cursor, match.index);
    if (!(pending && /^[ \t\r\n]*$/.test(gap))) {
      flush();
      output += gap;
    }
    // RFC 2231 allows a language after '*': `utf-8*en`.
    const charset = declared.split('*')[0].toLowerCase();
    const bytes = encoding.toLowerCase() === 'b' ? Buffer.from(text, 'base64') : decodeQ(text);
    if (pending && pending.charset !== charset) flush();
    pending ??= { charset, bytes: [] };
    pending.bytes.push(bytes);
    cursor = match.index + word.length;
  }
  flush();
  return output + value.slice(cursor);
}

/** The Q encoding: quoted-printable where '_' stands for a space. */
function decodeQ(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const hex = text.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(char === '_' ? 0x20 : char.charCodeAt(0) & 0xff);
    }
  }
  return Buffer.from(bytes);
}
