import { DomainError, ErrorCategory } from '@libs/contracts';

export enum MailErrorCode {
  MalformedEmail = 'MALFORMED_EMAIL',
  BounceWithoutRecipient = 'BOUNCE_WITHOUT_RECIPIENT',
}

/**
 * The input is not an email at all (no header section, binary data, none of From / Message-ID /
 * Date). Retrying cannot help, so ingresses answer 400 and consumers skip or dead-letter it.
 * The message names the problem but never echoes the input back.
 */
export class MalformedEmailError extends DomainError {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(MailErrorCode.MalformedEmail, ErrorCategory.Invalid, `Not a valid email: ${reason}`, options);
  }
}

/** A bounce was asked for mail with no sender address to return it to; `shouldBounce` says false for those. */
export class BounceWithoutRecipientError extends DomainError {
  constructor() {
    super(MailErrorCode.BounceWithoutRecipient, ErrorCategory.Invalid, 'The email has no sender address to bounce to');
  }
}
