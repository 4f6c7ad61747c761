import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ErrorCategory, isDomainError } from '@libs/contracts';
import { InboundEmailErrorCode } from '@libs/inbound-email';
import { IngressHttpErrorCode } from './inbound-http.errors';

/** Seconds a provider should wait before retrying after a 503: time for a restart or failover. */
export const RETRY_AFTER_SECONDS = 30;

const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  [ErrorCategory.Invalid]: 400,
  [ErrorCategory.Unauthenticated]: 401,
  [ErrorCategory.Forbidden]: 403,
  [ErrorCategory.NotFound]: 404,
  [ErrorCategory.Conflict]: 409,
  [ErrorCategory.Unavailable]: 503,
};

const STATUS_BY_CODE: Record<string, number> = {
  [InboundEmailErrorCode.TooLarge]: 413,
  [IngressHttpErrorCode.UnsupportedMediaType]: 415,
};

/** The HTTP status of an ingress failure (DESIGN §6): the same mapping for the answer and the metrics. */
export function ingressStatusOf(error: unknown): number {
  if (isDomainError(error)) return STATUS_BY_CODE[error.code] ?? STATUS_BY_CATEGORY[error.category] ?? 500;
  if (error instanceof HttpException) return error.getStatus();
  return 500;
}

/**
 * Maps the ingresses' errors to HTTP answers, `{ error: { code, message } }`. Bound to the
 * ingress controllers only (the GraphQL API has its own filter): DomainErrors by category and
 * code, 503 with Retry-After so providers retry, 401 with a Basic challenge for the MTA
 * ingress, and anything unexpected as a logged 500 that reveals nothing.
 */
@Catch()
export class InboundExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('InboundIngress');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const status = ingressStatusOf(exception);
    let code = 'INTERNAL';
    let message = 'The email could not be accepted because of an internal error; retry later.';
    if (isDomainError(exception)) {
      ({ code, message } = exception);
      if (status === 503) this.logger.warn({ msg: 'Inbound email refused: a dependency is unavailable', code, cause: String(exception.cause) });
    } else if (exception instanceof HttpException) {
      code = `HTTP_${status}`;
      message = exception.message;
    } else {
      this.logger.error({ msg: 'Inbound email failed unexpectedly', err: exception });
    }
    if (res.headersSent || res.destroyed) return;
    if (status === 503) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    if (code === IngressHttpErrorCode.CredentialsRequired) res.setHeader('www-authenticate', 'Basic realm="inbound", charset="UTF-8"');
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code, message } }));
  }
}
