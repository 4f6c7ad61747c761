import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Principal } from '@libs/auth';
import {
  AddMessageCommand,
  AddParticipantCommand,
  ConversationState,
  CreateConversationCommand,
  GetConversationQuery,
  ListConversationsQuery,
  ListMessagesQuery,
  MarkConversationReadCommand,
  MessageView,
  Page,
  RevokeAliasCommand,
  SYSTEM,
  conversationCursor,
  messageCursor,
} from '@libs/conversations';
import { FindAccountByEmailQuery, GetAccountQuery } from '@libs/identity';
import { CurrentPrincipal } from '../graphql/auth/current-principal.decorator';
import { CreateConversationInput, ParticipantInput, SendMessageInput } from './conversation.inputs';
import { ConversationConnectionType, ConversationType, MessageConnectionType, MessageType } from './conversation.types';
import { actorOf, requesterOf } from './principal-actor';

@Resolver(() => ConversationType)
export class ConversationsResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** Not-found (never "forbidden") when the caller is not a participant. */
  @Query(() => ConversationType, { name: 'conversation', nullable: true })
  async conversation(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<ConversationType> {
    return ConversationType.from(await this.queries.execute(new GetConversationQuery(id, requesterOf(principal))));
  }

  @Query(() => ConversationConnectionType, { name: 'conversations' })
  async conversations(
    @CurrentPrincipal() principal: Principal,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<ConversationConnectionType> {
    const page = await this.queries.execute(new ListConversationsQuery(actorOf(principal), first, after));
    return {
      edges: page.items.map((state) => ({ cursor: conversationCursor(state), node: ConversationType.from(state) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @ResolveField(() => MessageConnectionType, { name: 'messages', description: 'Oldest first.' })
  async messages(
    @Parent() conversation: ConversationType,
    @Args('first', { type: () => Int, nullable: true }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<MessageConnectionType> {
    // The parent resolver already checked that the caller is a participant.
    const page: Page<MessageView> = await this.queries.execute(new ListMessagesQuery(conversation.id, SYSTEM, first, after));
    const state = await this.stateCovering(conversation.state, page.items);
    return {
      edges: page.items.map((message) => ({ cursor: messageCursor(message), node: MessageType.from(message, state) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @ResolveField(() => String, { name: 'myAlias', nullable: true, description: "The caller's reply address; null once revoked." })
  myAlias(@Parent() conversation: ConversationType, @CurrentPrincipal() principal: Principal): string | null {
    const actor = actorOf(principal);
    const seat =
      conversation.state.participants.find((p) => p.accountId === actor.accountId) ??
      conversation.state.participants.find((p) => p.email === actor.email);
    return seat && !seat.aliasRevoked ? seat.alias : null;
  }

  @Mutation(() => ConversationType, { name: 'createConversation' })
  async createConversation(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { type: () => CreateConversationInput }) input: CreateConversationInput,
  ): Promise<ConversationType> {
    const displayName = await this.displayNameOf(principal, input.participants);
    const state = await this.commands.execute(
      new CreateConversationCommand({ ...actorOf(principal), displayName }, input.subject, input.useCase ?? null, input.participants),
    );
    return ConversationType.from(state);
  }

  /** Idempotent on clientMessageId: a retry returns the message stored the first time. */
  @Mutation(() => MessageType, { name: 'sendMessage' })
  async sendMessage(@CurrentPrincipal() principal: Principal, @Args('input', { type: () => SendMessageInput }) input: SendMessageInput): Promise<MessageType> {
    const { message, conversation } = await this.commands.execute(
      new AddMessageCommand(
        input.conversationId,
        { kind: 'actor', actor: actorOf(principal) },
        { body: input.body, source: 'CHAT', idempotencyKey: `chat:${principal.accountId}:${input.clientMessageId}` },
      ),
    );
    return MessageType.from(message, conversation);
  }

  @Mutation(() => ConversationType, { name: 'markConversationRead' })
  async markConversationRead(
    @CurrentPrincipal() principal: Principal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
  ): Promise<ConversationType> {
    return ConversationType.from(await this.commands.execute(new MarkConversationReadCommand(conversationId, actorOf(principal))));
  }

  @Mutation(() => ConversationType, { name: 'addParticipant' })
  async addParticipant(
    @CurrentPrincipal() principal: Principal,
    @Args('conversationId', { type: () => ID }) conversationId: string,
    @Args('participant', { type: () => ParticipantInput }) participant: ParticipantInput,
  ): Promise<ConversationType> {
    return ConversationType.from(await this.commands.execute(new AddParticipantCommand(conversationId, requesterOf(principal), participant)));
  }

  @Mutation(() => Boolean, { name: 'revokeAlias' })
  async revokeAlias(@CurrentPrincipal() principal: Principal, @Args('address', { type: () => String }) address: string): Promise<boolean> {
    return this.commands.execute(new RevokeAliasCommand(address.slice(0, 1_000), actorOf(principal), principal.isAdmin));
  }

  /** A message may be written by someone who joined after `state` was read. */
  private async stateCovering(state: ConversationState, messages: MessageView[]): Promise<ConversationState> {
    const seats = new Set(state.participants.map((p) => p.id));
    if (messages.every((m) => seats.has(m.authorParticipantId))) return state;
    return this.queries.execute(new GetConversationQuery(state.id, SYSTEM));
  }

  private async displayNameOf(principal: Principal, participants: ParticipantInput[]): Promise<string> {
    const account =
      (await this.queries.execute(new GetAccountQuery(principal.accountId))) ??
      (await this.queries.execute(new FindAccountByEmailQuery(principal.email)));
    return (
      account?.displayName ??
      participants.find((p) => p.email.trim().toLowerCase() === principal.email)?.displayName ??
      principal.email.split('@')[0]
    );
  }
}
