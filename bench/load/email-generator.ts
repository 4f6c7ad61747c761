import { randomBytes } from 'node:crypto';
import { intBetween, pick, Random } from './random';
import { ScenarioConversation, ScenarioParticipant } from './scenario-types';

/**
 * Realistic inbound emails for load runs: replies of varied length, most quoting the previous
 * message, some with an HTML alternative, a signature, non-ASCII text or an attachment. Each
 * email carries a unique token (in its Message-ID and in the first line of its text, which
 * survives quote and signature trimming) so that the stored message and every notification it
 * causes can be matched back to it.
 */
export interface EmailMix {
  /** Share of emails quoting the previous message ("On ... wrote:" and "> " lines). */
  quoted: number;
  /** Share with a text/html alternative. */
  html: number;
  /** Share with one attachment. */
  attachment: number;
  /** Share with non-ASCII text (names, accents), sent as quoted-printable. */
  nonAscii: number;
  /** Share with a "-- " signature block. */
  signature: number;
  /** Attachment size range in bytes. */
  attachmentBytes: [number, number];
}

export const DEFAULT_MIX: EmailMix = { quoted: 0.6, html: 0.4, attachment: 0.08, nonAscii: 0.2, signature: 0.5, attachmentBytes: [8 * 1024, 256 * 1024] };

export interface GeneratedEmail {
  token: string;
  /** Without angle brackets. */
  messageId: string;
  conversationId: string;
  sender: ScenarioParticipant;
  /** The envelope recipient: the sender's own alias. */
  recipient: string;
  /** Addresses every other participant must be notified at, by email. */
  notify: string[];
  raw: Buffer;
  features: { quoted: boolean; html: boolean; attachment: boolean; nonAscii: boolean; signature: boolean };
}

