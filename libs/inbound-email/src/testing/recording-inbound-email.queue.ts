import { InboundEmailReceivedEvent } from '@libs/contracts';
import { InboundEmailQueue } from '../domain/inbound-email-queue.port';
import { act, Fault } from './fault';

/** Keeps what was enqueued, in order, as Kafka would. */
export class RecordingInboundEmailQueue implements InboundEmailQueue {
  readonly events: InboundEmailReceivedEvent[] = [];
  fault: Fault = 'none';

  enqueue(event: InboundEmailReceivedEvent): Promise<void> {
    return act(this.fault, 'Kafka', () => void this.events.push(structuredClone(event)));
  }
}
