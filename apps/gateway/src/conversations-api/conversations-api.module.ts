import { Module } from '@nestjs/common';
import { ConversationsResolver } from './conversations.resolver';
import { MessageFeed } from './message-feed';
import { MessageSubscriptionsResolver } from './message-subscriptions.resolver';
import { ParticipantsResolver } from './participants.resolver';

/**
 * The conversation part of the GraphQL schema. Needs the conversation and identity handlers
 * (ConversationsModule, IdentityModule) and the CQRS buses in the app.
 */
@Module({ providers: [ConversationsResolver, ParticipantsResolver, MessageSubscriptionsResolver, MessageFeed] })
export class ConversationsApiModule {}
