import { DomainError, ErrorCategory } from '@libs/contracts';
import { StatusWebhookSignatureFailure } from './status-webhook-signature';

/** Refusals of the provider's status webhook (docs/notification-provider.md). */
export enum StatusWebhookErrorCode {
  SignatureMissing = 'NOTIFY_WEBHOOK_SIGNATURE_MISSING',
  SignatureMalformed = 'NOTIFY_WEBHOOK_SIGNATURE_MALFORMED',
  SignatureStale = 'NOTIFY_WEBHOOK_SIGNATURE_STALE',
  SignatureMismatch = 'NOTIFY_WEBHOOK_SIGNATURE_MISMATCH',
  InvalidPayload = 'NOTIFY_WEBHOOK_INVALID_PAYLOAD',
  TooLarge = 'NOTIFY_WEBHOOK_TOO_LARGE',
}

const SIGNATURE_REFUSALS: Record<StatusWebhookSignatureFailure, { code: StatusWebhookErrorCode; message: string }> = {
  missing: { code: StatusWebhookErrorCode.SignatureMissing, message: 'The X-Provider-Signature header is missing.' },
  malformed: { code: StatusWebhookErrorCode.SignatureMalformed, message: 'The X-Provider-Signature header is not of the form t=<unix seconds>,v1=<hex HMAC-SHA256>.' },
  stale: { code: StatusWebhookErrorCode.SignatureStale, message: 'The X-Provider-Signature timestamp is outside the accepted tolerance; sign the request again.' },
  mismatch: { code: StatusWebhookErrorCode.SignatureMismatch, message: 'The X-Provider-Signature does not match the request body.' },
};

/** 401: the post cannot be shown to come from the provider. */
export class StatusWebhookSignatureError extends DomainError {
  constructor(readonly reason: StatusWebhookSignatureFailure) {
    super(SIGNATURE_REFUSALS[reason].code, ErrorCategory.Unauthenticated, SIGNATURE_REFUSALS[reason].message);
  }
}

export interface StatusWebhookProblem {
  field: string;
  problem: string;
}

/** 400: signed, but not a status report we understand. Lists every bad field. */
export class InvalidStatusWebhookError extends DomainError {
  readonly fields: string[];

  constructor(readonly problems: StatusWebhookProblem[]) {
    super(StatusWebhookErrorCode.InvalidPayload, ErrorCategory.Invalid, `Invalid status webhook: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}.`);
    this.fields = problems.map((p) => p.field);
  }
}

/** 413. */
export class StatusWebhookTooLargeError extends DomainError {
  constructor(readonly maxBytes: number) {
    super(StatusWebhookErrorCode.TooLarge, ErrorCategory.Invalid, `A status webhook body may have at most ${maxBytes} bytes.`);
  }
}
