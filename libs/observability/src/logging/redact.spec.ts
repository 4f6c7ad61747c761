import { maskEmails, redactValue } from './redact';

describe('log redaction', () => {
  it('masks every email address in free text', () => {
    const masked = maskEmails('reply from Jane.Doe+work@example.co.uk to bob@relay.example.com');
    expect(masked).toBe('reply from J***@e***.uk to b***@r***.com');
    expect(masked).not.toMatch(/jane|doe|bob|example/i);
  });

  it('drops message content and credentials by key, at any depth', () => {
    const redacted = redactValue({
      email: { from: 'jane@example.com', body: 'secret offer', headers: { authorization: 'Bearer x' } },
      list: [{ text: 'hello', subject: 'mail for jane@example.com' }],
    });
    expect(redacted).toEqual({
      email: { from: 'j***@e***.com', body: '[redacted]', headers: { authorization: '[redacted]' } },
      list: [{ text: '[redacted]', subject: 'mail for j***@e***.com' }],
    });
  });

  it('keeps errors readable but masked', () => {
    const redacted = redactValue(new Error('no account for jane@example.com')) as { message: string };
    expect(redacted.message).toBe('no account for j***@e***.com');
  });
});
