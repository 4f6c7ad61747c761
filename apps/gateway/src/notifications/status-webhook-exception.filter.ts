import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ErrorCategory, isDomainError } from '@libs/contracts';
import { STATUS_WEBHOOK_RETRY_AFTER_SECONDS } from './notifications-webhooks.constants';
import { StatusWebhookErrorCode } from './notifications-lib';

const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  [ErrorCategory.Invalid]: 400,
  [ErrorCategory.Unauthenticated]: 401,
  [ErrorCategory.Forbidden]: 403,
  [ErrorCategory.NotFound]: 404,
  [ErrorCategory.Conflict]: 409,
  [ErrorCategory.Unavailable]: 503,
};

const STATUS_BY_CODE: Record<string, number> = {
  [StatusWebhookErrorCode.TooLarge]: 413,
};

/** The HTTP status of a status-webhook failure: one mapping for the answer and the metrics. */
export function statusWebhookStatusOf(error: unknown): number {
  if (isDomainError(error)) return STATUS_BY_CODE[error.code] ?? STATUS_BY_CATEGORY[error.category] ?? 500;
  if (error instanceof HttpException) return error.getStatus();
  return 500;
}

/**
 * Answers the provider's status webhook when it fails, `{ error: { code, message } }`: the
 * DomainErrors by category (401 signature, 400 payload, 413 too large, 503 with Retry-After so
 * the provider retries), anything unexpected as a logged 500 that reveals nothing — a 5xx the
 * provider retries too.
 */
@Catch()
export class StatusWebhookExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('DeliveryStatusWebhook');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const status = statusWebhookStatusOf(exception);
    let code = 'INTERNAL';
    let message = 'The status report could not be recorded because of an internal error; retry later.';
    if (isDomainError(exception)) {
      ({ code, message } = exception);
      if (status === 503) this.logger.warn({ msg: 'Status report refused: a dependency is unavailable', code, cause: String(exception.cause) });
      else if (status === 401) this.logger.warn({ msg: 'Status report refused: bad signature', code });
    } else if (exception instanceof HttpException) {
      code = `HTTP_${status}`;
      message = exception.message;
    } else {
      this.logger.error({ msg: 'Status report failed unexpectedly', err: exception });
    }
    if (res.headersSent || res.destroyed) return;
    if (status === 503) res.setHeader('retry-after', String(STATUS_WEBHOOK_RETRY_AFTER_SECONDS));
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code, message } }));
  }
}
