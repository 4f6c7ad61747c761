import { normalizeAddress, normalizeEnvelope, parseAddressList } from './envelope';
import { InboundEmailErrorCode } from './inbound-email.errors';

describe('envelope', () => {
  it('splits address lists, keeping commas inside quotes and angle brackets', () => {
    expect(parseAddressList('a@x.com, "Doe, Jane" <jane@y.com>,<b@z.com> ,, ')).toEqual(['a@x.com', 'jane@y.com', 'b@z.com']);
  });

  it.each([
    ['Jane@Example.COM', 'jane@example.com'],
    ['<alias-k7q2m9@relay.example.com>', 'alias-k7q2m9@relay.example.com'],
    ['jane+tag@example.com', 'jane+tag@example.com'],
    ['"john doe"@example.com', '"john doe"@example.com'],
    ['josé@exämple.de', 'josé@exämple.de'],
    ['x@[192.0.2.1]', 'x@[192.0.2.1]'],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeAddress(input)).toBe(expected);
  });

  it.each(['', 'no-at-sign', '@example.com', 'a@', 'a b@example.com', 'a@exa mple.com', 'a@-example.com', 'a\u0000b@example.com', `${'x'.repeat(250)}@example.com`])(
    'refuses %j',
    (input) => {
      expect(normalizeAddress(input)).toBeNull();
    },
  );

  it('takes recipients from comma-separated entries, de-duplicated, and the sender', () => {
    expect(normalizeEnvelope({ sender: 'Jane@Example.com', recipients: ['A@relay.example.com, b@relay.example.com', 'a@relay.example.com'] }, 10)).toEqual({
      sender: 'jane@example.com',
      recipients: ['a@relay.example.com', 'b@relay.example.com'],
    });
  });

  it.each([null, undefined, '', '<>', 'not an address'])('treats the sender %j as unknown', (sender) => {
    expect(normalizeEnvelope({ sender, recipients: ['a@x.com'] }, 10).sender).toBeNull();
  });

  it('refuses no recipients, too many, and one that is not an address', () => {
    const codeOf = (recipients: string[]) => {
      try {
        normalizeEnvelope({ recipients }, 3);
        return undefined;
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(codeOf([])).toBe(InboundEmailErrorCode.NoRecipients);
    expect(codeOf([' , '])).toBe(InboundEmailErrorCode.NoRecipients);
    expect(codeOf(['a@x.com,b@x.com,c@x.com,d@x.com'])).toBe(InboundEmailErrorCode.TooManyRecipients);
    expect(codeOf(['a@x.com', 'garbage'])).toBe(InboundEmailErrorCode.InvalidRecipient);
    expect(codeOf(['a@x.com,b@x.com,c@x.com'])).toBeUndefined();
  });
});
