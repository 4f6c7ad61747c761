import { CommandBus } from '@nestjs/cqrs';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CONVERSATION_EVENT_VERSION, ConversationEvent, Topics } from '@libs/contracts';
import { KafkaConsumerController, NonRetryableError } from '@libs/kafka';
import { HandleConversationEventCommand } from '@libs/notifications';

/**
 * `conversation.events` → fan-out and reminders. A delivery that fails transiently fails the
 * event: the transport retries it with backoff (deliveries already sent are skipped), then puts
 * it on `conversation.events.dlq`, from where `npm run dlq:replay` brings it back.
 */
@KafkaConsumerController()
export class ConversationEventsConsumer {
  constructor(private readonly commands: CommandBus) {}

  @EventPattern(Topics.ConversationEvents)
  async handle(@Payload() event: ConversationEvent): Promise<void> {
    if (!event || typeof event.type !== 'string' || typeof event.conversationId !== 'string' || event.version !== CONVERSATION_EVENT_VERSION) {
      throw new NonRetryableError(`Unsupported event ${String(event?.type)} v${String(event?.version)} on ${Topics.ConversationEvents}`, 'UNSUPPORTED_EVENT');
    }
    await this.commands.execute(new HandleConversationEventCommand(event));
  }
}
