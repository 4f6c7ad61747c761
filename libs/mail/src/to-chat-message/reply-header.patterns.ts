/**
 * Recognises where a quoted earlier message starts in a plain-text reply, in the shapes the
 * common clients write it, in English, French, German, Spanish, Dutch, Italian, Portuguese and a
 * few more. Patterns follow those of GitHub's email_reply_parser, Mailgun's talon and
 * crisp-oss/email-reply-parser, with structural checks added against false positives (see README).
 */

const MAX_HEADER_LINES = 3;
const MAX_LINE = 1000;

/** "On <date>, <name> wrote:" and its translations: the word that starts it… */
const ATTRIBUTION_INTRO = ['On', 'Le', 'El', 'Il', 'Em', 'Am', 'Op', 'Den', 'På', 'W dniu', 'Dnia', 'Dne', 'Kl\\.'].join('|');
/** …and the verb that ends it (before the colon, or before the name in German and Dutch). */
const ATTRIBUTION_VERB = [
  'wrote',
  'writes',
  'a écrit',
  'écrit',
  'escribió',
  'escribio',
  'ha escrito',
  'ha scritto',
  'scritto',
  'escreveu',
  'schrieb',
  'schreef',
  'skrev',
  'napisał\\(a\\)',
  'napisała',
  'napisał',
  'pisze',
  'kirjoitti',
  'napsal',
].join('|');
const ATTRIBUTION = new RegExp(`^\\s*[*_]?(?:${ATTRIBUTION_INTRO})\\s.{3,400}?(?:${ATTRIBUTION_VERB})[^:]{0,200}:\\s*[*_]?$`, 'iu');
/** "Jane Doe <jane@example.com> wrote:" without an intro word: trusted only right above quoted lines. */
const BARE_ATTRIBUTION = new RegExp(`^\\s*\\S.{0,300}\\s(?:${ATTRIBUTION_VERB})\\s*:\\s*$`, 'iu');

/** "-----Original Message-----" and its translations. */
const ORIGINAL_MESSAGE = new RegExp(
  `^\\s*[-_=]{2,}\\s*(?:${[
    'original message',
    'reply message',
    'ursprüngliche nachricht',
    'originalnachricht',
    "message d'origine",
    'message original',
    'mensaje original',
    'messaggio originale',
    'mensagem original',
    'oorspronkelijk bericht',
    'origineel bericht',
    'originalmeddelande',
    'oprindelig meddelelse',
    'opprinnelig melding',
    'alkuperäinen viesti',
    'wiadomość oryginalna',
    'původní zpráva',
  ].join('|')})\\s*[-_=]{2,}\\s*$`,
  'iu',
);

/** Forwarded messages are content the sender wants to share: never trimmed. */
const FORWARD_MARKER = new RegExp(
  `^\\s*(?:[-_=]{2,}\\s*(?:${[
    'forwarded message',
    'weitergeleitete nachricht',
    'message transféré',
    'mensaje reenviado',
    'messaggio inoltrato',
    'mensagem encaminhada',
    'doorgestuurd bericht',
  ].join('|')})\\s*[-_=]{2,}|(?:${[
    'begin forwarded message',
    'anfang der weitergeleiteten nachricht',
    'début du message réexpédié',
    'début du message transféré',
    'inicio del mensaje reenviado',
    'inizio messaggio inoltrato',
    'início da mensagem reencaminhada',
    'begin doorgestuurd bericht',
  ].join('|')})\\s*:)`,
  'iu',
);
const FORWARD_SUBJECT = /^(?:fwd?|wg|tr|rv|i|enc|doorst|vs|vb)\s*:/i;

/** Field labels of the header block Outlook (and Gmail for forwards) writes above a quoted message. */
const FIELD_LABELS: Record<FieldKind, string[]> = {
  from: ['From', 'De', 'Von', 'Van', 'Da', 'Fra', 'Från', 'Od', 'Lähettäjä', 'Feladó', 'От'],
  sent: ['Sent', 'Date', 'Envoyé', 'Gesendet', 'Datum', 'Enviado', 'Enviada', 'Enviada em', 'Enviado el', 'Fecha', 'Verzonden', 'Inviato', 'Data', 'Sendt', 'Skickat', 'Wysłano', 'Lähetetty', 'Отправлено'],
  to: ['To', 'À', 'A', 'An', 'Aan', 'Para', 'Til', 'Till', 'Do', 'Vastaanottaja', 'Кому'],
  cc: ['Cc', 'Kopie', 'Copie à', 'CC'],
  subject: ['Subject', 'Objet', 'Betreff', 'Asunto', 'Onderwerp', 'Oggetto', 'Assunto', 'Emne', 'Ämne', 'Temat', 'Aihe', 'Тема'],
};
type FieldKind = 'from' | 'sent' | 'to' | 'cc' | 'subject';
const FIELD = new RegExp(
  `^\\s*[*_]{0,2}(${Object.values(FIELD_LABELS)
    .flat()
    .sort((a, b) => b.length - a.length)
    .join('|')})[*_]{0,2}\\s*:[*_]{0,2}\\s*(.*)$`,
  'u',
);
const KIND_OF_LABEL = new Map(
  (Object.entries(FIELD_LABELS) as [FieldKind, string[]][]).flatMap(([kind, labels]) => labels.map((label) => [label, kind] as const)),
);
const SEPARATOR = /^\s*(?:_{8,}|-{8,}|={8,})\s*$/;

