import type { ParsedEmail } from '../parse-email/parsed-email.types';
import { NOTIFICATION_HEADER } from '../mail.constants';
import { domainOf, normalizeAddress } from './address.matcher';
import type { ClassifyEmailOptions } from './email-classification.types';

/** Our own mail coming back: posting it would answer ourselves, possibly forever. */
export function detectLoop(email: ParsedEmail, options: Pick<ClassifyEmailOptions, 'platformAddresses' | 'aliasDomain'>): string | null {
  if (email.headers.has(NOTIFICATION_HEADER)) return `carries our ${NOTIFICATION_HEADER} header`;
  const from = normalizeAddress(email.from?.address);
  const platform = new Set(options.platformAddresses.map(normalizeAddress));
  if (from && platform.has(from)) return 'sent from a platform address';
  if (from && domainOf(from) === options.aliasDomain.toLowerCase()) return 'sent from the alias domain';
  const ours = [...platform, `@${options.aliasDomain.toLowerCase()}`].filter((entry) => entry !== '' && entry !== '@');
  const xLoop = email.headers.getAll('x-loop').find((value) => ours.some((entry) => value.toLowerCase().includes(entry)));
  return xLoop ? 'X-Loop names one of our addresses' : null;
}
