import type { ParsedEmail } from '../parse-email/parsed-email.types';
import { localPartOf } from './address.matcher';

const REPORT_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_MESSAGE_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);
const DAEMON = /^(?:mailer-?daemon|mail-?daemon|postmaster)$/;
const BOUNCE_SUBJECT =
  /^\s*(?:undeliver(?:ed|able)|returned mail|failure notice|delivery status notification|(?:mail )?delivery (?:failed|failure|has failed|status notification|notification)|mail delivery (?:system|subsystem)|message not delivered|non[- ]?remis|unzustellbar|nicht zustellbar|no se puede entregar|non recapitabile|onbestelbaar)/i;
const BOUNCE_BODY =
  /could ?n[o']t be delivered|delivery (?:has )?failed|undeliverable|permanent (?:error|failure)|user unknown|mailbox (?:unavailable|full|not found)|recipient address rejected|\b[45]\.\d{1,3}\.\d{1,3}\b/i;

/** RFC 3464 delivery status notifications and the bounces that do not follow it. */
export function detectDeliveryStatus(email: ParsedEmail): string | null {
  const report = reportType(email.headers.get('content-type'));
  if (report === 'delivery-status') return 'multipart/report; report-type=delivery-status';
  if (report === 'disposition-notification') return 'read receipt (multipart/report; report-type=disposition-notification)';
  if (report) return `multipart/report; report-type=${report}`;
  if (email.attachments.some((part) => REPORT_PARTS.has(part.contentType))) return 'carries a message/delivery-status part';
  if (email.headers.has('x-failed-recipients')) return 'X-Failed-Recipients header';
  if (DAEMON.test(localPartOf(email.from?.address)) && looksLikeBounce(email)) return `bounce from ${localPartOf(email.from?.address)}`;
  if (email.returnPath === '' && BOUNCE_SUBJECT.test(email.subject)) return 'bounce subject from the null sender';
  return null;
}

function reportType(contentType: string | undefined): string | null {
  if (!contentType || !/^\s*multipart\/report\b/i.test(contentType)) return null;
  return /report-type\s*=\s*"?([\w.-]+)/i.exec(contentType)?.[1].toLowerCase() ?? 'unknown';
}

function looksLikeBounce(email: ParsedEmail): boolean {
  return (
    BOUNCE_SUBJECT.test(email.subject) ||
    email.attachments.some((part) => RETURNED_MESSAGE_PARTS.has(part.contentType)) ||
    BOUNCE_BODY.test(email.text ?? '')
  );
}
