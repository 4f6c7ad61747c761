import { DomainError, ErrorCategory } from '@libs/contracts';

export enum IdentityErrorCode {
  InvalidEmail = 'INVALID_EMAIL',
  InvalidDisplayName = 'INVALID_DISPLAY_NAME',
  TooManyPreviousEmails = 'TOO_MANY_PREVIOUS_EMAILS',
  /** A previous address claimed by one account is the current address of another. */
  EmailInUse = 'EMAIL_IN_USE',
  /** The directory (MongoDB or the identity service) did not answer. */
  Unavailable = 'IDENTITY_UNAVAILABLE',
}

export const IdentityErrors = {
  invalidEmail: (field: string, reason: string) =>
    new DomainError(IdentityErrorCode.InvalidEmail, ErrorCategory.Invalid, `${field} is not a valid email address: ${reason}.`),
  invalidDisplayName: (reason: string) =>
    new DomainError(IdentityErrorCode.InvalidDisplayName, ErrorCategory.Invalid, `displayName ${reason}.`),
  tooManyPreviousEmails: (max: number) =>
    new DomainError(IdentityErrorCode.TooManyPreviousEmails, ErrorCategory.Invalid, `previousEmails may list at most ${max} addresses.`),
  // Only admins upsert accounts, so naming the address (which they sent) reveals nothing new.
  emailInUse: (address: string) =>
    new DomainError(
      IdentityErrorCode.EmailInUse,
      ErrorCategory.Conflict,
      `${address} is the current address of another account and cannot be claimed as a previous address.`,
    ),
  unavailable: (cause?: unknown) =>
    new DomainError(
      IdentityErrorCode.Unavailable,
      ErrorCategory.Unavailable,
      'The identity directory is unavailable; try again later.',
      cause === undefined ? undefined : { cause },
    ),
};
