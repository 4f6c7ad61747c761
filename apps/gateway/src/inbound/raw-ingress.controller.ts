import { Controller, HttpCode, Inject, Post, Query, Req, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { IncomingMessage } from 'node:http';
import { InboundEmailTooLargeError, inspectHeaderSection, RecordInboundEmailCommand } from '@libs/inbound-email';
import { hasBasicPassword } from './http/basic-auth';
import { readBoundedBody } from './http/bounded-body';
import { parseMediaType } from './http/media-type';
import { INBOUND_LIMITS, InboundIngressSettings } from './inbound-ingress.constants';
import { InboundExceptionFilter } from './inbound-exception.filter';
import { credentialsRequired, unsupportedMediaType } from './inbound-http.errors';
import { IngressTelemetry } from './ingress-telemetry';
import { acceptedBody, IngressAcceptedBody, traceIdOf } from './ingress-response';

const ENVELOPE_HEADERS = ['x-original-to', 'delivered-to', 'return-path'];

/**
 * `POST /inbound/raw`: an MTA (Postfix `pipe` to curl, for instance) posts the raw message as
 * `message/rfc822` with HTTP basic auth (any user name, INBOUND_PASSWORD).
 *
 * Envelope recipients: the `recipient` query parameters (repeatable) when given, else the
 * topmost `X-Original-To` (Postfix's original recipient, before alias expansion), else the
 * topmost `Delivered-To`. Sender: the `sender` query parameter, else the topmost `Return-Path`.
 *
 * 202 `{ id, duplicate }` once stored and queued; 401 missing or wrong credentials (with a Basic
 * challenge), 415 not message/rfc822, 400 not an email or no or bad recipients, 413 too large,
 * 503 blob store or Kafka unavailable (the MTA keeps the mail queued and retries).
 */
@Controller('inbound')
@UseFilters(InboundExceptionFilter)
export class RawIngressController {
  constructor(
    private readonly commands: CommandBus,
    private readonly telemetry: IngressTelemetry,
    @Inject(INBOUND_LIMITS) private readonly limits: InboundIngressSettings,
  ) {}

  @Post('raw')
  @HttpCode(202)
  async receive(
    @Req() req: IncomingMessage,
    @Query('recipient') recipientParam?: string | string[],
    @Query('sender') senderParam?: string | string[],
  ): Promise<IngressAcceptedBody> {
    const accepted = await this.telemetry.observe('mta', async () => {
      // Credentials before anything is read: a stranger's body is never buffered.
      if (!hasBasicPassword(req.headers.authorization, this.limits.inboundPassword)) throw credentialsRequired();
      if (parseMediaType(req.headers['content-type'])?.essence !== 'message/rfc822') throw unsupportedMediaType('message/rfc822');
      const raw = await readBoundedBody(req, this.limits.maxBytes, () => new InboundEmailTooLargeError(this.limits.maxBytes));

      const headers = inspectHeaderSection(raw, this.limits, ENVELOPE_HEADERS).values;
      const recipientsFromQuery = listOf(recipientParam);
      const recipients = recipientsFromQuery.length > 0 ? recipientsFromQuery : topmost(headers, 'x-original-to') ?? topmost(headers, 'delivered-to') ?? [];
      const sender = listOf(senderParam)[0] ?? topmost(headers, 'return-path')?.[0] ?? null;
      const result = await this.commands.execute(new RecordInboundEmailCommand(raw, 'mta', { sender, recipients }, traceIdOf(req)));
      return { id: result.inboundEmailId, duplicate: result.duplicate, size: raw.length };
    });
    return acceptedBody(accepted);
  }
}

function listOf(param: string | string[] | undefined): string[] {
  if (param === undefined) return [];
  return (Array.isArray(param) ? param : [param]).filter((value) => typeof value === 'string' && value.trim().length > 0);
}

function topmost(headers: Map<string, string[]>, name: string): string[] | undefined {
  const first = headers.get(name)?.[0];
  return first ? [first] : undefined;
}
