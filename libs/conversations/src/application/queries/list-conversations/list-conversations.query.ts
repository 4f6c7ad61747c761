import { Query } from '@nestjs/cqrs';
import { Actor, ConversationState } from '../../../domain/conversation';
import { Page } from '../../views';

/** The actor's conversations, newest first. */
export class ListConversationsQuery extends Query<Page<ConversationState>> {
  constructor(
    readonly actor: Actor,
    readonly first?: number | null,
    readonly after?: string | null,
  ) {
    super();
  }
}
