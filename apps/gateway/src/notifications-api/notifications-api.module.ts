import { Module } from '@nestjs/common';
import { NotificationPreferencesResolver } from './notification-preferences.resolver';
import { UnsubscribeController } from './unsubscribe.controller';

/** Notification preferences in GraphQL and the unsubscribe links of notification emails. */
@Module({ providers: [NotificationPreferencesResolver], controllers: [UnsubscribeController] })
export class NotificationsApiModule {}