const SENTENCES = [
  'Thanks for getting back to me so quickly.',
  'Thursday at 10:00 works for me, or Friday afternoon if that suits the team better.',
  'I have attached the updated version of my CV with the certifications you asked about.',
  'Could you tell me a bit more about the on-call rotation and how incidents are handled?',
  'The role sounds like a great fit and I would be happy to continue with the next step.',
  'I am currently on a three-month notice period, which I may be able to shorten.',
  'Our hiring manager will join the call as well; she leads the platform team.',
  'Please let me know if you need references from my previous two employers.',
  'We offer a hybrid setup with two days a week in the office.',
  'The salary range for this position is in line with what we discussed on the phone.',
  'Just confirming that I received the contract and will review it over the weekend.',
  'Would a video call work, or do you prefer to meet in person at the office?',
  'I will be travelling next week but can make time on Monday morning.',
  'We would like to invite you to a technical interview with two of our engineers.',
];
const NON_ASCII = ['Grüße aus München', 'Merci beaucoup, à bientôt', 'José Núñez', '¡Gracias! Nos vemos el jueves', 'Zoë Ødegård', 'Señora Müller – 10 € Pauschale'];
const SIGNATURES = [
  ['Best regards,', 'Sam Taylor', 'Talent Acquisition | Northwind Traders', '+1 555 0100'],
  ['Cheers,', 'Alex', 'Sent from my phone'],
  ['Kind regards', 'Morgan Lee', 'Senior Recruiter', 'Contoso Ltd. | 1 Main Street | Springfield'],
];
const ATTACHMENTS: [string, string][] = [
  ['cv.pdf', 'application/pdf'],
  ['portfolio.pdf', 'application/pdf'],
  ['references.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['photo.jpg', 'image/jpeg'],
];

/** The token of email `seq` of step `step` in run `tag`: what notifications are matched by. */
export function emailToken(tag: string, step: number, seq: number): string {
  return `${tag}-${step}-${seq}`;
}

/** Finds a token of run `tag` in a text; null when there is none. */
export function tokenPattern(tag: string): RegExp {
  return new RegExp(`\\b${tag}-\\d+-\\d+\\b`);
}

export function generateEmail(
  conversation: ScenarioConversation,
  token: string,
  random: Random,
  options: { mix?: EmailMix; date?: Date; sender?: ScenarioParticipant } = {},
): GeneratedEmail {
  const mix = options.mix ?? DEFAULT_MIX;
  const sender = options.sender ?? pick(random, conversation.participants);
  const others = conversation.participants.filter((p) => p.id !== sender.id);
  const features = {
    quoted: random() < mix.quoted,
    html: random() < mix.html,
    attachment: random() < mix.attachment,
    nonAscii: random() < mix.nonAscii,
    signature: random() < mix.signature,
  };
  const date = options.date ?? new Date();
  const messageId = `${token}.${randomBytes(4).toString('hex')}@mail.bench.example`;
  const to = others[0] ?? sender;

  // Most replies are short; a few are long.
  const sentences = random() < 0.8 ? intBetween(random, 1, 5) : intBetween(random, 6, 40);
  const paragraphs: string[] = [`Hi ${to.displayName.split(' ')[0]}, (ref ${token})`];
  let paragraph: string[] = [];
  for (let i = 0; i < sentences; i++) {
    paragraph.push(pick(random, SENTENCES));
    if (paragraph.length === 3 || i === sentences - 1) {
      paragraphs.push(wrap(paragraph.join(' ')));
      paragraph = [];
    }
  }
  if (features.nonAscii) paragraphs.push(pick(random, NON_ASCII));
  const signature = features.signature ? ['-- ', ...pick(random, SIGNATURES)] : [];
  const quote = features.quoted ? quotedReply(random, to, date) : [];
  const text = [...paragraphs.join('\n\n').split('\n'), '', ...signature, ...(signature.length ? [''] : []), ...quote].join('\r\n') + '\r\n';

  const headers = [
    `From: ${mailbox(sender.displayName, sender.email)}`,
    `To: ${mailbox(to.displayName, sender.alias)}`,
    `Subject: ${encodeHeader(`Re: ${conversation.subject}`)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    ...(features.quoted ? [`In-Reply-To: <prev.${conversation.id}@mail.bench.example>`, `References: <prev.${conversation.id}@mail.bench.example>`] : []),
    'MIME-Version: 1.0',
    `X-Mailer: ${pick(random, ['Microsoft Outlook 16.0', 'Apple Mail (2.3774)', 'Thunderbird 128.3'])}`,
  ];
  const textPart = leaf('text/plain; charset=utf-8', text, features.nonAscii);
  let body = textPart;
  if (features.html) body = multipart('alternative', [textPart, leaf('text/html; charset=utf-8', toHtml(paragraphs, signature, quote), true)]);
  if (features.attachment) {
    const [name, type] = pick(random, ATTACHMENTS);
    const size = intBetween(random, mix.attachmentBytes[0], mix.attachmentBytes[1]);
    const content = base64Lines(randomBytes(size));
    body = multipart('mixed', [body, { headers: [`Content-Type: ${type}; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64'], body: content }]);
  }
  const raw = Buffer.from([...headers, ...body.headers, '', body.body].join('\r\n'), 'utf8');
  return { token, messageId, conversationId: conversation.id, sender, recipient: sender.alias, notify: others.map((p) => p.email), raw, features };
}

interface Part {
  headers: string[];
  body: string;
}

function leaf(contentType: string, content: string, quotedPrintable: boolean): Part {
  return quotedPrintable
    ? { headers: [`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: quoted-printable'], body: encodeQuotedPrintable(content) }
    : { headers: [`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: 7bit'], body: content };
}

function multipart(subtype: string, parts: Part[]): Part {
  const boundary = `=_bench_${randomBytes(8).toString('hex')}`;
  const body = parts.map((p) => `--${boundary}\r\n${p.headers.join('\r\n')}\r\n\r\n${p.body}`).join('\r\n') + `\r\n--${boundary}--\r\n`;
  return { headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"`], body };
}

function quotedReply(random: Random, author: ScenarioParticipant, date: Date): string[] {
  const earlier = new Date(date.getTime() - intBetween(random, 5, 3000) * 60_000);
  const lines = [`On ${earlier.toUTCString().replace(' GMT', '')}, ${author.displayName} <${author.alias}> wrote:`];
  const count = intBetween(random, 1, 12);
  for (let i = 0; i < count; i++) lines.push(...wrap(pick(random, SENTENCES), 74).split('\n').map((l) => `> ${l}`));
  if (random() < 0.3) lines.push('>', `> > ${pick(random, SENTENCES)}`);
  return lines;
}

function toHtml(paragraphs: string[], signature: string[], quote: string[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const html = [
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>',
    ...paragraphs.map((p) => `<p>${esc(p).replace(/\n/g, ' ')}</p>`),
    ...(signature.length ? [`<div class="signature">${signature.slice(1).map(esc).join('<br>')}</div>`] : []),
    ...(quote.length ? [`<div class="gmail_quote">${esc(quote[0])}<blockquote>${quote.slice(1).map((l) => esc(l.replace(/^>\s?/, ''))).join('<br>')}</blockquote></div>`] : []),
    '</body></html>',
  ];
  return html.join('\r\n') + '\r\n';
}

function mailbox(name: string, address: string): string {
  return /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '')}" <${address}>` : `${encodeHeader(name)} <${address}>`;
}

/** RFC 2047 encoded-word for a header with non-ASCII text. */
export function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function wrap(text: string, width = 76): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function base64Lines(data: Buffer): string {
  const encoded = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join('\r\n') + '\r\n';
}

/** Quoted-printable (RFC 2045 §6.7) of UTF-8 text with CRLF line breaks, soft-wrapped at 76. */
export function encodeQuotedPrintable(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      let encoded = '';
      for (const byte of Buffer.from(line, 'utf8')) {
        encoded += (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      if (encoded.endsWith(' ')) encoded = `${encoded.slice(0, -1)}=20`;
      const out: string[] = [];
      while (encoded.length > 75) {
        let cut = 75;
        // Never split an =XX escape.
        const escape = encoded.lastIndexOf('=', cut);
        if (escape > cut - 3) cut = escape;
        out.push(`${encoded.slice(0, cut)}=`);
        encoded = encoded.slice(cut);
      }
      out.push(encoded);
      return out.join('\r\n');
    })
    .join('\r\n');
}
