import { NOTIFICATION_HEADER } from '@libs/mail';
import { OutgoingEmail } from '../domain/delivery-ports';
import { PermanentDeliveryError } from '../domain/delivery.errors';
import { bounceAddress } from './bounce-address';
import { TemplateData, TemplateKind } from './templates/template-data';
import { TemplateRenderer } from './templates/template-renderer';
import { encodeIdPart, msgIdDomain, threadingHeaders } from './threading';
import { signUnsubscribeToken } from './unsubscribe-token';

export interface ComposeEmailInput {
  kind: TemplateKind;
  /** Gives the email its Message-ID and VERP bounce address: the same delivery, the same email. */
  deliveryId: string;
  conversation: { id: string; subject: string; useCase: string | null };
  recipient: {
    participantId: string;
    email: string;
    displayName: string;
    /** The recipient's own alias, their Reply-To; null when revoked or never issued. */
    alias: string | null;
  };
  /** Required for a new message. */
  author?: { displayName: string };
  /** Required for a new message; the latest unread one for a reminder. */
  message?: TemplateData['message'];
  /** Required for a reminder. */
  reminder?: TemplateData['reminder'];
  campaign?: string | null;
}

export interface ComposeEmailOptions {
  /** ALIAS_DOMAIN: right-hand side of Message-IDs, List-Id and the VERP bounce address. */
  domain: string;
  /** The platform's sending address, e.g. notifications@{domain}. */
  fromAddress: string;
  /** Where the notifier serves /notifications/unsubscribe, e.g. http://127.0.0.1:3000. */
  publicUrl: string;
  /** Signs bounce addresses and unsubscribe tokens. */
  secret: string;
  renderer: TemplateRenderer;
}

/** Shown as the sender when no person is: reminders, or an author without a usable name. */
export const PLATFORM_DISPLAY_NAME = 'Conversation Alias';
const MAX_DISPLAY_NAME_CHARS = 100;
// A bare addr-spec: no display name, brackets, comments, spaces or control characters that could
// smuggle another header or recipient in.
const MAILBOX = /^[^\s\u0000-\u001f\u007f<>()[\],;:"\\@]+@[^\s\u0000-\u001f\u007f<>()[\],;:"\\@]+$/;

/**
 * One notification email, ready to send (DESIGN §5): from the platform's address under the
 * author's name, Reply-To the recipient's own alias so that answering by email lands in the
 * conversation, threaded per conversation and recipient, marked as automatic so that
 * out-of-office replies stay away, and with one-click unsubscribe (RFC 8058). Deterministic: the
 * same input gives the same email, so a resend after a crash is recognised as the same message.
 *
 * Precedence is never set: `Precedence: bulk` would make a person's answer look like list traffic
 * to the mail systems in between.
 */
export function composeEmail(input: ComposeEmailInput, options: ComposeEmailOptions): OutgoingEmail {
  assertComplete(input);
  const { deliveryId, conversation, recipient } = input;
  if (!isMailbox(recipient.email)) throw new PermanentDeliveryError(`Delivery ${deliveryId}: the recipient's email address is not deliverable`);
  if (recipient.alias !== null && !isMailbox(recipient.alias)) throw new Error(`Delivery ${deliveryId}: the recipient's alias is not a valid address`);
  if (!isMailbox(options.fromAddress)) throw new Error(`The notifications sender address ${JSON.stringify(options.fromAddress)} is not a valid address`);

  const unsubscribeUrl = `${options.publicUrl.replace(/\/+$/, '')}/notifications/unsubscribe?token=${encodeURIComponent(
    signUnsubscribeToken({ conversationId: conversation.id, participantId: recipient.participantId, channel: 'email' }, options.secret),
  )}`;
  const data: TemplateData = {
    conversation: { id: conversation.id, subject: conversation.subject, useCase: conversation.useCase },
    recipient: { displayName: recipient.displayName, email: recipient.email, alias: recipient.alias },
    author: input.author,
    message: input.message,
    reminder: input.reminder,
    links: { unsubscribe: unsubscribeUrl },
  };
  const rendered = options.renderer.render(input.kind, { useCase: conversation.useCase, campaign: input.campaign ?? null }, data);
  const threading = threadingHeaders(options.domain, conversation.id, recipient.participantId, deliveryId);
  const envelopeFrom = bounceAddress(deliveryId, { domain: options.domain, secret: options.secret });

  const headers: Record<string, string> = {
    // RFC 3834: automatic, so auto-responders must not answer it.
    'Auto-Submitted': 'auto-generated',
    // Exchange/Outlook: no out-of-office or read receipts back to the sender.
    'X-Auto-Response-Suppress': 'All',
    // Lets the inbound path recognise our own notifications and never relay them as replies.
    [NOTIFICATION_HEADER]: deliveryId,
    // RFC 2919: one list per conversation, so mail clients can filter or mute a conversation.
    'List-Id': `<${encodeIdPart(conversation.id)}.conversations.${msgIdDomain(options.domain)}>`,
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n\u0000]/.test(value)) throw new Error(`Header ${name} of delivery ${deliveryId} would span several lines`);
  }

  const fromName = input.kind === 'new-message' ? displayName(input.author?.displayName) || PLATFORM_DISPLAY_NAME : PLATFORM_DISPLAY_NAME;
  return {
    from: { name: fromName, address: options.fromAddress },
    to: { name: displayName(recipient.displayName), address: recipient.email },
    replyTo: recipient.alias,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: threading.messageId,
    inReplyTo: threading.inReplyTo,
    references: threading.references,
    headers,
    envelopeFrom,
  };
}

function assertComplete(input: ComposeEmailInput): void {
  if (input.kind === 'new-message' && (!input.message || !input.author)) {
    throw new Error(`Delivery ${input.deliveryId}: a new-message email needs the message and its author`);
  }
  if (input.kind === 'reminder' && !input.reminder) throw new Error(`Delivery ${input.deliveryId}: a reminder email needs the reminder`);
}

function isMailbox(address: string | null | undefined): boolean {
  return typeof address === 'string' && address.length <= 254 && MAILBOX.test(address);
}

/**
 * A display name safe in a From or To header whatever the sender adapter does with it: one line,
 * no quotes or backslashes to break out of a quoted-string, no angle brackets to pose as an address.
 */
export function displayName(name: string | null | undefined): string {
  const line = (name ?? '')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/["\\<>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return Array.from(line).slice(0, MAX_DISPLAY_NAME_CHARS).join('').trim();
}
