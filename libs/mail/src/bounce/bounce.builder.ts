import { createHash } from 'node:crypto';
import { NOTIFICATION_HEADER } from '../mail.constants';
import { BounceWithoutRecipientError } from '../mail.errors';
import { normalizeMessageId, parseMessageIds } from '../parse-email/message-id.parser';
import type { MailAddress } from '../parse-email/parsed-email.types';
import { BounceReason } from './bounce-reason.enum';
import { explainBounce } from './bounce.messages';

/** What a bounce needs of the refused mail: a ParsedEmail fits, and so does what an ingress knows before parsing. */
export interface BounceOriginal {
  from?: MailAddress | string;
  /** The envelope sender; RFC 3834 answers go there rather than to From. '' is the null sender. */
  returnPath?: string;
  subject?: string;
  messageId?: string;
  references?: readonly string[];
}

export interface BounceOptions {
  /** The platform address the bounce comes from. */
  platformAddress: string;
  aliasDomain: string;
  /** The alias (or other address) the refused mail was sent to, named in the explanation. */
  recipient?: string;
  /** The size limit, for the too-large explanation. */
  maxMessageBytes?: number;
}

export interface Bounce {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Message-ID, threading, RFC 3834 `Auto-Submitted` and our loop-protection header. */
  headers: Record<string, string>;
  /**
   * Send with the null reverse-path (`MAIL FROM:<>`), as a non-delivery notice (RFC 5321
   * §4.5.5): a bounce that cannot be delivered then causes no further bounce.
   */
  envelopeFrom: '';
  /** At most one bounce per sender and reason per hour: the key to count them by. */
  rateLimitKey: string;
}

const MAX_SUBJECT = 200;
const MAX_REFERENCES = 20;

/** The bounce-back telling the sender why their mail was not posted and what to do about it. */
export function buildBounce(original: BounceOriginal, reason: BounceReason, options: BounceOptions): Bounce {
  const sender = senderAddress(original.from);
  const to = original.returnPath || sender;
  if (!to) throw new BounceWithoutRecipientError();
  const subject = oneLine(original.subject ?? '');
  const { problem, fix } = explainBounce(reason, { sender: sender || to, recipient: options.recipient, maxMessageBytes: options.maxMessageBytes });
  const messageId = normalizeMessageId(original.messageId);

  return {
    from: options.platformAddress,
    to,
    subject: (subject ? `Undelivered: ${subject}` : 'Your message was not delivered').slice(0, MAX_SUBJECT),
    text: [
      'Hello,',
      `Your message${subject ? ` "${subject}"` : ''} was not delivered.`,
      problem,
      `What to do: ${fix}`,
      'This message was sent automatically; replies to it are not read.',
    ].join('\n\n'),
    headers: {
      'Message-ID': bounceMessageId(original, reason, options.aliasDomain),
      'Auto-Submitted': 'auto-replied',
      // Exchange and Outlook: no out-of-office or read receipt in answer to a bounce.
      'X-Auto-Response-Suppress': 'All',
      [NOTIFICATION_HEADER]: `bounce; reason=${reason}`,
      ...threadingHeaders(messageId, original.references ?? []),
    },
    envelopeFrom: '',
    rateLimitKey: `${to.toLowerCase()}|${reason}`,
  };
}

function senderAddress(from: BounceOriginal['from']): string {
  return (typeof from === 'string' ? (parseMessageAddress(from) ?? '') : (from?.address ?? '')).trim();
}

/** The addr-spec of "Name <addr>" or a bare address. */
function parseMessageAddress(value: string): string | undefined {
  return /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1] ?? (/^[^\s<>]+@[^\s<>]+$/.test(value.trim()) ? value.trim() : undefined);
}

/** Header values come from the sender: no line breaks may get through to the outgoing mail. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}

function threadingHeaders(messageId: string | undefined, references: readonly string[]): Record<string, string> {
  if (!messageId) return {};
  const chain = [...new Set([...references.flatMap((reference) => parseMessageIds(reference)), messageId])].slice(-MAX_REFERENCES);
  return { 'In-Reply-To': messageId, References: chain.join(' ') };
}

/** The same refused mail and reason always give the same id, so a retried send is recognisably one bounce. */
function bounceMessageId(original: BounceOriginal, reason: BounceReason, aliasDomain: string): string {
  const identity = original.messageId ?? `${senderAddress(original.from)}\n${original.subject ?? ''}`;
  const digest = createHash('sha256').update(`${identity}\n${reason}`).digest('hex').slice(0, 32);
  return `<bounce.${digest}@${aliasDomain.toLowerCase()}>`;
}
