/**
 * How a failure should be treated, whatever the transport. Each edge maps the category once:
 * GraphQL error codes in the gateway, HTTP statuses in the ingresses, retry / dead-letter / skip
 * in Kafka consumers.
 */
export enum ErrorCategory {
  /** The thing does not exist, or the caller may not know it exists. */
  NotFound = 'NOT_FOUND',
  /** The request itself is wrong; repeating it cannot succeed. */
  Invalid = 'INVALID',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  /** Conflicts with the current state (duplicate, revoked, …). */
  Conflict = 'CONFLICT',
  /** A dependency is down; retrying later may succeed. */
  Unavailable = 'UNAVAILABLE',
}

/**
 * Base of every error a lib throws on purpose: a stable machine code, a category, and a message
 * that is safe to show to the caller (no internals, no personal data beyond the caller's own).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Kafka consumers: only unavailability is worth retrying. */
  get retryable(): boolean {
    return this.category === ErrorCategory.Unavailable;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
