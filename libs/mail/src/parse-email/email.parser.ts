import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { Attachment, ParsedMail } from 'mailparser';
import { MalformedEmailError } from '../mail.errors';
import { parseAddressList } from './address-list.parser';
import { sanitizeAttachmentFilename } from './attachment-filename.sanitizer';
import { repairBodyCharsets } from './charset-repair.transform';
import { assertEmailShape } from './email-shape.guard';
import { HeaderField, headersOf, parseHeaderFields } from './email-headers.parser';
import { normalizeMessageId, parseMessageIds } from './message-id.parser';
import type { EmailAttachment, MailAddress, ParsedEmail } from './parsed-email.types';

const PARSER_OPTIONS = {
  // Kept as an attachment so a DSN's machine-readable part is recognisable and stays out of `text`.
  keepDeliveryStatus: true,
  // Work mailparser would do for display, which nothing here uses.
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
};

/**
 * One raw email (RFC 5322 bytes) as the relay needs it: threading ids, addresses, decoded text
 * and HTML, headers, and attachments with safe names and checksums.
 *
 * Throws `MalformedEmailError` for input that is not an email; a truncated MIME structure (a
 * missing closing boundary) still yields whatever parts are complete.
 */
export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  assertEmailShape(raw);
  const repaired = await repairBodyCharsets(raw);
  const mail = await simpleParser(repaired.raw, PARSER_OPTIONS).catch((error: unknown) => {
    throw new MalformedEmailError('its MIME structure cannot be read', { cause: error });
  });

  const fields = parseHeaderFields(mail.headerLines ?? []);
  const first = (name: string) => fields.find((field) => field.name === name);
  const parsed: ParsedEmail = {
    messageId: normalizeMessageId(first('message-id')?.raw),
    inReplyTo: normalizeMessageId(first('in-reply-to')?.raw),
    references: fields.filter((field) => field.name === 'references').flatMap((field) => parseMessageIds(field.raw)),
    from: parseAddressList(first('from')?.raw)[0],
    replyTo: addressesOf(fields, 'reply-to'),
    to: addressesOf(fields, 'to'),
    cc: addressesOf(fields, 'cc'),
    returnPath: returnPathOf(first('return-path')),
    subject: first('subject')?.value ?? '',
    date: dateOf(first('date')),
    headers: headersOf(fields),
    text: repaired.hasTextPart ? textOf(mail) : undefined,
    html: repaired.hasHtmlPart && typeof mail.html === 'string' ? mail.html : undefined,
    attachments: mail.attachments.map(toAttachment),
  };
  if (!parsed.from && !parsed.messageId && !parsed.date) {
    throw new MalformedEmailError('it has none of From, Message-ID and Date');
  }
  return parsed;
}

function addressesOf(fields: readonly HeaderField[], name: string): MailAddress[] {
  return fields.filter((field) => field.name === name).flatMap((field) => parseAddressList(field.raw));
}

/** '' for the null sender `<>`. The topmost Return-Path is the one the final MTA added. */
function returnPathOf(field: HeaderField | undefined): string | undefined {
  if (!field) return undefined;
  const inner = /<([^<>]*)>/.exec(field.raw)?.[1] ?? field.raw;
  return inner.trim();
}

function textOf(mail: ParsedMail): string | undefined {
  return typeof mail.text === 'string' ? mail.text : undefined;
}

/** mailparser replaces an unreadable Date with the time of parsing; an unknown date is more honest. */
function dateOf(field: HeaderField | undefined): Date | undefined {
  if (!field) return undefined;
  const date = new Date(field.raw.replace(/\([^()]*\)/g, ' ').trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function toAttachment(attachment: Attachment, index: number): EmailAttachment {
  const content = attachment.content;
  return {
    filename: sanitizeAttachmentFilename(attachment.filename, index + 1),
    contentType: (attachment.contentType || 'application/octet-stream').toLowerCase(),
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    content,
    contentId: attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '').trim() || undefined : undefined,
    inline: attachment.contentDisposition === 'inline' || attachment.related === true,
  };
}
