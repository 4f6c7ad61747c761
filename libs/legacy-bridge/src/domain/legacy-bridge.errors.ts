import { DomainError, ErrorCategory } from '@libs/contracts';

export enum LegacyBridgeErrorCode {
  Unavailable = 'LEGACY_SYSTEM_UNAVAILABLE',
  Rejected = 'LEGACY_SYSTEM_REJECTED',
}

export const LegacyBridgeErrors = {
  /** Retried by the caller (the relay's Kafka consumer retries, then dead-letters). */
  unavailable: (cause: unknown) =>
    new DomainError(LegacyBridgeErrorCode.Unavailable, ErrorCategory.Unavailable, 'The legacy system is unavailable; try again later.', { cause }),
  rejected: (status: number, code?: string) =>
    new DomainError(LegacyBridgeErrorCode.Rejected, ErrorCategory.Invalid, `The legacy system refused the request (HTTP ${status}${code ? `, ${code}` : ''}).`),
};
