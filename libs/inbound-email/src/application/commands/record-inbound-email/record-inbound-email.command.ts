import { Command } from '@nestjs/cqrs';
import { InboundEmailProvider } from '@libs/contracts';
import { EnvelopeInput } from '../../../domain/envelope';

export interface RecordInboundEmailResult {
  inboundEmailId: string;
  /** True when this delivery was accepted before: nothing new was stored or queued. */
  duplicate: boolean;
}

/**
 * Accepts one delivery of a raw email: checks it, stores the raw bytes, records it and queues it
 * for the relay. Resolves only when the bytes are in the blob store and Kafka acknowledged the
 * event, which is when an ingress may answer 2xx.
 *
 * @throws InvalidInboundEmailError, InboundEmailTooLargeError (refuse: 4xx)
 * @throws InboundDependencyUnavailableError (blob store or Kafka down: 503, the provider retries)
 */
export class RecordInboundEmailCommand extends Command<RecordInboundEmailResult> {
  constructor(
    readonly raw: Buffer,
    readonly provider: InboundEmailProvider,
    readonly envelope: EnvelopeInput,
    /** The ingress request id, carried to the relay's logs. */
    readonly traceId: string,
  ) {
    super();
  }
}
