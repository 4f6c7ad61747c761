import { DomainError, ErrorCategory } from '@libs/contracts';

/** Refusals of the HTTP layer of the ingresses, before anything reaches libs/inbound-email. */
export enum IngressHttpErrorCode {
  MalformedRequest = 'INBOUND_MALFORMED_REQUEST',
  UnsupportedMediaType = 'INBOUND_UNSUPPORTED_MEDIA_TYPE',
  CredentialsRequired = 'INBOUND_CREDENTIALS_REQUIRED',
  RequestAborted = 'INBOUND_REQUEST_ABORTED',
}

export function malformedRequest(message: string): DomainError {
  return new DomainError(IngressHttpErrorCode.MalformedRequest, ErrorCategory.Invalid, message);
}

export function unsupportedMediaType(expected: string): DomainError {
  return new DomainError(IngressHttpErrorCode.UnsupportedMediaType, ErrorCategory.Invalid, `The request body must be ${expected}.`);
}

/** 401 with a Basic challenge (the filter adds WWW-Authenticate for this code). */
export function credentialsRequired(): DomainError {
  return new DomainError(IngressHttpErrorCode.CredentialsRequired, ErrorCategory.Unauthenticated, 'Valid HTTP basic credentials are required.');
}

/** The client went away mid-body; nobody is left to answer. */
export function requestAborted(): DomainError {
  return new DomainError(IngressHttpErrorCode.RequestAborted, ErrorCategory.Invalid, 'The request body was not received completely.');
}
