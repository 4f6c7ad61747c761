/** ANSI terminal sequences (colour codes from scripts and CRMs): removed whole, not just their ESC byte. */
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
/** C0 and C1 controls except \t and \n, DEL, and the BOM / zero-width no-break space iOS puts into quotes. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufeff]/g;
/** No-break spaces (Outlook's &nbsp;, French typography before ':' and '?') read as plain spaces in chat. */
const NO_BREAK_SPACE = /[\u00a0\u2007\u202f]/g;

/** One line-break convention: CRLF, lone CR and the Unicode line/paragraph separators become \n. */
export function normalizeLineBreaks(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n');
}

/** Removes what no chat client should render or store: NUL, terminal escapes, other controls. Keeps \n and \t. */
export function stripControlCharacters(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(CONTROL, '');
}

export function normalizeSpaces(text: string): string {
  return text.replace(NO_BREAK_SPACE, ' ');
}

/**
 * Trailing whitespace on each line removed, runs of blank lines reduced to one, and no blank
 * lines at either end. Indentation inside the text is kept: it carries meaning in lists and code.
 */
export function tidyWhitespace(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

export interface CappedText {
  text: string;
  truncated: boolean;
}

export function truncationMarker(omitted: number): string {
  return `\n\n[… message truncated, ${omitted.toLocaleString('en-US')} characters omitted]`;
}

/**
 * At most `maxChars` characters including a visible marker saying how much was cut, so the reader
 * knows the message goes on (the whole email stays in the blob store). Never splits a surrogate
 * pair, and prefers to cut at a line or word break near the limit.
 */
export function capLength(text: string, maxChars: number): CappedText {
  if (text.length <= maxChars) return { text, truncated: false };
  const room = Math.max(0, maxChars - truncationMarker(text.length).length);
  let cut = room;
  const lastBreak = Math.max(text.lastIndexOf('\n', room), text.lastIndexOf(' ', room));
  if (lastBreak > room * 0.9) cut = lastBreak;
  if (cut > 0 && /[\ud800-\udbff]/.test(text[cut - 1])) cut--;
  const kept = text.slice(0, cut).trimEnd();
  return { text: kept + truncationMarker(text.length - kept.length), truncated: true };
}
