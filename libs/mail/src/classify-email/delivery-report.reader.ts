import { ParsedEmail } from '../parse-email/parsed-email.types';

export interface DeliveryReport {
  /** RFC 3464 Action of the first recipient: failed, delayed, delivered, relayed, expanded. */
  action: string | null;
  /** Enhanced status code, e.g. 5.1.1. */
  status: string | null;
  /** The remote server's words, one line, bounded. */
  diagnostic: string | null;
  /** A permanent failure: Action failed, or a 5.x.x status, or a non-standard bounce. */
  permanent: boolean;
}

const REPORT_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);

/**
 * What a delivery status notification says about the (first) failed recipient. Non-standard
 * bounces without a report part count as permanent: that is what they almost always mean.
 */
export function readDeliveryReport(email: ParsedEmail): DeliveryReport {
  const part = email.attachments.find((a) => REPORT_PARTS.has(a.contentType.toLowerCase()));
  if (!part) {
    const code = /(?<![\w.])([45])\.\d{1,3}\.\d{1,3}(?!\w|\.\d)/.exec(email.text ?? '')?.[0] ?? null;
    return { action: null, status: code, diagnostic: null, permanent: code === null || code.startsWith('5') };
  }
  const fields = part.content.toString('utf8').replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.+)$`, 'im').exec(fields)?.[1]?.trim() ?? null;
  const action = field('Action')?.toLowerCase() ?? null;
  const status = field('Status');
  const diagnostic = field('Diagnostic-Code')?.replace(/[\p{Cc}]+/gu, ' ').slice(0, 300) ?? null;
  const permanent = action === 'failed' || (action === null && status?.startsWith('5') === true);
  return { action, status, diagnostic, permanent };
}
