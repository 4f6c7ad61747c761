import { DomainError, ErrorCategory } from '@libs/contracts';
import { parseDisplayName } from './display-name';
import { IdentityErrorCode } from './identity-error';

describe('display names', () => {
  it('trims and keeps the name', () => {
    expect(parseDisplayName('  Jane Doe ')).toBe('Jane Doe');
  });

  it('allows 200 characters, counting each code point once', () => {
    expect(parseDisplayName('x'.repeat(200))).toHaveLength(200);
    expect([...parseDisplayName('名'.repeat(200))]).toHaveLength(200);
    expect([...parseDisplayName('😀'.repeat(200))]).toHaveLength(200);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'x'.repeat(201)],
    ['a line break (header injection)', 'Jane\r\nBcc: victim@example.com'],
    ['a NUL', 'Ja\u0000ne'],
    ['a C1 control', 'Ja\u0085ne'],
    ['a line separator', 'Jane\u2028Doe'],
    ['not a string', 12],
  ])('refuses %s', (_, value) => {
    let error: unknown;
    try {
      parseDisplayName(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ category: ErrorCategory.Invalid, code: IdentityErrorCode.InvalidDisplayName });
  });
});
