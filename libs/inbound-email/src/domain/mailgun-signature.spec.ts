import { isFreshMailgunTimestamp, isValidMailgunSignature, mailgunSignatureOf, mailgunTokenExpiry } from './mailgun-signature';

const key = 'key-0123456789abcdef';

describe('Mailgun signature', () => {
  const timestamp = '1772614800';
  const token = 'e0b5477167110d68991efc6b9f89f0a11066af27834600e123';

  it('matches the HMAC-SHA256 of timestamp + token that Mailgun documents', () => {
    // Computed independently: printf '%s' "$timestamp$token" | openssl dgst -sha256 -hmac "$key"
    expect(mailgunSignatureOf(timestamp, token, key)).toBe('0219a4b0cc19e58858ecd49e15747a1a5c20dfaab2362852517ec7499e117b86');
  });

  it('accepts the right signature, in either case of hex', () => {
    const signature = mailgunSignatureOf(timestamp, token, key);
    expect(isValidMailgunSignature({ timestamp, token, signature }, key)).toBe(true);
    expect(isValidMailgunSignature({ timestamp, token, signature: signature.toUpperCase() }, key)).toBe(true);
  });

  it('refuses a signature under another key, of another token or timestamp, or malformed', () => {
    const signature = mailgunSignatureOf(timestamp, token, key);
    expect(isValidMailgunSignature({ timestamp, token, signature: mailgunSignatureOf(timestamp, token, 'other-key-0123456789') }, key)).toBe(false);
    expect(isValidMailgunSignature({ timestamp, token: `${token}x`, signature }, key)).toBe(false);
    expect(isValidMailgunSignature({ timestamp: '1772614801', token, signature }, key)).toBe(false);
    expect(isValidMailgunSignature({ timestamp, token, signature: signature.slice(0, 63) }, key)).toBe(false);
    expect(isValidMailgunSignature({ timestamp, token, signature: `${signature.slice(0, 63)}g` }, key)).toBe(false);
    expect(isValidMailgunSignature({ timestamp, token: 'x'.repeat(300), signature }, key)).toBe(false);
    expect(isValidMailgunSignature({ timestamp: '12.5', token, signature }, key)).toBe(false);
  });

  it('judges freshness both ways around now', () => {
    const now = new Date(Number(timestamp) * 1000);
    expect(isFreshMailgunTimestamp(timestamp, now, 300)).toBe(true);
    expect(isFreshMailgunTimestamp(String(Number(timestamp) - 300), now, 300)).toBe(true);
    expect(isFreshMailgunTimestamp(String(Number(timestamp) - 301), now, 300)).toBe(false);
    expect(isFreshMailgunTimestamp(String(Number(timestamp) + 301), now, 300)).toBe(false);
    expect(isFreshMailgunTimestamp('soon', now, 300)).toBe(false);
  });

  it('remembers a token until its timestamp turns stale', () => {
    expect(mailgunTokenExpiry(timestamp, 300).getTime()).toBe((Number(timestamp) + 300) * 1000);
  });
});
