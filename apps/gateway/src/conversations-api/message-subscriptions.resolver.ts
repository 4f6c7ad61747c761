import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { Principal } from '@libs/auth';
import { GetConversationQuery } from '@libs/conversations';
import { CurrentPrincipal } from '../graphql/auth/current-principal.decorator';
import { MessageType } from './conversation.types';
import { MessageFeed } from './message-feed';
import { requesterOf } from './principal-actor';

@Resolver(() => MessageType)
export class MessageSubscriptionsResolver {
  constructor(
    private readonly feed: MessageFeed,
    private readonly queries: QueryBus,
  ) {}

  /** New messages of one conversation, for its participants only (others: not found). */
  @Subscription(() => MessageType, { name: 'messageAdded' })
  async messageAdded(@CurrentPrincipal() principal: Principal, @Args('conversationId', { type: () => ID }) conversationId: string) {
    await this.queries.execute(new GetConversationQuery(conversationId, requesterOf(principal)));
    return this.feed.subscribe(conversationId);
  }
}
