import { CommandBus } from '@nestjs/cqrs';
import { EventPattern, Payload } from '@nestjs/microservices';
import { INBOUND_EMAIL_RECEIVED, InboundEmailReceivedEvent, Topics } from '@libs/contracts';
import { KafkaConsumerController, NonRetryableError } from '@libs/kafka';
import { ProcessInboundEmailCommand } from '@libs/inbound-routing';

/**
 * `inbound-email.received` → ProcessInboundEmailCommand. Transient failures (MongoDB, S3, SMTP
 * down) are retried with backoff by the consumer transport, then dead-lettered; nothing is
 * committed before the email's outcome is recorded.
 */
@KafkaConsumerController()
export class InboundEmailConsumer {
  constructor(private readonly commands: CommandBus) {}

  @EventPattern(Topics.InboundEmailReceived)
  async handle(@Payload() event: InboundEmailReceivedEvent): Promise<void> {
    if (event?.type !== INBOUND_EMAIL_RECEIVED || event.version !== 1) {
      throw new NonRetryableError(`Unsupported event ${String(event?.type)} v${String(event?.version)} on ${Topics.InboundEmailReceived}`, 'UNSUPPORTED_EVENT');
    }
    await this.commands.execute(new ProcessInboundEmailCommand(event.data));
  }
}
