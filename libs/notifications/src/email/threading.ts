import { createHash } from 'node:crypto';

/**
 * Mail-client threading for notifications. Every notification sent to participant P about
 * conversation C replies to one virtual root message (never sent itself), so Gmail, Outlook and
 * Thunderbird gather them into one thread per conversation and recipient, as GitHub does.
 */
export interface ThreadingHeaders {
  /** This notification's own Message-ID, with angle brackets. */
  messageId: string;
  inReplyTo: string;
  references: string[];
}

const SAFE_ID_PART = /^[A-Za-z0-9_-]+$/;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const MAX_READABLE_CHARS = 40;

/**
 * An id as one dot-free atom of a msg-id: kept as is when it only holds [A-Za-z0-9_-]; otherwise
 * its unsafe runs become `-` and a hash of the original is appended, so two ids never share a
 * part by accident and the same id always gives the same part. Dots are replaced too: the parts
 * of a msg-id are separated by dots, and an id holding one would make them ambiguous.
 */
export function encodeIdPart(id: string): string {
  if (typeof id !== 'string' || id.length === 0) throw new Error('An id in a Message-ID must be a non-empty string');
  if (SAFE_ID_PART.test(id)) return id;
  const readable = id
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_READABLE_CHARS);
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 12);
  return readable ? `${readable}-${hash}` : `x${hash}`;
}

/** The right-hand side of our msg-ids: ALIAS_DOMAIN, lowercased so the ids never depend on how it was spelled. */
export function msgIdDomain(domain: string): string {
  const normalized = (domain ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN.test(normalized)) throw new Error(`"${domain}" is not a domain name usable in a Message-ID`);
  return normalized;
}

/** The virtual message every notification to this participant about this conversation replies to. */
export function threadRootId(domain: string, conversationId: string, participantId: string): string {
  return `<conversation.${encodeIdPart(conversationId)}.${encodeIdPart(participantId)}@${msgIdDomain(domain)}>`;
}

/** Stable per delivery: a resend after a crash carries the same Message-ID, so clients show it once. */
export function notificationMessageId(domain: string, deliveryId: string): string {
  return `<n.${encodeIdPart(deliveryId)}@${msgIdDomain(domain)}>`;
}

export function threadingHeaders(domain: string, conversationId: string, participantId: string, deliveryId: string): ThreadingHeaders {
  const root = threadRootId(domain, conversationId, participantId);
  return { messageId: notificationMessageId(domain, deliveryId), inReplyTo: root, references: [root] };
}
