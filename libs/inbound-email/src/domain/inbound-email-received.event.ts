import { createHash } from 'node:crypto';
import {
  INBOUND_EMAIL_RECEIVED,
  INBOUND_EMAIL_RECEIVED_VERSION,
  InboundEmailEnvelope,
  InboundEmailProvider,
  InboundEmailReceivedEvent,
} from '@libs/contracts';

export interface InboundEmailReceivedFacts {
  inboundEmailId: string;
  blobKey: string;
  size: number;
  provider: InboundEmailProvider;
  envelope: InboundEmailEnvelope;
  receivedAt: Date;
  traceId: string;
}

/**
 * The integration event for one accepted delivery. Its id is derived from the email and the
 * delivery's recipients, so a delivery published twice (a retry after a crash or a timeout
 * between Kafka's acknowledgement and ours) carries the same id and consumers drop the copy.
 */
export function inboundEmailReceivedEvent(facts: InboundEmailReceivedFacts, occurredAt: Date): InboundEmailReceivedEvent {
  return {
    id: inboundEmailEventId(facts.inboundEmailId, facts.envelope.recipients),
    type: INBOUND_EMAIL_RECEIVED,
    version: INBOUND_EMAIL_RECEIVED_VERSION,
    occurredAt: occurredAt.toISOString(),
    data: {
      inboundEmailId: facts.inboundEmailId,
      blobKey: facts.blobKey,
      sha256: facts.inboundEmailId,
      size: facts.size,
      provider: facts.provider,
      envelope: { sender: facts.envelope.sender, recipients: [...facts.envelope.recipients] },
      receivedAt: facts.receivedAt.toISOString(),
      traceId: facts.traceId,
    },
  };
}

export function inboundEmailEventId(inboundEmailId: string, recipients: readonly string[]): string {
  const delivery = createHash('sha256').update([...recipients].sort().join('\n')).digest('hex').slice(0, 16);
  return `${inboundEmailId}:${delivery}`;
}
