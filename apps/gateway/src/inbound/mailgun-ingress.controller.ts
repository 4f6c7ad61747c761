import { Controller, HttpCode, Inject, Post, Req, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { IncomingMessage } from 'node:http';
import { InboundEmailTooLargeError, MailgunWebhookVerifier, RecordInboundEmailCommand } from '@libs/inbound-email';
import { readBoundedBody } from './http/bounded-body';
import { parseMediaType } from './http/media-type';
import { parseMultipartForm } from './http/multipart-form';
import { INBOUND_LIMITS, InboundIngressSettings, MAILGUN_FORM_OVERHEAD_BYTES } from './inbound-ingress.constants';
import { InboundExceptionFilter } from './inbound-exception.filter';
import { malformedRequest, unsupportedMediaType } from './inbound-http.errors';
import { IngressTelemetry } from './ingress-telemetry';
import { acceptedBody, IngressAcceptedBody, traceIdOf } from './ingress-response';

/**
 * `POST /inbound/mailgun/mime`: Mailgun's forward of the raw message (a route action
 * `forward("https://…/inbound/mailgun/mime")`), multipart/form-data with `body-mime`,
 * `recipient`, `sender`, `timestamp`, `token` and `signature`.
 *
 * 202 `{ id, duplicate }` once the raw message is in the blob store and its event on Kafka;
 * 401 signature fields missing or wrong, 403 stale timestamp or replayed token, 400 malformed
 * form or not an email or bad recipients, 413 too large, 415 not multipart/form-data, 503 blob
 * store or Kafka unavailable (Mailgun retries).
 */
@Controller('inbound/mailgun')
@UseFilters(InboundExceptionFilter)
export class MailgunIngressController {
  constructor(
    private readonly commands: CommandBus,
    private readonly verifier: MailgunWebhookVerifier,
    private readonly telemetry: IngressTelemetry,
    @Inject(INBOUND_LIMITS) private readonly limits: InboundIngressSettings,
  ) {}

  @Post('mime')
  @HttpCode(202)
  async receive(@Req() req: IncomingMessage): Promise<IngressAcceptedBody> {
    const accepted = await this.telemetry.observe('mailgun', async () => {
      const type = parseMediaType(req.headers['content-type']);
      const boundary = type?.params.get('boundary');
      if (type?.essence !== 'multipart/form-data' || !boundary) throw unsupportedMediaType('multipart/form-data with a boundary');
      const tooLarge = () => new InboundEmailTooLargeError(this.limits.maxBytes);
      const form = parseMultipartForm(await readBoundedBody(req, this.limits.maxBytes + MAILGUN_FORM_OVERHEAD_BYTES, tooLarge), boundary);

      // Nothing of the form is trusted before the signature is: it proves the post is Mailgun's.
      const claim = await this.verifier.verify({ timestamp: form.text('timestamp'), token: form.text('token'), signature: form.text('signature') });
      try {
        const raw = form.bytes('body-mime');
        if (!raw) throw malformedRequest('The form has no body-mime field.');
        if (raw.length > this.limits.maxBytes) throw tooLarge();
        const envelope = { sender: form.text('sender') ?? null, recipients: form.texts('recipient') };
        const result = await this.commands.execute(new RecordInboundEmailCommand(raw, 'mailgun', envelope, traceIdOf(req)));
        return { id: result.inboundEmailId, duplicate: result.duplicate, size: raw.length };
      } catch (error) {
        // Not accepted: Mailgun's retry of this very post must not be refused as a replay.
        await claim.release();
        throw error;
      }
    });
    return acceptedBody(accepted);
  }
}
