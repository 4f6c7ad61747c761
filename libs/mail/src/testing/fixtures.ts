import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Realistic raw emails, hand-written in the shapes real clients produce, shared by the unit specs
 * here and by end-to-end suites that post the same bytes to the ingresses.
 *
 * Every reply is addressed to `FIXTURE_ALIAS` and answers the notification `FIXTURE_NOTIFICATION_ID`;
 * an end-to-end test swaps in the alias and ids it created with `loadFixture(name, { replace })`.
 */
export const FIXTURE_NAMES = [
  'gmail-reply',
  'gmail-android-reply',
  'outlook-desktop-reply',
  'outlook-web-reply',
  'apple-mail-reply',
  'thunderbird-reply',
  'iphone-reply',
  'french-reply',
  'german-reply',
  'spanish-reply',
  'html-only',
  'iso-8859-1',
  'windows-1252',
  'shift-jis',
  'broken-charset',
  'unknown-charset',
  'pdf-attachment',
  'inline-image',
  'no-message-id',
  'auto-reply-rfc3834',
  'out-of-office-german',
  'dsn',
  'mailgun-spam',
  'truncated-mime',
  'nul-bytes',
  'notification-loop',
  'newsletter',
] as const;

export type FixtureName = (typeof FIXTURE_NAMES)[number];

export const FIXTURE_ALIAS = 'jane-doe-k7q2m9x4p3r8t@relay.example.com';
export const FIXTURE_ALIAS_DOMAIN = 'relay.example.com';
export const FIXTURE_SENDER = 'bob.smith@acme.example';
/** The platform address the fixtures' notifications come from. */
export const FIXTURE_PLATFORM_ADDRESS = 'no-reply@example.com';
export const FIXTURE_NOTIFICATION_ID = '<notification.01JNB6Z8QK.jane@relay.example.com>';

export interface LoadFixtureOptions {
  /**
   * ASCII strings to replace everywhere (headers and 7-bit bodies), e.g. `{ [FIXTURE_ALIAS]: alias }`.
   * Bytes are replaced as bytes, so 8-bit bodies stay exactly as they are.
   */
  replace?: Readonly<Record<string, string>>;
}

const FIXTURE_DIR = join(__dirname, 'fixtures');

export function loadFixture(name: FixtureName, options: LoadFixtureOptions = {}): Buffer {
  let raw = readFileSync(join(FIXTURE_DIR, `${name}.eml`));
  for (const [search, replacement] of Object.entries(options.replace ?? {})) {
    // latin1 maps every byte to one character and back, so non-ASCII bytes survive untouched.
    raw = Buffer.from(raw.toString('latin1').split(search).join(replacement), 'latin1');
  }
  return raw;
}
