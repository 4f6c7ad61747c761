import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header of the provider's status webhook (lower-case, as Node presents it). */
export const STATUS_WEBHOOK_SIGNATURE_HEADER = 'x-provider-signature';
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** Why a signature was refused: no header, an unreadable one, too old (or too far ahead), or wrong. */
export type StatusWebhookSignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';

export type StatusWebhookSignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: StatusWebhookSignatureFailure };

export interface VerifyStatusWebhookOptions {
  /** How far the signed time may be from now, either way (default 300 s). */
  toleranceSeconds?: number;
  /** For tests: a Date or epoch milliseconds (default: now). */
  now?: Date | number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * The `X-Provider-Signature` value for a body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">` (the scheme of Stripe's webhooks). The HMAC covers the raw bytes as sent,
 * so whoever verifies must too — never a re-serialised JSON.
 */
export function signStatusWebhook(rawBody: Buffer | string, secret: string, now: Date | number = Date.now()): string {
  const timestamp = Math.floor(epochMs(now) / 1000);
  return `t=${timestamp},v1=${hmacOf(rawBody, timestamp, secret).toString('hex')}`;
}

/**
 * Checks a signature header against the raw body. Accepts the header when any of its `v1`
 * values (the provider sends one per secret while it rotates) matches any of our secrets (we can
 * hold the old and the new one during our own rotation); other schemes (`v0=`…) are ignored.
 * The comparison is constant-time and visits every pair, so timing tells nothing.
 *
 * A wrong signature is `mismatch` whatever its age; a right one older (or further ahead) than
 * the tolerance is `stale`, which is what a replay of a captured request looks like.
 */
export function verifyStatusWebhook(
  rawBody: Buffer | string,
  header: string | string[] | undefined,
  secret: string | readonly string[],
  options: VerifyStatusWebhookOptions = {},
): StatusWebhookSignatureCheck {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '') return { ok: false, reason: 'missing' };
  const parsed = parseHeader(value);
  if (!parsed) return { ok: false, reason: 'malformed' };

  const secrets = (typeof secret === 'string' ? [secret] : [...secret]).filter((s) => s.length > 0);
  let matched = false;
  for (const key of secrets) {
    const expected = hmacOf(rawBody, parsed.timestamp, key);
    for (const candidate of parsed.signatures) {
      // Both are 32 bytes: the header's hex was checked to be 64 characters.
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  if (!matched) return { ok: false, reason: 'mismatch' };

  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor(epochMs(options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - parsed.timestamp) > tolerance) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp: parsed.timestamp };
}

function parseHeader(value: string): { timestamp: number; signatures: Buffer[] } | null {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of value.split(',')) {
    const equals = part.indexOf('=');
    if (equals === -1) return null;
    const name = part.slice(0, equals).trim();
    const item = part.slice(equals + 1).trim();
    if (name === 't') {
      if (!UNIX_SECONDS.test(item)) return null;
      const t = Number(item);
      // A repeated t is only tolerated when it says the same thing (a proxy joining copies).
      if (timestamp !== undefined && timestamp !== t) return null;
      timestamp = t;
    } else if (name === 'v1') {
      const hex = item.toLowerCase();
      if (!SHA256_HEX.test(hex)) return null;
      signatures.push(Buffer.from(hex, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) return null;
  return { timestamp, signatures };
}

function hmacOf(rawBody: Buffer | string, timestamp: number, secret: string): Buffer {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest();
}

function epochMs(value: Date | number): number {
  return typeof value === 'number' ? value : value.getTime();
}
