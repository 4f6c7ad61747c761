import { RecordedEvent } from '../../domain/conversation';

/** In-process domain event: one change is committed to a conversation's log. */
export class ConversationEventRecorded {
  constructor(readonly event: RecordedEvent) {}
}
