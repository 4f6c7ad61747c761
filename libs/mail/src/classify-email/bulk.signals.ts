import type { ParsedEmail } from '../parse-email/parsed-email.types';

/**
 * Bulk and list mail: `Precedence: bulk | junk | list`, or a mailing-list post — List-Id and
 * List-Unsubscribe together on a message that answers nothing. List-Unsubscribe alone is not
 * enough: transactional senders and ATSs add it to person-to-person replies (see README).
 */
export function detectBulk(email: ParsedEmail): string | null {
  const precedence = email.headers.get('precedence')?.trim().toLowerCase().split(/[\s;]/)[0];
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') return `Precedence: ${precedence}`;
  const isReply = email.inReplyTo !== undefined || email.references.length > 0;
  if (email.headers.has('list-id') && email.headers.has('list-unsubscribe') && !isReply) return 'mailing-list post (List-Id and List-Unsubscribe)';
  return null;
}
