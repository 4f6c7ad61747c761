import { Controller, Inject, Logger, Post, RawBodyRequest, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MetricsService } from '@libs/observability';
import { readBoundedBody } from '../inbound/http/bounded-body';
import { PROVIDER_WEBHOOK_SECRET, ProviderWebhookSecret, STATUS_WEBHOOK_LIMITS, StatusWebhookLimits } from './notifications-webhooks.constants';
import {
  DeliveryStatusOutcome,
  parseStatusWebhook,
  STATUS_WEBHOOK_SIGNATURE_HEADER,
  StatusWebhookSignatureError,
  StatusWebhookTooLargeError,
  UpdateDeliveryStatusCommand,
  verifyStatusWebhook,
} from '@libs/notifications';
import { StatusWebhookExceptionFilter, statusWebhookStatusOf } from './status-webhook-exception.filter';

type WebhookOutcome = 'updated' | 'unchanged' | 'unknown_delivery' | 'unauthenticated' | 'invalid' | 'too_large' | 'unavailable' | 'error';

/**
 * `POST /webhooks/notifications/status`: the SMS/push provider reports a delivery's final
 * state (docs/notification-provider.md). Signed with `X-Provider-Signature` over the raw body.
 *
 * 204 applied or already known (states only move forward); 202 `{ result: "unknown-delivery" }`
 * for a delivery we do not have, so the provider stops retrying (the handler logs and counts
 * it); 401 bad signature, naming why; 400 bad payload, naming the fields; 413 over 64 KiB; 503
 * (with Retry-After) or 500 when we could not record it, so the provider retries.
 *
 * The signature covers the bytes as sent, so the body is read raw: from `req.rawBody` when the
 * app's JSON parser kept it (Nest's `rawBody: true`), else straight from the request stream.
 */
@Controller('webhooks/notifications')
@UseFilters(StatusWebhookExceptionFilter)
export class DeliveryStatusWebhookController {
  private readonly logger = new Logger('DeliveryStatusWebhook');
  private readonly requests;

  constructor(
    private readonly commands: CommandBus,
    @Inject(PROVIDER_WEBHOOK_SECRET) private readonly secret: ProviderWebhookSecret,
    @Inject(STATUS_WEBHOOK_LIMITS) private readonly limits: StatusWebhookLimits,
    metrics: MetricsService,
  ) {
    this.requests = metrics.counter('notification_status_webhook_requests_total', 'Status webhook requests from the SMS/push provider, by outcome', ['outcome']);
  }

  @Post('status')
  async receive(@Req() req: RawBodyRequest<IncomingMessage>, @Res() res: ServerResponse): Promise<void> {
    let outcome: DeliveryStatusOutcome;
    try {
      outcome = await this.record(req);
    } catch (error) {
      this.requests.inc({ outcome: outcomeOfError(error) });
      throw error;
    }
    this.requests.inc({ outcome: outcome.status === 'unknown-delivery' ? 'unknown_delivery' : outcome.status });
    if (outcome.status === 'unknown-delivery') {
      res.statusCode = 202;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ result: 'unknown-delivery' }));
      return;
    }
    res.statusCode = 204;
    res.end();
  }

  private async record(req: RawBodyRequest<IncomingMessage>): Promise<DeliveryStatusOutcome> {
    const header = req.headers[STATUS_WEBHOOK_SIGNATURE_HEADER];
    // Unsigned posts are refused before their body is buffered.
    if (!header) throw new StatusWebhookSignatureError('missing');
    const raw = await this.rawBodyOf(req);
    const check = verifyStatusWebhook(raw, header, this.secret, { toleranceSeconds: this.limits.toleranceSeconds });
    if (!check.ok) throw new StatusWebhookSignatureError(check.reason);
    // Nothing in the body is trusted before the signature is.
    const update = parseStatusWebhook(raw);
    const outcome = await this.commands.execute(new UpdateDeliveryStatusCommand(update));
    this.logger.debug({ msg: 'Status report recorded', deliveryId: update.deliveryId, status: update.status, outcome: outcome.status });
    return outcome;
  }

  private async rawBodyOf(req: RawBodyRequest<IncomingMessage>): Promise<Buffer> {
    const max = this.limits.maxBodyBytes;
    const tooLarge = () => new StatusWebhookTooLargeError(max);
    if (Buffer.isBuffer(req.rawBody)) {
      if (req.rawBody.length > max) throw tooLarge();
      return req.rawBody;
    }
    if (req.readableDidRead || req.readableEnded) {
      // A body parser consumed the stream and kept no copy: nothing left to verify. A
      // deployment error (500, logged), not the provider's fault.
      throw new Error('The request body was parsed before the status webhook could read it raw: create the gateway with rawBody: true');
    }
    return readBoundedBody(req, max, tooLarge);
  }
}

function outcomeOfError(error: unknown): WebhookOutcome {
  const status = statusWebhookStatusOf(error);
  if (status === 401) return 'unauthenticated';
  if (status === 413) return 'too_large';
  if (status === 400) return 'invalid';
  if (status === 503) return 'unavailable';
  return 'error';
}
