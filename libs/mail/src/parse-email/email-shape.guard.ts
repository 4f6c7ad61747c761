import { MalformedEmailError } from '../mail.errors';

const SNIFF_BYTES = 64 * 1024;
/** RFC 5322 field name: printable ASCII but ':', then the colon (spaces before it are obsolete syntax, still seen). */
const HEADER_FIELD = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
/** The "From sender date" line an MTA's mbox-style delivery (Postfix pipe with the F flag) puts first. */
const MBOX_FROM_LINE = /^From \S+.*\r?\n/;

/**
 * Refuses input that is not an email before the MIME parser sees it: mailparser accepts any
 * bytes and returns an empty message, which would then travel the whole pipeline. An email starts
 * with header fields; binary data has NUL or many control bytes in its first lines.
 */
export function assertEmailShape(raw: Buffer): void {
  if (raw.length === 0 || raw.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d)) {
    throw new MalformedEmailError('the input is empty');
  }
  const head = headerSection(raw.subarray(0, SNIFF_BYTES));
  if (looksBinary(head)) throw new MalformedEmailError('the input is binary data, not a message');
  const text = head.toString('latin1').replace(MBOX_FROM_LINE, '');
  if (!HEADER_FIELD.test(text)) throw new MalformedEmailError('it does not start with a header section');
}

/** Bytes up to the blank line that ends the header section (or all of them when there is none). */
function headerSection(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? bytes : bytes.subarray(0, end);
}

function looksBinary(head: Buffer): boolean {
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) controls++;
  }
  // A stray escape or form feed happens; a header section that is more than 1% control bytes does not.
  return controls > Math.max(1, head.length / 100);
}
