import { hasBasicPassword } from './basic-auth';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('hasBasicPassword', () => {
  it('accepts the password with any user name', () => {
    expect(hasBasicPassword(basic('postfix:s3cret-pass'), 's3cret-pass')).toBe(true);
    expect(hasBasicPassword(basic(':s3cret-pass'), 's3cret-pass')).toBe(true);
    expect(hasBasicPassword(basic('mta:pass:with:colons'), 'pass:with:colons')).toBe(true);
    expect(hasBasicPassword(`basic   ${Buffer.from('u:s3cret-pass').toString('base64')}`, 's3cret-pass')).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another scheme', 'Bearer s3cret-pass'],
    ['a wrong password', basic('postfix:wrong')],
    ['a prefix of the password', basic('postfix:s3cret')],
    ['no colon', basic('s3cret-pass')],
    ['not base64', 'Basic !!!'],
    ['an empty value', 'Basic '],
  ])('refuses %s', (_name, header) => {
    expect(hasBasicPassword(header, 's3cret-pass')).toBe(false);
  });
});
