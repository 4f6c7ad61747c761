import { InboundEmailReceivedEvent } from '@libs/contracts';

/** The hand-over to the relay. */
export interface InboundEmailQueue {
  /** Resolves only once the event is durable (Kafka: acknowledged by every in-sync replica). */
  enqueue(event: InboundEmailReceivedEvent): Promise<void>;
}

export const INBOUND_EMAIL_QUEUE = Symbol('INBOUND_EMAIL_QUEUE');
