import { createHmac, timingSafeEqual } from 'node:crypto';

/** The fields Mailgun signs every webhook with. */
export interface MailgunSignedFields {
  timestamp: string;
  token: string;
  signature: string;
}

const TIMESTAMP = /^\d{1,12}$/;
// Mailgun's tokens are 50 random characters; anything far from that is not theirs.
const TOKEN = /^[\x21-\x7e]{1,256}$/;
const SIGNATURE = /^[0-9a-f]{64}$/i;

/** Hex HMAC-SHA256 of timestamp + token under the signing key, as Mailgun computes it. */
export function mailgunSignatureOf(timestamp: string, token: string, signingKey: string): string {
  return createHmac('sha256', signingKey).update(timestamp + token).digest('hex');
}

/**
 * Whether the signature is Mailgun's, compared in constant time. Malformed fields are simply not
 * a valid signature.
 */
export function isValidMailgunSignature(fields: MailgunSignedFields, signingKey: string): boolean {
  if (!TIMESTAMP.test(fields.timestamp) || !TOKEN.test(fields.token) || !SIGNATURE.test(fields.signature)) return false;
  const expected = createHmac('sha256', signingKey).update(fields.timestamp + fields.token).digest();
  return timingSafeEqual(expected, Buffer.from(fields.signature, 'hex'));
}

/** Whether the timestamp (Unix seconds) is within `maxAgeSeconds` of now, either way. */
export function isFreshMailgunTimestamp(timestamp: string, now: Date, maxAgeSeconds: number): boolean {
  if (!TIMESTAMP.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= maxAgeSeconds;
}

/** Until when a token must be remembered: after that its timestamp is stale anyway. */
export function mailgunTokenExpiry(timestamp: string, maxAgeSeconds: number): Date {
  return new Date((Number(timestamp) + maxAgeSeconds) * 1000);
}
