import { DomainError, ErrorCategory } from '@libs/contracts';
import { isValidEmail, normalizeEmail, parseEmail } from './email-address';
import { IdentityErrorCode } from './identity-error';

function problemOf(value: unknown): DomainError {
  try {
    parseEmail(value, 'email');
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).category).toBe(ErrorCategory.Invalid);
    expect((error as DomainError).code).toBe(IdentityErrorCode.InvalidEmail);
    return error as DomainError;
  }
  throw new Error(`${String(value)} was accepted`);
}

describe('email addresses', () => {
  it('normalises by trimming and lower-casing', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM \n')).toBe('jane.doe@example.com');
    expect(parseEmail(' Jane.Doe+tag@Mail.Example.com ')).toBe('jane.doe+tag@mail.example.com');
  });

  it.each(['a@b.co', "o'brien@example.ie", 'x_y-z@sub.example-domain.org', 'josé@exämple.de', `${'l'.repeat(64)}@example.com`])(
    'accepts %s',
    (address) => expect(isValidEmail(address)).toBe(true),
  );

  it.each([
    ['', /empty/],
    ['no-at.example.com', /exactly one @/],
    ['two@@example.com', /exactly one @/],
    ['a@b@example.com', /exactly one @/],
    ['@example.com', /before @ is empty/],
    ['jane@', /domain is empty/],
    ['jane@localhost', /two labels/],
    ['jane doe@example.com', /not allowed/],
    ['"quoted"@example.com', /not allowed/],
    ['.jane@example.com', /not allowed/],
    ['jane..doe@example.com', /not allowed/],
    ['jane@-example.com', /valid host name/],
    ['jane@exa_mple.com', /valid host name/],
    [`${'l'.repeat(65)}@example.com`, /longer than 64/],
    [`a@${Array.from({ length: 5 }, () => 'd'.repeat(60)).join('.')}.com`, /longer than 254/],
    [`a@${'d'.repeat(64)}.com`, /valid host name/],
  ])('refuses %j (%s)', (address, reason) => {
    expect(problemOf(address).message).toMatch(reason);
  });

  it('names the field in its message', () => {
    expect(() => parseEmail('nope', 'previousEmails[2]')).toThrow(/^previousEmails\[2\] is not a valid email address/);
  });

  it('refuses non-strings', () => {
    expect(problemOf(42).message).toMatch(/must be a string/);
  });
});