export interface ReplyHeader {
  /** First line of the quoted part (a separator line above the header belongs to it). */
  start: number;
  /** First line after the header. */
  end: number;
  /** The header introduces a forwarded message rather than a quoted one. */
  forwarded: boolean;
}

export function isQuotedLine(line: string): boolean {
  return /^ {0,3}>/.test(line);
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

export function isForwardMarker(line: string): boolean {
  return FORWARD_MARKER.test(line);
}

export function nextNonBlank(lines: readonly string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (!isBlank(lines[i])) return i;
  return -1;
}

/** The reply header starting at line `i`, if there is one there. */
export function matchReplyHeader(lines: readonly string[], i: number): ReplyHeader | null {
  if (lines[i].length > MAX_LINE) return null;
  const end = matchAttribution(lines, i) ?? matchOriginalMessage(lines, i) ?? matchFieldBlock(lines, i);
  if (end === null) return null;
  return { start: withSeparatorAbove(lines, i), end: end.end, forwarded: end.forwarded || precededByForwardMarker(lines, i) };
}

interface HeaderEnd {
  end: number;
  forwarded: boolean;
}

/** "On … wrote:" on one line or wrapped over up to three (Gmail wraps long attributions). */
function matchAttribution(lines: readonly string[], i: number): HeaderEnd | null {
  for (let count = 1; count <= MAX_HEADER_LINES && i + count <= lines.length; count++) {
    const window = lines.slice(i, i + count);
    if (window.some((line) => isBlank(line) || isQuotedLine(line) || line.length > MAX_LINE)) return null;
    const joined = window.map((line) => line.trim()).join(' ');
    const end = i + count;
    const quotedBelow = isQuotedAt(lines, nextNonBlank(lines, end));
    // Alone, "On Monday I told Tom what he wrote:" is a sentence; a date, an address or quoted lines below make it a header.
    if (ATTRIBUTION.test(joined) && (/[\d@]/.test(joined) || quotedBelow)) return { end, forwarded: false };
    if (BARE_ATTRIBUTION.test(joined) && quotedBelow) return { end, forwarded: false };
  }
  return null;
}

function matchOriginalMessage(lines: readonly string[], i: number): HeaderEnd | null {
  return ORIGINAL_MESSAGE.test(lines[i]) ? { end: i + 1, forwarded: false } : null;
}

/**
 * "From: … / Sent: … / To: … / Subject: …": a From line followed by at least two other fields,
 * one of them the date or the subject. A single "From:" line is just as likely to be prose.
 */
function matchFieldBlock(lines: readonly string[], i: number): HeaderEnd | null {
  const first = FIELD.exec(lines[i]);
  if (!first || kindOf(first[1]) !== 'from' || first[2].trim() === '') return null;
  const kinds = new Set<FieldKind>();
  let subject = '';
  let end = i + 1;
  for (let j = i + 1; j < lines.length && j <= i + 8; j++) {
    const field = FIELD.exec(lines[j]);
    if (!field) break;
    const kind = kindOf(field[1]);
    if (!kind || kind === 'from') break;
    kinds.add(kind);
    if (kind === 'subject') subject = field[2].trim();
    end = j + 1;
  }
  const enough = kinds.size >= 2 && (kinds.has('sent') || kinds.has('subject'));
  return enough ? { end, forwarded: FORWARD_SUBJECT.test(subject) } : null;
}

function kindOf(label: string): FieldKind | undefined {
  return KIND_OF_LABEL.get(label);
}

function isQuotedAt(lines: readonly string[], index: number): boolean {
  return index >= 0 && isQuotedLine(lines[index]);
}

/** Outlook and Gmail put a rule (`____`, `----`) above the header; it goes with the quote. */
function withSeparatorAbove(lines: readonly string[], i: number): number {
  for (let j = i - 1; j >= 0 && j >= i - 2; j--) {
    if (SEPARATOR.test(lines[j])) return j;
    if (!isBlank(lines[j])) break;
  }
  return i;
}

function precededByForwardMarker(lines: readonly string[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (isBlank(lines[j])) continue;
    return isForwardMarker(lines[j]);
  }
  return false;
}
