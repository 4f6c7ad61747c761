import { NOTIFICATION_HEADER } from '../mail.constants';
import { parseEmail } from '../parse-email/email.parser';
import { FixtureName, aParsedEmail, loadFixture } from '../testing';
import { bounceSuppressionReason, shouldBounce } from './bounce.policy';

describe('shouldBounce', () => {
  it('answers a person’s mail', () => {
    expect(shouldBounce(aParsedEmail())).toBe(true);
  });

  it.each(['', '<>', ' < > '])('never answers the null sender %j in the envelope', (mailFrom) => {
    expect(shouldBounce({ mailFrom })).toBe(false);
  });

  it('never answers the null sender in Return-Path', () => {
    expect(shouldBounce(aParsedEmail({ returnPath: '' }))).toBe(false);
  });

  it('lets the envelope sender given by the ingress override Return-Path', () => {
    expect([shouldBounce(aParsedEmail(), ''), shouldBounce(aParsedEmail({ returnPath: '' }), 'bob@acme.example')]).toEqual([false, true]);
  });

  it('falls back to Return-Path when the ingress does not know the envelope sender', () => {
    expect(shouldBounce(aParsedEmail({ returnPath: '' }), null)).toBe(false);
  });

  it.each(['MAILER-DAEMON@mx.acme.example', 'postmaster@acme.example', 'no-reply@ats.example', 'noreply@ats.example', 'jobs-request@lists.example', 'owner-jobs@lists.example', 'bounces+8841@mail.ats.example'])(
    'never answers software: %s',
    (address) => {
      expect(shouldBounce({ mailFrom: address })).toBe(false);
    },
  );

  it('answers an envelope with a person’s address', () => {
    expect(shouldBounce({ mailFrom: '<bob@acme.example>' })).toBe(true);
  });

  it('never answers mail without any sender address', () => {
    expect(shouldBounce(aParsedEmail({ returnPath: undefined, from: undefined }))).toBe(false);
  });

  it.each([
    ['an auto-reply', { 'Auto-Submitted': 'auto-replied' }],
    ['a delivery report', { 'Content-Type': 'multipart/report; report-type=delivery-status' }],
    ['list mail', { Precedence: 'list' }],
    ['our own notification', { [NOTIFICATION_HEADER]: 'message' }],
  ])('never answers %s', (_, headers) => {
    expect(shouldBounce(aParsedEmail({ headers }))).toBe(false);
  });

  it.each<FixtureName>(['dsn', 'auto-reply-rfc3834', 'out-of-office-german', 'notification-loop', 'newsletter'])('never answers the %s fixture', async (name) => {
    expect(shouldBounce(await parseEmail(loadFixture(name)))).toBe(false);
  });

  it('answers the gmail-reply fixture', async () => {
    expect(shouldBounce(await parseEmail(loadFixture('gmail-reply')))).toBe(true);
  });
});

describe('bounceSuppressionReason', () => {
  it('says why no bounce is sent', () => {
    expect(bounceSuppressionReason(aParsedEmail({ headers: { 'Auto-Submitted': 'auto-generated' } }))).toBe('automatic mail (Auto-Submitted: auto-generated)');
  });

  it('is null when a bounce may be sent', () => {
    expect(bounceSuppressionReason(aParsedEmail())).toBeNull();
  });
});
