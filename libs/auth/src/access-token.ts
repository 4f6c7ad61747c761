import { ADMIN_ROLE, Principal } from './principal';
import { AuthErrorCode, authError } from './auth-error';
import { jose } from './jose';

/** Only HMAC-SHA256: `none`, and any algorithm the secret was not meant for, are refused. */
const ALGORITHM = 'HS256';
/** Clocks of the token issuer and of this host may disagree a little. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Real tokens are well under 1 KiB; refusing huge ones keeps the verifier cheap. */
const MAX_TOKEN_LENGTH = 8 * 1024;
const MAX_SUBJECT_LENGTH = 256;
const MAX_EMAIL_LENGTH = 254;

export interface AccessTokenClaims {
  sub: string;
  email: string;
  roles?: string[];
  [claim: string]: unknown;
}

function keyOf(secret: string): Uint8Array {
  // An empty secret would make every token forgeable: a configuration bug, not a caller error.
  if (!secret) throw new Error('The JWT secret is empty');
  return Buffer.from(secret, 'utf8');
}

/**
 * Verifies a bearer access token (HS256) and returns who it speaks for.
 * `sub` and `email` are required; `exp` is enforced when present; `roles` is optional.
 * @throws DomainError (Unauthenticated) with TOKEN_MISSING, TOKEN_INVALID or TOKEN_EXPIRED
 */
export async function verifyAccessToken(token: string | null | undefined, secret: string): Promise<Principal> {
  const key = keyOf(secret);
  if (!token || !token.trim()) throw authError(AuthErrorCode.TokenMissing);
  if (token.length > MAX_TOKEN_LENGTH) throw authError(AuthErrorCode.TokenInvalid);

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jose.jwtVerify(token.trim(), key, {
      algorithms: [ALGORITHM],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'email'],
    }));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw authError(code === 'ERR_JWT_EXPIRED' ? AuthErrorCode.TokenExpired : AuthErrorCode.TokenInvalid, error);
  }
  return principalFrom(payload);
}

function principalFrom(payload: Record<string, unknown>): Principal {
  const { sub, email, roles, exp } = payload;
  if (typeof sub !== 'string' || !sub.trim() || sub.length > MAX_SUBJECT_LENGTH) throw authError(AuthErrorCode.TokenInvalid);
  if (typeof email !== 'string' || email.length > MAX_EMAIL_LENGTH || !/^[^@\s]+@[^@\s]+$/.test(email.trim())) {
    throw authError(AuthErrorCode.TokenInvalid);
  }
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((role) => typeof role === 'string'))) {
    throw authError(AuthErrorCode.TokenInvalid);
  }
  const roleList: readonly string[] = Object.freeze([...((roles as string[] | undefined) ?? [])]);
  return {
    accountId: sub.trim(),
    email: email.trim().toLowerCase(),
    roles: roleList,
    isAdmin: roleList.includes(ADMIN_ROLE),
    ...(typeof exp === 'number' ? { expiresAt: new Date(exp * 1000) } : {}),
  };
}

/**
 * Signs an HS256 access token, for tests and operator tooling (production tokens come from the
 * identity provider). `expiresIn` takes jose's forms ('15m', '1h', seconds); null leaves `exp`
 * out. An explicit `exp` claim wins over `expiresIn`.
 */
export async function signAccessToken(
  claims: AccessTokenClaims,
  secret: string,
  expiresIn: string | number | null = '1h',
): Promise<string> {
  const jwt = new jose.SignJWT({ ...claims }).setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' });
  if (claims.iat === undefined) jwt.setIssuedAt();
  if (claims.exp === undefined && expiresIn !== null) jwt.setExpirationTime(expiresIn);
  return jwt.sign(keyOf(secret));
}

/**
 * Verifies the value of an `Authorization` header (HTTP) or of the `authorization` connection
 * parameter (graphql-ws): absent → TOKEN_MISSING; present but not `Bearer <token>` (Basic
 * credentials, a bare token) → TOKEN_INVALID; otherwise as verifyAccessToken.
 */
export async function verifyAuthorization(
  authorization: string | readonly string[] | null | undefined,
  secret: string,
): Promise<Principal> {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  if (typeof value !== 'string' || !value.trim()) return verifyAccessToken(undefined, secret);
  const match = /^Bearer[ \t]+(\S+)$/i.exec(value.trim());
  if (!match) throw authError(AuthErrorCode.TokenInvalid);
  return verifyAccessToken(match[1], secret);
}
