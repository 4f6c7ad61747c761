import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token in a notification's List-Unsubscribe link: who stops receiving which conversation's
 * notifications on which channel. Signed, not encrypted (it names ids, nothing private). It never
 * expires: mail clients keep the link as long as the email, and RFC 8058 one-click unsubscribe must
 * work whenever it is pressed. The version prefix lets a later format coexist with old links.
 */
export interface UnsubscribePayload {
  conversationId: string;
  participantId: string;
  channel: UnsubscribeChannel;
}
export type UnsubscribeChannel = 'email';

export const UNSUBSCRIBE_TOKEN_VERSION = 'v1';
const MAX_TOKEN_CHARS = 2048;
const MAX_ID_CHARS = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** `v1.{base64url JSON}.{base64url HMAC-SHA256}`: only URL-safe characters. */
export function signUnsubscribeToken(payload: UnsubscribePayload, secret: string): string {
  assertPayload(payload);
  const body = Buffer.from(JSON.stringify({ c: payload.conversationId, p: payload.participantId, ch: payload.channel }), 'utf8').toString('base64url');
  const signed = `${UNSUBSCRIBE_TOKEN_VERSION}.${body}`;
  return `${signed}.${mac(signed, secret).toString('base64url')}`;
}

/** The payload of a token we signed, or null for anything else (tampered, truncated, another version). */
export function verifyUnsubscribeToken(token: string | null | undefined, secret: string): UnsubscribePayload | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [version, body, signature] = parts;
  if (version !== UNSUBSCRIBE_TOKEN_VERSION || !BASE64URL.test(body) || !BASE64URL.test(signature)) return null;

  const expected = mac(`${version}.${body}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;

  try {
    const decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { c?: unknown; p?: unknown; ch?: unknown };
    const payload = { conversationId: decoded.c, participantId: decoded.p, channel: decoded.ch } as UnsubscribePayload;
    assertPayload(payload);
    return payload;
  } catch {
    return null;
  }
}

function assertPayload(payload: UnsubscribePayload): void {
  for (const id of [payload.conversationId, payload.participantId]) {
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_CHARS) {
      throw new Error(`An unsubscribe token needs ids of 1 to ${MAX_ID_CHARS} characters`);
    }
  }
  if (payload.channel !== 'email') throw new Error(`Unsupported unsubscribe channel ${JSON.stringify(payload.channel)}`);
}

function mac(signed: string, secret: string): Buffer {
  if (!secret) throw new Error('A secret is required to sign unsubscribe tokens');
  // The label keeps this MAC from ever equalling one computed with the same secret for another purpose.
  return createHmac('sha256', secret).update(`conversation-alias/unsubscribe\0${signed}`).digest();
}
