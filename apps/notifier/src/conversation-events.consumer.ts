import { CommandBus } from '@nestjs/cqrs';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { CONVERSATION_EVENT_VERSION, ConversationEvent, Topics } from '@libs/contracts';
import { KafkaConsumerController, NonRetryableError } from '@libs/kafka';
import { HandleConversationEventCommand } from '@libs/notifications';
import { runWithTrace, traceIdFromHeaders } from '@libs/observability';

/**
 * `conversation.events` → fan-out and reminders. A delivery that fails transiently fails the
 * event: the transport retries it with backoff (deliveries already sent are skipped), then puts
 * it on `conversation.events.dlq`, from where `npm run dlq:replay` brings it back.
 *
 * Each event is handled inside the trace its record carries (the email's or the GraphQL call's
 * that wrote the message), so every delivery it makes is logged and stored with that trace id.
 */
@KafkaConsumerController()
export class ConversationEventsConsumer {
  constructor(private readonly commands: CommandBus) {}

  @EventPattern(Topics.ConversationEvents)
  async handle(@Payload() event: ConversationEvent, @Ctx() context?: KafkaContext): Promise<void> {
    if (!event || typeof event.type !== 'string' || typeof event.conversationId !== 'string' || event.version !== CONVERSATION_EVENT_VERSION) {
      throw new NonRetryableError(`Unsupported event ${String(event?.type)} v${String(event?.version)} on ${Topics.ConversationEvents}`, 'UNSUPPORTED_EVENT');
    }
    await runWithTrace(traceIdFromHeaders(context?.getMessage()?.headers), () => this.commands.execute(new HandleConversationEventCommand(event)));
  }
}
