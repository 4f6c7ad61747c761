import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { GetConversationQuery } from '@libs/conversations';
import { InvalidNotificationPreferencesError } from '../../../domain/notification.errors';
import { NotificationPreferences, defaultPreferences, isPhoneNumber } from '../../../domain/preferences';
import { PREFERENCE_STORE, PreferenceStore } from '../../../domain/stores.port';
import { ownSeat } from '../../seat';
import { SetNotificationPreferencesCommand } from './set-notification-preferences.command';

const MAX_PUSH_TOKEN = 4096;

@CommandHandler(SetNotificationPreferencesCommand)
export class SetNotificationPreferencesHandler implements ICommandHandler<SetNotificationPreferencesCommand, NotificationPreferences> {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PREFERENCE_STORE) private readonly store: PreferenceStore,
  ) {}

  async execute({ conversationId, requester, changes }: SetNotificationPreferencesCommand): Promise<NotificationPreferences> {
    const seat = ownSeat(await this.queries.execute(new GetConversationQuery(conversationId, requester)), requester);
    const current = (await this.store.get(conversationId, seat.id)) ?? defaultPreferences(conversationId, seat.id);
    const next: NotificationPreferences = { ...current, updatedAt: new Date() };
    if (changes.phoneNumber !== undefined) {
      const phone = changes.phoneNumber?.replace(/[\s()-]/g, '') ?? null;
      if (phone !== null && !isPhoneNumber(phone)) throw new InvalidNotificationPreferencesError('phoneNumber must be in international E.164 form, for example +4915112345678');
      next.phoneNumber = phone;
      if (phone === null) next.sms = false;
    }
    if (changes.pushToken !== undefined) {
      const token = changes.pushToken?.trim() || null;
      if (token !== null && (token.length > MAX_PUSH_TOKEN || /[\s\p{Cc}]/u.test(token))) throw new InvalidNotificationPreferencesError('pushToken must be a device token without spaces, at most 4096 characters');
      next.pushToken = token;
      if (token === null) next.push = false;
    }
    if (changes.email !== undefined) next.email = changes.email;
    if (changes.sms !== undefined) next.sms = changes.sms;
    if (changes.push !== undefined) next.push = changes.push;
    if (next.sms && !next.phoneNumber) throw new InvalidNotificationPreferencesError('SMS needs a phoneNumber: set one in the same call');
    if (next.push && !next.pushToken) throw new InvalidNotificationPreferencesError('Push needs a pushToken: set one in the same call');
    await this.store.save(next);
    return next;
  }
}
