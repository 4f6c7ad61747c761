import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { INBOUND_EMAIL_RECEIVED, InboundEmailReceivedEvent, Topics } from '@libs/contracts';
import { KafkaConsumerController, NonRetryableError } from '@libs/kafka';
import { InboundOutcome, ProcessInboundEmailCommand } from '@libs/inbound-routing';
import { runWithTrace, traceIdFromHeaders } from '@libs/observability';

/**
 * `inbound-email.received` → ProcessInboundEmailCommand. Transient failures (MongoDB, S3, SMTP
 * down) are retried with backoff by the consumer transport, then dead-lettered; nothing is
 * committed before the email's outcome is recorded.
 *
 * Each email is handled inside the trace the gateway gave it (Kafka header, else the event's
 * own `traceId`): the relay's log lines carry it, and so do the conversation messages it adds,
 * on their way to the notifier.
 */
@KafkaConsumerController()
export class InboundEmailConsumer {
  private readonly logger = new Logger(InboundEmailConsumer.name);

  constructor(private readonly commands: CommandBus) {}

  @EventPattern(Topics.InboundEmailReceived)
  async handle(@Payload() event: InboundEmailReceivedEvent, @Ctx() context?: KafkaContext): Promise<void> {
    if (event?.type !== INBOUND_EMAIL_RECEIVED || event.version !== 1) {
      throw new NonRetryableError(`Unsupported event ${String(event?.type)} v${String(event?.version)} on ${Topics.InboundEmailReceived}`, 'UNSUPPORTED_EVENT');
    }
    const traceId = traceIdFromHeaders(context?.getMessage()?.headers) ?? event.data.traceId;
    await runWithTrace(traceId, async () => {
      const outcome = await this.commands.execute(new ProcessInboundEmailCommand(event.data));
      this.logger.log({ msg: `Inbound email ${event.data.inboundEmailId}: ${describe(outcome)}`, inboundEmailId: event.data.inboundEmailId, ...fieldsOf(outcome) });
    });
  }
}

function describe(outcome: InboundOutcome | undefined): string {
  if (!outcome) return 'handled';
  switch (outcome.status) {
    case 'processed':
      return `stored as ${outcome.messageIds.length} message(s)`;
    case 'bounced':
      return `bounced (${outcome.reasons.join(', ')})`;
    default:
      return `${outcome.status} (${outcome.reason})`;
  }
}

function fieldsOf(outcome: InboundOutcome | undefined): Record<string, unknown> {
  if (!outcome) return {};
  if (outcome.status === 'processed') return { outcome: outcome.status, messageIds: outcome.messageIds, bounced: outcome.bounced, legacy: outcome.legacy };
  if (outcome.status === 'bounced') return { outcome: outcome.status, reasons: outcome.reasons };
  return { outcome: outcome.status, reason: outcome.reason };
}
