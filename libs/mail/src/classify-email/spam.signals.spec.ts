import { aParsedEmail } from '../testing';
import { detectSpam } from './spam.signals';

describe('detectSpam', () => {
  it.each([
    ['X-Mailgun-Sflag', 'Yes', 'x-mailgun-sflag: Yes'],
    ['X-Spam-Flag', 'YES', 'x-spam-flag: YES'],
    ['X-Spam-Status', 'Yes, score=7.1 required=5.0 tests=BAYES_99', 'x-spam-status: Yes'],
  ])('follows the %s verdict', (header, value, reason) => {
    expect(detectSpam(aParsedEmail({ headers: { [header]: value } }), {})).toBe(reason);
  });

  it.each([
    ['X-Mailgun-Sflag', 'No'],
    ['X-Spam-Flag', 'NO'],
    ['X-Spam-Status', 'No, score=1.2 required=5.0'],
  ])('lets %s: %s through', (header, value) => {
    expect(detectSpam(aParsedEmail({ headers: { [header]: value } }), {})).toBeNull();
  });

  it.each([
    ['X-Mailgun-Sscore', '6.5'],
    ['X-Spam-Score', '6.5'],
    ['X-Spam-Status', 'No, score=6.5 required=8.0'],
  ])('quarantines a %s at or above the threshold', (header, value) => {
    expect(detectSpam(aParsedEmail({ headers: { [header]: value } }), { spamScoreThreshold: 6.5 })).toBe('spam score 6.5 ≥ 6.5');
  });

  it('lets a score below the threshold through', () => {
    expect(detectSpam(aParsedEmail({ headers: { 'X-Mailgun-Sscore': '6.4' } }), { spamScoreThreshold: 6.5 })).toBeNull();
  });

  it('ignores scores when no threshold is set', () => {
    expect(detectSpam(aParsedEmail({ headers: { 'X-Mailgun-Sscore': '99' } }), {})).toBeNull();
  });

  it('blocks an exact address, case-insensitively', () => {
    expect(detectSpam(aParsedEmail(), { blocklist: ['Bob.Smith@ACME.example'] })).toBe('sender blocklisted (bob.smith@acme.example)');
  });

  it('blocks a whole @domain', () => {
    expect(detectSpam(aParsedEmail(), { blocklist: ['@acme.example'] })).toBe('sender blocklisted (@acme.example)');
  });

  it('blocks by the envelope sender too', () => {
    expect(detectSpam(aParsedEmail({ returnPath: 'bounce@spammer.example' }), { blocklist: ['@spammer.example'] })).toBe('sender blocklisted (@spammer.example)');
  });

  it('does not take a subdomain for its parent domain', () => {
    expect(detectSpam(aParsedEmail({ from: { address: 'bob@mail.acme.example', name: '' }, returnPath: undefined }), { blocklist: ['@acme.example'] })).toBeNull();
  });

  it('lets everyone else through', () => {
    expect(detectSpam(aParsedEmail(), { blocklist: ['@other.example', 'eve@acme.example', '@'] })).toBeNull();
  });
});
