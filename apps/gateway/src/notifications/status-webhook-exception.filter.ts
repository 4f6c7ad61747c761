import { Catch, Logger } from '@nestjs/common';
import { DomainError } from '@libs/contracts';
import { JsonErrorFilter, httpStatusOf } from '../http/json-error.filter';
import { STATUS_WEBHOOK_RETRY_AFTER_SECONDS } from './notifications-webhooks.constants';
import { StatusWebhookErrorCode } from '@libs/notifications';

const STATUS_BY_CODE: Record<string, number> = {
  [StatusWebhookErrorCode.TooLarge]: 413,
};

/** The HTTP status of a status-webhook failure: one mapping for the answer and the metrics. */
export function statusWebhookStatusOf(error: unknown): number {
  return httpStatusOf(error, STATUS_BY_CODE);
}

/**
 * Answers the provider's status webhook when it fails, `{ error: { code, message } }`: the
 * DomainErrors by category (401 signature, 400 payload, 413 too large, 503 with Retry-After so
 * the provider retries), anything unexpected as a logged 500 that reveals nothing — a 5xx the
 * provider retries too.
 */
@Catch()
export class StatusWebhookExceptionFilter extends JsonErrorFilter {
  protected readonly logger = new Logger('DeliveryStatusWebhook');
  protected readonly subject = 'Status report';
  protected readonly internalMessage = 'The status report could not be recorded because of an internal error; retry later.';
  protected override readonly retryAfterSeconds = STATUS_WEBHOOK_RETRY_AFTER_SECONDS;

  protected statusOf(error: unknown): number {
    return statusWebhookStatusOf(error);
  }

  protected override logRefusal(status: number, error: DomainError): void {
    super.logRefusal(status, error);
    if (status === 401) this.logger.warn({ msg: 'Status report refused: bad signature', code: error.code });
  }
}
