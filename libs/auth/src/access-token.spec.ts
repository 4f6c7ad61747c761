import { DomainError, ErrorCategory } from '@libs/contracts';
import { AuthErrorCode } from './auth-error';
import { signAccessToken, verifyAccessToken, verifyAuthorization } from './access-token';
import { jose } from './jose';

const SECRET = 'unit-test-secret-0123456789-abcdefghij';
const claims = { sub: 'acc-1', email: 'Jane.Doe@Example.COM' };

async function failureOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).category).toBe(ErrorCategory.Unauthenticated);
  return error as DomainError;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('verifyAccessToken', () => {
  it('returns the principal of a valid token, with the email lower-cased', async () => {
    const principal = await verifyAccessToken(await signAccessToken(claims, SECRET), SECRET);
    expect(principal).toMatchObject({ accountId: 'acc-1', email: 'jane.doe@example.com', roles: [], isAdmin: false });
    expect(principal.expiresAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('recognises the admin role', async () => {
    const principal = await verifyAccessToken(await signAccessToken({ ...claims, roles: ['support', 'admin'] }, SECRET), SECRET);
    expect(principal.roles).toEqual(['support', 'admin']);
    expect(principal.isAdmin).toBe(true);
  });

  it('is not fooled by a role that only looks like admin', async () => {
    const principal = await verifyAccessToken(await signAccessToken({ ...claims, roles: ['Admin', 'admins'] }, SECRET), SECRET);
    expect(principal.isAdmin).toBe(false);
  });

  it('accepts a token without exp', async () => {
    const principal = await verifyAccessToken(await signAccessToken(claims, SECRET, null), SECRET);
    expect(principal.expiresAt).toBeUndefined();
  });

  it('refuses a missing token with TOKEN_MISSING', async () => {
    for (const token of [undefined, null, '', '   ']) {
      expect((await failureOf(verifyAccessToken(token, SECRET))).code).toBe(AuthErrorCode.TokenMissing);
    }
  });

  it('refuses a token signed with another secret (forged signature)', async () => {
    const forged = await signAccessToken({ ...claims, roles: ['admin'] }, 'another-secret-that-is-long-enough-000');
    const error = await failureOf(verifyAccessToken(forged, SECRET));
    expect(error.code).toBe(AuthErrorCode.TokenInvalid);
    expect(error.message).toBe('The access token is invalid.');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await signAccessToken(claims, SECRET)).split('.');
    const tampered = `${header}.${base64url({ ...claims, roles: ['admin'] })}.${signature}`;
    expect((await failureOf(verifyAccessToken(tampered, SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
  });

  it('refuses alg "none"', async () => {
    const unsecured = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, roles: ['admin'] })}.`;
    expect((await failureOf(verifyAccessToken(unsecured, SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
  });

  it('refuses another HMAC algorithm, even with the right secret', async () => {
    const hs512 = await new jose.SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS512' }).sign(Buffer.from(SECRET));
    expect((await failureOf(verifyAccessToken(hs512, SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const expired = await signAccessToken({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, SECRET);
    const error = await failureOf(verifyAccessToken(expired, SECRET));
    expect(error.code).toBe(AuthErrorCode.TokenExpired);
    expect(error.message).toMatch(/expired/);
  });

  it('tolerates 5 seconds of clock skew, not more', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verifyAccessToken(await signAccessToken({ ...claims, exp: now - 2 }, SECRET), SECRET)).resolves.toBeDefined();
    expect((await failureOf(verifyAccessToken(await signAccessToken({ ...claims, exp: now - 30 }, SECRET), SECRET))).code).toBe(
      AuthErrorCode.TokenExpired,
    );
  });

  it('refuses a token that is not valid yet (nbf)', async () => {
    const early = await signAccessToken({ ...claims, nbf: Math.floor(Date.now() / 1000) + 600 }, SECRET);
    expect((await failureOf(verifyAccessToken(early, SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
  });

  it.each([
    ['sub missing', { email: 'a@example.com' }],
    ['email missing', { sub: 'acc-1' }],
    ['sub not a string', { sub: 42, email: 'a@example.com' }],
    ['email not an address', { sub: 'acc-1', email: 'not-an-address' }],
    ['roles not a list', { sub: 'acc-1', email: 'a@example.com', roles: 'admin' }],
    ['roles not strings', { sub: 'acc-1', email: 'a@example.com', roles: [1] }],
  ])('refuses a token with %s', async (_, payload) => {
    const token = await new jose.SignJWT(payload as Record<string, unknown>).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from(SECRET));
    expect((await failureOf(verifyAccessToken(token, SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
  });

  it('refuses garbage and oversized tokens', async () => {
    expect((await failureOf(verifyAccessToken('not.a.jwt', SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
    expect((await failureOf(verifyAccessToken('x'.repeat(9000), SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
  });

  it('treats an empty secret as a configuration bug, not as a caller error', async () => {
    await expect(verifyAccessToken('a.b.c', '')).rejects.toThrow('The JWT secret is empty');
  });
});

describe('verifyAuthorization', () => {
  it('takes the token from "Bearer <token>", whatever the scheme case', async () => {
    const token = await signAccessToken(claims, SECRET);
    await expect(verifyAuthorization(`Bearer ${token}`, SECRET)).resolves.toMatchObject({ accountId: 'acc-1' });
    await expect(verifyAuthorization(`bearer  ${token} `, SECRET)).resolves.toMatchObject({ accountId: 'acc-1' });
  });

  it('reports a missing header as TOKEN_MISSING and another scheme as TOKEN_INVALID', async () => {
    expect((await failureOf(verifyAuthorization(undefined, SECRET))).code).toBe(AuthErrorCode.TokenMissing);
    expect((await failureOf(verifyAuthorization('Basic dXNlcjpwYXNz', SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
    expect((await failureOf(verifyAuthorization('Bearer', SECRET))).code).toBe(AuthErrorCode.TokenInvalid);
  });
});
