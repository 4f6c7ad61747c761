import { isBlank, isForwardMarker, isQuotedLine, matchReplyHeader, nextNonBlank } from './reply-header.patterns';

/**
 * Marks the lines of a plain-text reply that repeat earlier messages. The chat already shows
 * those messages, so only what the sender wrote is posted.
 *
 * - Top-posting (Gmail, Outlook, Apple Mail, mobile): the reply header ("On … wrote:",
 *   "From: … Sent: …", "-----Original Message-----") and everything below it.
 * - Bottom-posting (Thunderbird's default): the header and the quoted block under it; the text
 *   written below the quote is the reply.
 * - Interleaved answers: the quoted lines stay as the context of each answer; only the header goes.
 * - A quoted block that ends the message, with no header above it.
 * - Forwarded messages are kept whole: sharing them is why they were sent.
 *
 * Returns one flag per line: true when the line is part of a quote.
 */
export function markQuotedReply(lines: readonly string[]): boolean[] {
  const quoted = lines.map(() => false);
  for (let i = 0; i < lines.length; i++) {
    if (isBlank(lines[i]) || isQuotedLine(lines[i])) continue;
    if (isForwardMarker(lines[i])) return quoted;
    const header = matchReplyHeader(lines, i);
    if (!header) continue;
    if (header.forwarded) return quoted;

    const below = nextNonBlank(lines, header.end);
    if (below < 0 || !isQuotedLine(lines[below])) {
      // Outlook style: the earlier message follows unmarked, down to the end.
      mark(quoted, header.start, lines.length);
      return quoted;
    }
    const blockEnd = endOfQuotedBlock(lines, below);
    const rest = lines.slice(blockEnd);
    if (!rest.some((line) => !isBlank(line) && !isQuotedLine(line))) {
      mark(quoted, header.start, lines.length);
      return quoted;
    }
    const interleaved = rest.some(isQuotedLine);
    mark(quoted, header.start, interleaved ? header.end : blockEnd);
    i = (interleaved ? header.end : blockEnd) - 1;
  }
  markTrailingQuote(lines, quoted);
  return quoted;
}

/** First line after a run of quoted (and blank) lines starting at `from`, blank lines at its end excluded. */
function endOfQuotedBlock(lines: readonly string[], from: number): number {
  let end = from;
  for (let i = from; i < lines.length; i++) {
    if (isQuotedLine(lines[i])) end = i + 1;
    else if (!isBlank(lines[i])) break;
  }
  return end;
}

/** A quoted block that ends the message, like iOS Mail's (its "On … wrote:" line is quoted too). */
function markTrailingQuote(lines: readonly string[], quoted: boolean[]): void {
  let last = lines.length - 1;
  while (last >= 0 && (quoted[last] || isBlank(lines[last]))) last--;
  if (last < 0 || !isQuotedLine(lines[last])) return;
  let first = last;
  for (let i = last - 1; i >= 0 && !quoted[i]; i--) {
    if (isQuotedLine(lines[i])) first = i;
    else if (!isBlank(lines[i])) break;
  }
  mark(quoted, first, last + 1);
}

function mark(flags: boolean[], from: number, to: number): void {
  for (let i = from; i < to; i++) flags[i] = true;
}
