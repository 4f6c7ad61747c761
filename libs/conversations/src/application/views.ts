import { AttachmentSnapshot, MessageSource } from '@libs/contracts';
import { RecordedEvent } from '../domain/conversation';

export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  authorParticipantId: string;
  body: string;
  source: MessageSource;
  attachments: AttachmentSnapshot[];
  emailMessageId: string | null;
  createdAt: string;
}

/** From a recorded event, or from its integration event on Kafka (the same fields). */
export function toMessageView(event: Pick<RecordedEvent<'MessageAdded'>, 'conversationId' | 'seq' | 'data' | 'occurredAt'>): MessageView {
  return {
    id: event.data.messageId,
    conversationId: event.conversationId,
    seq: event.seq,
    authorParticipantId: event.data.authorParticipantId,
    body: event.data.body,
    source: event.data.source,
    attachments: event.data.attachments,
    emailMessageId: event.data.emailMessageId,
    createdAt: event.occurredAt,
  };
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}
