import { DomainError, ErrorCategory } from '@libs/contracts';

export enum AuthErrorCode {
  TokenMissing = 'TOKEN_MISSING',
  TokenInvalid = 'TOKEN_INVALID',
  TokenExpired = 'TOKEN_EXPIRED',
}

/**
 * The messages are shown to callers, so they say what to do and never why a signature or a
 * claim failed in detail (that would help someone forging tokens).
 */
const MESSAGES: Record<AuthErrorCode, string> = {
  [AuthErrorCode.TokenMissing]: 'Authentication required: send "Authorization: Bearer <access token>".',
  [AuthErrorCode.TokenInvalid]: 'The access token is invalid.',
  [AuthErrorCode.TokenExpired]: 'The access token has expired; obtain a new one.',
};

export function authError(code: AuthErrorCode, cause?: unknown): DomainError {
  return new DomainError(code, ErrorCategory.Unauthenticated, MESSAGES[code], cause === undefined ? undefined : { cause });
}
