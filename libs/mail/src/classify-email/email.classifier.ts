import type { ParsedEmail } from '../parse-email/parsed-email.types';
import { detectAutoReply } from './auto-reply.signals';
import { detectBulk } from './bulk.signals';
import { detectDeliveryStatus } from './delivery-status.signals';
import type { ClassifyEmailOptions, EmailClassification, EmailKind } from './email-classification.types';
import { detectLoop } from './loop.signals';
import { detectSpam } from './spam.signals';

type Detector = (email: ParsedEmail, options: ClassifyEmailOptions) => string | null;

/**
 * Checked in this order, the first signal wins: facts about where the mail comes from (our own
 * mail, a delivery report) before verdicts (spam, which is kept for review) before heuristics
 * (auto-reply headers and subjects, bulk).
 */
const DETECTORS: [Exclude<EmailKind, 'message'>, Detector][] = [
  ['loop', detectLoop],
  ['delivery-status', detectDeliveryStatus],
  ['spam', detectSpam],
  ['auto-reply', detectAutoReply],
  ['bulk', detectBulk],
];

/** What an inbound email is; only `message` is posted to a conversation. */
export function classifyEmail(email: ParsedEmail, options: ClassifyEmailOptions): EmailClassification {
  for (const [kind, detect] of DETECTORS) {
    const reason = detect(email, options);
    if (reason !== null) return { kind, reason };
  }
  return { kind: 'message', reason: 'no automatic, report, bulk, loop or spam signal' };
}
