import { Query } from '@nestjs/cqrs';
import { ConversationState } from '../../../domain/conversation';
import { Requester } from '../../access';

/** One conversation, for a participant (anyone else: not found) or a trusted app. */
export class GetConversationQuery extends Query<ConversationState> {
  constructor(
    readonly conversationId: string,
    readonly requester: Requester,
  ) {
    super();
  }
}
