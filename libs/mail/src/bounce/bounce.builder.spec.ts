import { NOTIFICATION_HEADER } from '../mail.constants';
import { BounceWithoutRecipientError } from '../mail.errors';
import { aParsedEmail } from '../testing';
import { BounceReason, bounceReasons } from './bounce-reason.enum';
import { buildBounce } from './bounce.builder';

const options = { platformAddress: 'no-reply@example.com', aliasDomain: 'relay.example.com' };
const original = aParsedEmail({
  messageId: '<reply-1@acme.example>',
  references: ['<notification-1@relay.example.com>'],
  subject: 'Re: Interview',
  returnPath: 'bob.smith@acme.example',
});

describe('buildBounce', () => {
  it('comes from the platform address and goes to the envelope sender (RFC 3834)', () => {
    const bounce = buildBounce({ ...original, returnPath: 'bob+bounces@acme.example' }, BounceReason.UnknownSender, options);
    expect([bounce.from, bounce.to]).toEqual(['no-reply@example.com', 'bob+bounces@acme.example']);
  });

  it('goes to From when the envelope sender is unknown', () => {
    expect(buildBounce({ ...original, returnPath: undefined }, BounceReason.UnknownSender, options).to).toBe('bob.smith@acme.example');
  });

  it('accepts what an ingress knows before parsing', () => {
    expect(buildBounce({ from: 'Bob <bob@acme.example>', subject: 'Hi', messageId: '<m@x>' }, 'too-large', options).to).toBe('bob@acme.example');
  });

  it('refuses to build a bounce with nobody to send it to', () => {
    expect(() => buildBounce({ subject: 'x' }, BounceReason.TooLarge, options)).toThrow(BounceWithoutRecipientError);
  });

  it('names the original subject', () => {
    expect(buildBounce(original, BounceReason.UnknownSender, options).subject).toBe('Undelivered: Re: Interview');
  });

  it('cannot be made to inject headers through the subject', () => {
    expect(buildBounce({ ...original, subject: 'Hi\r\nBcc: victim@x.example' }, BounceReason.UnknownSender, options).subject).toBe('Undelivered: Hi Bcc: victim@x.example');
  });

  it('marks itself as an automatic reply (RFC 3834) and asks Exchange not to answer it', () => {
    expect(buildBounce(original, BounceReason.UnknownSender, options).headers).toMatchObject({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
  });

  it('carries our notification header, so it is recognised if it ever comes back', () => {
    expect(buildBounce(original, BounceReason.NotAParticipant, options).headers[NOTIFICATION_HEADER]).toBe('bounce; reason=not-a-participant');
  });

  it('threads under the refused mail', () => {
    expect(buildBounce(original, BounceReason.UnknownSender, options).headers).toMatchObject({
      'In-Reply-To': '<reply-1@acme.example>',
      References: '<notification-1@relay.example.com> <reply-1@acme.example>',
    });
  });

  it('has no threading headers for a mail without Message-ID', () => {
    expect(Object.keys(buildBounce({ ...original, messageId: undefined }, BounceReason.UnknownSender, options).headers)).not.toContain('In-Reply-To');
  });

  it('has the same Message-ID every time for the same mail and reason, so a retried send is one bounce', () => {
    const id = () => buildBounce(original, BounceReason.UnknownSender, options).headers['Message-ID'];
    expect(id()).toBe(id());
  });

  it('has a different Message-ID for another reason', () => {
    const id = (reason: BounceReason) => buildBounce(original, reason, options).headers['Message-ID'];
    expect(id(BounceReason.UnknownSender)).not.toBe(id(BounceReason.TooLarge));
  });

  it('puts its Message-ID in the alias domain', () => {
    expect(buildBounce(original, BounceReason.UnknownSender, options).headers['Message-ID']).toMatch(/^<bounce\.[0-9a-f]{32}@relay\.example\.com>$/);
  });

  it('is sent with the null reverse-path', () => {
    expect(buildBounce(original, BounceReason.UnknownSender, options).envelopeFrom).toBe('');
  });

  it('is counted per sender and reason', () => {
    expect(buildBounce({ ...original, returnPath: 'Bob@ACME.example' }, BounceReason.TooLarge, options).rateLimitKey).toBe('bob@acme.example|too-large');
  });

  it.each([
    [BounceReason.UnknownAlias, 'does not exist', 'reply to the most recent notification'],
    [BounceReason.RevokedAlias, 'revoked', 'reply to the most recent notification'],
    [BounceReason.UnknownSender, 'could not match the address you wrote from (bob.smith@acme.example)', 'Reply from the address you registered with us'],
    [BounceReason.NotAParticipant, 'bob.smith@acme.example is not a participant', 'Ask a participant to add you'],
    [BounceReason.TooLarge, 'larger than the 25 MB we accept', 'smaller attachments'],
    [BounceReason.EmptyAfterTrimming, 'no new text', 'above the quoted text'],
  ])('explains %s and how to fix it', (reason, problem, fix) => {
    const { text } = buildBounce(original, reason, { ...options, recipient: 'jane-x@relay.example.com', maxMessageBytes: 25 * 1024 * 1024 });
    expect([text.includes(problem), text.toLowerCase().includes(fix.toLowerCase())]).toEqual([true, true]);
  });

  it('names the alias that was written to', () => {
    expect(buildBounce(original, BounceReason.UnknownAlias, { ...options, recipient: 'jane-x@relay.example.com' }).text).toContain('The address jane-x@relay.example.com does not exist.');
  });

  it('has an explanation for every reason', () => {
    expect(bounceReasons.map((reason) => buildBounce(original, reason, options).text.split('\n\n').length)).toEqual(bounceReasons.map(() => 5));
  });
});
