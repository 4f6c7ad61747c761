import { Injectable } from '@nestjs/common';
import { TopicPayloadMap, Topics, TraceHeaders } from '@libs/contracts';
import { EventPublisher } from '@libs/kafka';
import { InboundEmailQueue } from '../../domain/inbound-email-queue.port';

type InboundEmailReceivedMessage = TopicPayloadMap[typeof Topics.InboundEmailReceived];

/** `inbound-email.received`, keyed by the inbound email id; resolves on acks = all. */
@Injectable()
export class KafkaInboundEmailQueue implements InboundEmailQueue {
  constructor(private readonly publisher: EventPublisher) {}

  async enqueue(event: InboundEmailReceivedMessage): Promise<void> {
    await this.publisher.publish(Topics.InboundEmailReceived, [
      { key: event.data.inboundEmailId, value: JSON.stringify(event), headers: { [TraceHeaders.TraceId]: event.data.traceId } },
    ]);
  }
}
