import type { ParsedEmail } from '../parse-email/parsed-email.types';
import { domainOf, normalizeAddress } from './address.matcher';
import type { ClassifyEmailOptions } from './email-classification.types';

/** Verdict headers of the providers and filters in front of us: the value starts with yes. */
const VERDICTS = ['x-mailgun-sflag', 'x-spam-flag', 'x-spam-status'];
/** Where a numeric score can be read, for the optional threshold. */
const SCORES: { header: string; pattern: RegExp }[] = [
  { header: 'x-mailgun-sscore', pattern: /^\s*(-?\d+(?:\.\d+)?)/ },
  { header: 'x-spam-score', pattern: /^\s*(-?\d+(?:\.\d+)?)/ },
  { header: 'x-spam-status', pattern: /\bscore=(-?\d+(?:\.\d+)?)/i },
];

/**
 * Provider spam verdicts and the sender blocklist. A sender can forge these headers, but only to
 * quarantine its own mail; nothing here trusts a header that says "not spam".
 */
export function detectSpam(email: ParsedEmail, options: Pick<ClassifyEmailOptions, 'blocklist' | 'spamScoreThreshold'>): string | null {
  const blocked = blocklistMatch(email, options.blocklist ?? []);
  if (blocked) return `sender blocklisted (${blocked})`;
  for (const header of VERDICTS) {
    const value = email.headers.get(header);
    if (value && /^\s*yes\b/i.test(value)) return `${header}: ${value.split(/[\s,;]/)[0]}`;
  }
  if (options.spamScoreThreshold !== undefined) {
    const score = highestScore(email);
    if (score !== null && score >= options.spamScoreThreshold) return `spam score ${score} ≥ ${options.spamScoreThreshold}`;
  }
  return null;
}

function blocklistMatch(email: ParsedEmail, blocklist: readonly string[]): string | null {
  const senders = [email.from?.address, email.returnPath].map(normalizeAddress).filter((address) => address !== '');
  for (const raw of blocklist) {
    const entry = raw.trim().toLowerCase();
    if (entry.startsWith('@') && entry.length > 1 && senders.some((address) => domainOf(address) === entry.slice(1))) return entry;
    if (!entry.startsWith('@') && senders.includes(normalizeAddress(entry))) return entry;
  }
  return null;
}

function highestScore(email: ParsedEmail): number | null {
  const scores = SCORES.flatMap(({ header, pattern }) =>
    email.headers.getAll(header).map((value) => Number(pattern.exec(value)?.[1] ?? Number.NaN)),
  ).filter((score) => !Number.isNaN(score));
  return scores.length === 0 ? null : Math.max(...scores);
}
