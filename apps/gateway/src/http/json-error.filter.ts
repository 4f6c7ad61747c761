import { ArgumentsHost, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { DomainError, ErrorCategory, isDomainError } from '@libs/contracts';

const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  [ErrorCategory.Invalid]: 400,
  [ErrorCategory.Unauthenticated]: 401,
  [ErrorCategory.Forbidden]: 403,
  [ErrorCategory.NotFound]: 404,
  [ErrorCategory.Conflict]: 409,
  [ErrorCategory.Unavailable]: 503,
};

/** The HTTP status of a failure: DomainErrors by code (when listed), else by category. */
export function httpStatusOf(error: unknown, byCode: Readonly<Record<string, number>> = {}): number {
  if (isDomainError(error)) return byCode[error.code] ?? STATUS_BY_CATEGORY[error.category] ?? 500;
  if (error instanceof HttpException) return error.getStatus();
  return 500;
}

/**
 * The gateway's non-GraphQL endpoints answer failures as `{ error: { code, message } }`: a
 * DomainError with its own code and message, an HttpException as `HTTP_<status>`, anything
 * unexpected as a logged 500 that reveals nothing; 503 with Retry-After so callers retry.
 * Subclasses name the endpoint and may add headers or logs.
 */
export abstract class JsonErrorFilter implements ExceptionFilter {
  protected abstract readonly logger: Logger;
  /** What failed, for the logs: "Inbound email", "Status report". */
  protected abstract readonly subject: string;
  /** The message of a 500. */
  protected abstract readonly internalMessage: string;
  protected readonly retryAfterSeconds: number = 30;

  protected abstract statusOf(error: unknown): number;

  /** A refusal the caller caused or can retry: logged at warn for 503 by default. */
  protected logRefusal(status: number, error: DomainError): void {
    if (status === 503) this.logger.warn({ msg: `${this.subject} refused: a dependency is unavailable`, code: error.code, cause: String(error.cause) });
  }

  protected extraHeaders(_status: number, _code: string): Record<string, string> {
    return {};
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const status = this.statusOf(exception);
    let code = 'INTERNAL';
    let message = this.internalMessage;
    if (isDomainError(exception)) {
      ({ code, message } = exception);
      this.logRefusal(status, exception);
    } else if (exception instanceof HttpException) {
      code = `HTTP_${status}`;
      message = exception.message;
    } else {
      this.logger.error({ msg: `${this.subject} failed unexpectedly`, err: exception });
    }
    if (res.headersSent || res.destroyed) return;
    if (status === 503) res.setHeader('retry-after', String(this.retryAfterSeconds));
    for (const [name, value] of Object.entries(this.extraHeaders(status, code))) res.setHeader(name, value);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code, message } }));
  }
}
