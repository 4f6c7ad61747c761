import { Query } from '@nestjs/cqrs';
import { Requester } from '../../access';
import { MessageView, Page } from '../../views';

/** Messages of one conversation, oldest first. */
export class ListMessagesQuery extends Query<Page<MessageView>> {
  constructor(
    readonly conversationId: string,
    readonly requester: Requester,
    readonly first?: number | null,
    readonly after?: string | null,
  ) {
    super();
  }
}
