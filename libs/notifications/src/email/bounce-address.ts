import { base32 } from '../domain/base32';
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * VERP (variable envelope return path): each notification goes out with its own SMTP MAIL FROM,
 * `bounces+{deliveryId}.{mac}@{domain}`, so a delivery status notification names the delivery it
 * is about without anyone parsing its body. The MAC refuses forged bounces: anyone can send mail
 * to a bounce address, only we can mint one for a given delivery.
 *
 * Mail systems may lowercase an address on its way back, so everything in it is lowercase:
 * delivery ids are [a-z0-9_-], the MAC is lowercase base32.
 */
export interface BounceAddressOptions {
  /** ALIAS_DOMAIN: its MX must route `bounces+…` to our inbound path. */
  domain: string;
  secret: string;
}

export const BOUNCE_LOCAL_PREFIX = 'bounces+';
/** Delivery ids as the delivery core mints them; longer ids would not fit a 64-octet local part. */
export const MAX_BOUNCE_DELIVERY_ID_CHARS = 40;
const DELIVERY_ID = /^[a-z0-9_-]{1,40}$/;
/** 50 bits of HMAC-SHA256: forging one needs ~10^15 guesses, each one an email we would refuse. */
const MAC_CHARS = 10;
const BOUNCE_LOCAL_PART = /^bounces\+([a-z0-9_-]{1,40})\.([a-z2-7]{10})$/;
/** RFC 5321 §4.5.3.1.1. */
const MAX_LOCAL_PART_OCTETS = 64;

export function bounceAddress(deliveryId: string, options: BounceAddressOptions): string {
  if (!DELIVERY_ID.test(deliveryId)) {
    throw new Error(
      `Delivery id ${JSON.stringify(deliveryId)} cannot be carried in a bounce address: ` +
        `expected 1 to ${MAX_BOUNCE_DELIVERY_ID_CHARS} characters of [a-z0-9_-]`,
    );
  }
  const localPart = `${BOUNCE_LOCAL_PREFIX}${deliveryId}.${mac(deliveryId, options.secret)}`;
  // Holds by construction (8 + 40 + 1 + 10 = 59); kept so a change to the format cannot break it silently.
  if (localPart.length > MAX_LOCAL_PART_OCTETS) throw new Error(`Bounce address local part exceeds ${MAX_LOCAL_PART_OCTETS} characters`);
  return `${localPart}@${bounceDomain(options.domain)}`;
}

/**
 * The delivery id a bounce was addressed to, or null when the address is not one of ours: another
 * domain, not a bounce address, or a MAC that does not match. Accepts `Name <address>`, `<address>`
 * and any letter case.
 */
export function parseBounceAddress(address: string | null | undefined, options: BounceAddressOptions): string | null {
  if (typeof address !== 'string') return null;
  const bare = unwrap(address).toLowerCase();
  const at = bare.lastIndexOf('@');
  if (at <= 0) return null;
  if (bare.slice(at + 1).replace(/\.$/, '') !== bounceDomain(options.domain)) return null;
  const match = BOUNCE_LOCAL_PART.exec(bare.slice(0, at));
  if (!match) return null;
  const [, deliveryId, givenMac] = match;
  const expected = Buffer.from(mac(deliveryId, options.secret));
  const given = Buffer.from(givenMac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? deliveryId : null;
}

function unwrap(address: string): string {
  const bracketed = /<([^<>]*)>\s*$/.exec(address);
  return (bracketed ? bracketed[1] : address).trim();
}

function bounceDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

function mac(deliveryId: string, secret: string): string {
  if (!secret) throw new Error('A secret is required to sign bounce addresses');
  // The label keeps this MAC from ever equalling one computed with the same secret for another purpose.
  const digest = createHmac('sha256', secret).update(`conversation-alias/bounce/v1\0${deliveryId}`).digest();
  return base32(digest).slice(0, MAC_CHARS);
}

