import { NOTIFICATION_HEADER } from '../mail.constants';
import { parseEmail } from '../parse-email/email.parser';
import { FIXTURE_ALIAS_DOMAIN, FIXTURE_NAMES, FIXTURE_PLATFORM_ADDRESS, FixtureName, aParsedEmail, loadFixture } from '../testing';
import { classifyEmail } from './email.classifier';
import type { EmailKind } from './email-classification.types';

const options = { platformAddresses: [FIXTURE_PLATFORM_ADDRESS], aliasDomain: FIXTURE_ALIAS_DOMAIN };

const EXPECTED: Record<FixtureName, EmailKind> = {
  'gmail-reply': 'message',
  'gmail-android-reply': 'message',
  'outlook-desktop-reply': 'message',
  'outlook-web-reply': 'message',
  'apple-mail-reply': 'message',
  'thunderbird-reply': 'message',
  'iphone-reply': 'message',
  'french-reply': 'message',
  'german-reply': 'message',
  'spanish-reply': 'message',
  'html-only': 'message',
  'iso-8859-1': 'message',
  'windows-1252': 'message',
  'shift-jis': 'message',
  'broken-charset': 'message',
  'unknown-charset': 'message',
  'pdf-attachment': 'message',
  'inline-image': 'message',
  'no-message-id': 'message',
  'truncated-mime': 'message',
  'nul-bytes': 'message',
  'auto-reply-rfc3834': 'auto-reply',
  'out-of-office-german': 'auto-reply',
  dsn: 'delivery-status',
  'mailgun-spam': 'spam',
  'notification-loop': 'loop',
  newsletter: 'bulk',
};

describe('classifyEmail', () => {
  it.each(FIXTURE_NAMES)('classifies the %s fixture', async (name) => {
    expect(classifyEmail(await parseEmail(loadFixture(name)), options).kind).toBe(EXPECTED[name]);
  });

  it('says why', async () => {
    expect(classifyEmail(await parseEmail(loadFixture('out-of-office-german')), options)).toEqual({ kind: 'auto-reply', reason: 'out-of-office subject' });
  });

  it('puts a loop before everything else: our own auto-generated mail is never quarantined or reported', () => {
    const email = aParsedEmail({ headers: { [NOTIFICATION_HEADER]: 'bounce', 'Auto-Submitted': 'auto-replied', 'X-Spam-Flag': 'YES' } });
    expect(classifyEmail(email, options).kind).toBe('loop');
  });

  it('puts a delivery report before spam and auto-reply', () => {
    const email = aParsedEmail({ headers: { 'X-Failed-Recipients': 'x@y.example', 'Auto-Submitted': 'auto-replied', 'X-Spam-Flag': 'YES' } });
    expect(classifyEmail(email, options).kind).toBe('delivery-status');
  });

  it('puts spam before auto-reply, so it is kept for review', () => {
    expect(classifyEmail(aParsedEmail({ headers: { 'X-Spam-Flag': 'YES', 'Auto-Submitted': 'auto-replied' } }), options).kind).toBe('spam');
  });

  it('puts auto-reply before bulk', () => {
    expect(classifyEmail(aParsedEmail({ headers: { Precedence: 'bulk', 'Auto-Submitted': 'auto-generated' } }), options).kind).toBe('auto-reply');
  });

  it('applies the blocklist', () => {
    expect(classifyEmail(aParsedEmail(), { ...options, blocklist: ['@acme.example'] }).kind).toBe('spam');
  });

  it('applies the spam score threshold', () => {
    expect(classifyEmail(aParsedEmail({ headers: { 'X-Mailgun-Sscore': '9' } }), { ...options, spamScoreThreshold: 5 }).kind).toBe('spam');
  });
});
