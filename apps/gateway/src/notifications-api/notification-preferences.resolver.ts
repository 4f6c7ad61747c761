import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Principal } from '@libs/auth';
import { GetNotificationPreferencesQuery, PreferenceChanges, SetNotificationPreferencesCommand } from '@libs/notifications';
import { CurrentPrincipal } from '../graphql/auth/current-principal.decorator';
import { ConversationType } from '../conversations-api/conversation.types';
import { requesterOf } from '../conversations-api/principal-actor';
import { NotificationPreferencesInput, NotificationPreferencesType } from './notification-preferences.types';

/** Notification preferences: per participant, each caller only their own. */
@Resolver(() => ConversationType)
export class NotificationPreferencesResolver {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @ResolveField(() => NotificationPreferencesType, { name: 'myNotificationPreferences' })
  async myNotificationPreferences(@Parent() conversation: ConversationType, @CurrentPrincipal() principal: Principal): Promise<NotificationPreferencesType> {
    const prefs = await this.queries.execute(new GetNotificationPreferencesQuery(conversation.id, requesterOf(principal)));
    return NotificationPreferencesType.from(prefs, true);
  }

  @Mutation(() => NotificationPreferencesType, { name: 'setNotificationPreferences' })
  async setNotificationPreferences(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { type: () => NotificationPreferencesInput }) input: NotificationPreferencesInput,
  ): Promise<NotificationPreferencesType> {
    const changes: PreferenceChanges = {};
    if (input.email !== undefined && input.email !== null) changes.email = input.email;
    if (input.sms !== undefined && input.sms !== null) changes.sms = input.sms;
    if (input.push !== undefined && input.push !== null) changes.push = input.push;
    if (input.phoneNumber !== undefined) changes.phoneNumber = input.phoneNumber;
    if (input.pushToken !== undefined) changes.pushToken = input.pushToken;
    const prefs = await this.commands.execute(new SetNotificationPreferencesCommand(input.conversationId, requesterOf(principal), changes));
    return NotificationPreferencesType.from(prefs, true);
  }
}
