import { Catch, Logger } from '@nestjs/common';
import { InboundEmailErrorCode } from '@libs/inbound-email';
import { JsonErrorFilter, httpStatusOf } from '../http/json-error.filter';
import { IngressHttpErrorCode } from './inbound-http.errors';

/** Seconds a provider should wait before retrying after a 503: time for a restart or failover. */
export const RETRY_AFTER_SECONDS = 30;

const STATUS_BY_CODE: Record<string, number> = {
  [InboundEmailErrorCode.TooLarge]: 413,
  [IngressHttpErrorCode.UnsupportedMediaType]: 415,
};

/** The HTTP status of an ingress failure (DESIGN §6): the same mapping for the answer and the metrics. */
export function ingressStatusOf(error: unknown): number {
  return httpStatusOf(error, STATUS_BY_CODE);
}

/**
 * Maps the ingresses' errors to HTTP answers, `{ error: { code, message } }`. Bound to the
 * ingress controllers only (the GraphQL API has its own filter): DomainErrors by category and
 * code, 503 with Retry-After so providers retry, 401 with a Basic challenge for the MTA
 * ingress, and anything unexpected as a logged 500 that reveals nothing.
 */
@Catch()
export class InboundExceptionFilter extends JsonErrorFilter {
  protected readonly logger = new Logger('InboundIngress');
  protected readonly subject = 'Inbound email';
  protected readonly internalMessage = 'The email could not be accepted because of an internal error; retry later.';
  protected override readonly retryAfterSeconds = RETRY_AFTER_SECONDS;

  protected statusOf(error: unknown): number {
    return ingressStatusOf(error);
  }

  protected override extraHeaders(_status: number, code: string): Record<string, string> {
    return code === IngressHttpErrorCode.CredentialsRequired ? { 'www-authenticate': 'Basic realm="inbound", charset="UTF-8"' } : {};
  }
}
