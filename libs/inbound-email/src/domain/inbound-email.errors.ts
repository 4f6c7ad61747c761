import { DomainError, ErrorCategory } from '@libs/contracts';

/**
 * Every way an inbound email can be refused. Ingresses map them to HTTP statuses by category,
 * except TooLarge (413), which is invalid input with its own status.
 */
export enum InboundEmailErrorCode {
  NotAnEmail = 'INBOUND_NOT_AN_EMAIL',
  HeaderLineTooLong = 'INBOUND_HEADER_LINE_TOO_LONG',
  NulInHeaders = 'INBOUND_NUL_IN_HEADERS',
  TooLarge = 'INBOUND_EMAIL_TOO_LARGE',
  NoRecipients = 'INBOUND_NO_RECIPIENTS',
  TooManyRecipients = 'INBOUND_TOO_MANY_RECIPIENTS',
  InvalidRecipient = 'INBOUND_INVALID_RECIPIENT',
  StorageUnavailable = 'INBOUND_STORAGE_UNAVAILABLE',
  QueueUnavailable = 'INBOUND_QUEUE_UNAVAILABLE',
  NotFound = 'INBOUND_EMAIL_NOT_FOUND',
  InvalidStatus = 'INBOUND_INVALID_STATUS',
  MailgunSignatureMissing = 'MAILGUN_SIGNATURE_MISSING',
  MailgunSignatureInvalid = 'MAILGUN_SIGNATURE_INVALID',
  MailgunTimestampStale = 'MAILGUN_TIMESTAMP_STALE',
  MailgunTokenReplayed = 'MAILGUN_TOKEN_REPLAYED',
}

export class InvalidInboundEmailError extends DomainError {
  constructor(code: InboundEmailErrorCode, message: string) {
    super(code, ErrorCategory.Invalid, message);
  }
}

export class InboundEmailTooLargeError extends DomainError {
  constructor(readonly maxBytes: number) {
    super(InboundEmailErrorCode.TooLarge, ErrorCategory.Invalid, `The email is larger than the limit of ${maxBytes} bytes.`);
  }
}

/** The blob store or Kafka did not acknowledge: nothing was accepted, the sender should retry. */
export class InboundDependencyUnavailableError extends DomainError {
  constructor(code: InboundEmailErrorCode.StorageUnavailable | InboundEmailErrorCode.QueueUnavailable, cause: unknown) {
    const what = code === InboundEmailErrorCode.StorageUnavailable ? 'Email storage' : 'The email queue';
    super(code, ErrorCategory.Unavailable, `${what} is unavailable; nothing was accepted, retry later.`, { cause });
  }
}

export class InboundEmailNotFoundError extends DomainError {
  constructor() {
    super(InboundEmailErrorCode.NotFound, ErrorCategory.NotFound, 'Inbound email not found');
  }
}

/**
 * Mailgun webhook refusals. 401: the post does not prove it comes from Mailgun (signature fields
 * missing, or the signature does not verify). 403: it is signed with our key but refused anyway
 * (the timestamp is outside the window, or the token was already used: a replay).
 */
export class MailgunWebhookRefusedError extends DomainError {
  constructor(
    code:
      | InboundEmailErrorCode.MailgunSignatureMissing
      | InboundEmailErrorCode.MailgunSignatureInvalid
      | InboundEmailErrorCode.MailgunTimestampStale
      | InboundEmailErrorCode.MailgunTokenReplayed,
  ) {
    const unauthenticated = code === InboundEmailErrorCode.MailgunSignatureMissing || code === InboundEmailErrorCode.MailgunSignatureInvalid;
    super(code, unauthenticated ? ErrorCategory.Unauthenticated : ErrorCategory.Forbidden, MAILGUN_MESSAGES[code]);
  }
}

const MAILGUN_MESSAGES: Record<string, string> = {
  [InboundEmailErrorCode.MailgunSignatureMissing]: 'The Mailgun signature fields (timestamp, token, signature) are required.',
  [InboundEmailErrorCode.MailgunSignatureInvalid]: 'The Mailgun signature does not verify.',
  [InboundEmailErrorCode.MailgunTimestampStale]: 'The Mailgun timestamp is outside the accepted window.',
  [InboundEmailErrorCode.MailgunTokenReplayed]: 'This Mailgun token was already used.',
};
