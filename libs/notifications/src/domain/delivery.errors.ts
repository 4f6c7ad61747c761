import { DomainError, ErrorCategory } from '@libs/contracts';

export enum DeliveryErrorCode {
  /** The channel's provider (SMTP server, SMS/push API) is down or asked us to slow down. */
  ProviderUnavailable = 'DELIVERY_PROVIDER_UNAVAILABLE',
  /** The provider refused this delivery for good (bad address, unknown token, content refused). */
  Rejected = 'DELIVERY_REJECTED',
  /** Another notifier instance holds the delivery right now; try again after its lease. */
  Busy = 'DELIVERY_IN_PROGRESS',
}

/** Worth another attempt later: retried with backoff, then dead-lettered. */
export class TransientDeliveryError extends DomainError {
  constructor(message: string, options?: { cause?: unknown; code?: DeliveryErrorCode }) {
    super(options?.code ?? DeliveryErrorCode.ProviderUnavailable, ErrorCategory.Unavailable, message, options);
  }
}

/** Repeating cannot help: the delivery fails at once. */
export class PermanentDeliveryError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(DeliveryErrorCode.Rejected, ErrorCategory.Invalid, message, options);
  }
}
