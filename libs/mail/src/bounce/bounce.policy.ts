import { detectAutoReply } from '../classify-email/auto-reply.signals';
import { detectBulk } from '../classify-email/bulk.signals';
import { detectDeliveryStatus } from '../classify-email/delivery-status.signals';
import { localPartOf, normalizeAddress } from '../classify-email/address.matcher';
import { NOTIFICATION_HEADER } from '../mail.constants';
import type { ParsedEmail } from '../parse-email/parsed-email.types';

/** What an ingress knows before parsing: the SMTP envelope. */
export interface BounceEnvelope {
  /** MAIL FROM as received: '' or '<>' is the null sender. */
  mailFrom: string | null | undefined;
}

/**
 * Senders that are software, not people (RFC 3834 §2 lists most): a bounce to them is read by
 * nobody, or answered by another automaton.
 */
const AUTOMATED_LOCAL_PART = /^(?:mailer-?daemon|mail-?daemon|postmaster|owner-.+|.+-owner|.+-request|.+-bounces?|bounces?(?:[+-].*)?|no-?reply(?:[+-].*)?|do-?not-?reply|listserv|majordomo)$/;

/**
 * Why no bounce may be sent for this mail, or null when one may. `envelopeSender` is the SMTP
 * MAIL FROM when the ingress knows it ('' or '<>' for the null sender); null or undefined means
 * unknown, and the mail's Return-Path, then From, stand in.
 */
export function bounceSuppressionReason(input: ParsedEmail | BounceEnvelope, envelopeSender?: string | null): string | null {
  const known = (value: string | null | undefined) => (value === null ? undefined : value);
  const envelope = known(envelopeSender) ?? ('mailFrom' in input ? known(input.mailFrom) : input.returnPath);
  return senderSuppression(input, envelope) ?? contentSuppression(input);
}

function senderSuppression(input: ParsedEmail | BounceEnvelope, envelopeSender: string | undefined): string | null {
  if (envelopeSender !== undefined && /^\s*<?\s*>?\s*$/.test(envelopeSender)) return 'null sender';
  const sender = normalizeAddress(stripBrackets(envelopeSender) || ('mailFrom' in input ? undefined : input.from?.address));
  if (!sender) return 'no sender address';
  if (AUTOMATED_LOCAL_PART.test(localPartOf(sender))) return `automated sender (${localPartOf(sender)})`;
  return null;
}

function contentSuppression(input: ParsedEmail | BounceEnvelope): string | null {
  if ('mailFrom' in input) return null;
  if (input.headers.has(NOTIFICATION_HEADER)) return 'our own notification';
  const automatic = detectDeliveryStatus(input) ?? detectAutoReply(input) ?? detectBulk(input);
  return automatic ? `automatic mail (${automatic})` : null;
}

/**
 * Whether a refused mail may be answered with a bounce: never to the null sender, to
 * MAILER-DAEMON and other automated senders, to auto-replies, to bounces and reports, to list
 * mail, or to our own notifications — each would risk a mail loop.
 */
export function shouldBounce(input: ParsedEmail | BounceEnvelope, envelopeSender?: string | null): boolean {
  return bounceSuppressionReason(input, envelopeSender) === null;
}

function stripBrackets(value: string | null | undefined): string {
  return (value ?? '').trim().replace(/^<|>$/g, '');
}
