import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { GetConversationQuery } from '@libs/conversations';
import { NotificationPreferences, defaultPreferences } from '../../../domain/preferences';
import { PREFERENCE_STORE, PreferenceStore } from '../../../domain/stores.port';
import { ownSeat } from '../../seat';
import { GetNotificationPreferencesQuery } from './get-notification-preferences.query';

@QueryHandler(GetNotificationPreferencesQuery)
export class GetNotificationPreferencesHandler implements IQueryHandler<GetNotificationPreferencesQuery, NotificationPreferences> {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PREFERENCE_STORE) private readonly store: PreferenceStore,
  ) {}

  async execute({ conversationId, requester }: GetNotificationPreferencesQuery): Promise<NotificationPreferences> {
    const seat = ownSeat(await this.queries.execute(new GetConversationQuery(conversationId, requester)), requester);
    return (await this.store.get(conversationId, seat.id)) ?? defaultPreferences(conversationId, seat.id);
  }
}
