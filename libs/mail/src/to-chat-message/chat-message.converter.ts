import type { ParsedEmail } from '../parse-email/parsed-email.types';
import { capLength, normalizeLineBreaks, normalizeSpaces, stripControlCharacters, tidyWhitespace } from './chat-text.sanitizer';
import { htmlToChatText } from './html-text.converter';
import { markQuotedReply } from './quote.trimmer';
import { markSignature } from './signature.trimmer';

export const DEFAULT_MAX_BODY_CHARS = 20_000;

export interface ChatMessageOptions {
  /** Longest body posted, truncation marker included. */
  maxBodyChars?: number;
}

export interface ChatMessage {
  /** What the sender wrote: quotes and signature removed, whitespace tidied. '' when nothing is left. */
  body: string;
  /** The quoted earlier messages and signature that were removed, kept for "show trimmed content"; null when nothing was. */
  trimmed: string | null;
  /** The mail had no usable text part, so the body comes from its HTML. */
  fromHtml: boolean;
  /** The body (or the HTML it came from) was cut to fit; the raw email keeps all of it. */
  truncated: boolean;
}

/**
 * The chat message an email becomes. The text part is what the sender's client wrote for plain
 * readers, so it is preferred; HTML-only mail is converted to text. Both then go through the
 * same cleaning and trimming.
 */
export function toChatMessage(parsed: Pick<ParsedEmail, 'text' | 'html'>, options: ChatMessageOptions = {}): ChatMessage {
  const maxBodyChars = options.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS;
  const source = sourceText(parsed);
  const lines = normalizeSpaces(stripControlCharacters(normalizeLineBreaks(source.text))).split('\n');

  const removed = markQuotedReply(lines);
  markSignature(lines, removed);

  const body = capLength(tidyWhitespace(lines.filter((_, i) => !removed[i]).join('\n')), maxBodyChars);
  const trimmed = tidyWhitespace(removedText(lines, removed));
  return {
    body: body.text,
    trimmed: trimmed === '' ? null : capLength(trimmed, maxBodyChars).text,
    fromHtml: source.fromHtml,
    truncated: body.truncated || source.truncated,
  };
}

function sourceText(parsed: Pick<ParsedEmail, 'text' | 'html'>): { text: string; fromHtml: boolean; truncated: boolean } {
  if (parsed.text !== undefined && stripControlCharacters(parsed.text).trim() !== '') {
    return { text: parsed.text, fromHtml: false, truncated: false };
  }
  if (parsed.html !== undefined && parsed.html.trim() !== '') {
    return { ...htmlToChatText(parsed.html), fromHtml: true };
  }
  return { text: parsed.text ?? '', fromHtml: false, truncated: false };
}

/** Removed runs, in order, separated by one blank line. */
function removedText(lines: readonly string[], removed: readonly boolean[]): string {
  const runs: string[][] = [];
  lines.forEach((line, i) => {
    if (!removed[i]) return;
    if (i === 0 || !removed[i - 1]) runs.push([]);
    runs[runs.length - 1].push(line);
  });
  return runs.map((run) => run.join('\n')).join('\n\n');
}
