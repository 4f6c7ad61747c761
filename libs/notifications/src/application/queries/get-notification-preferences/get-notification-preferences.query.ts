import { Query } from '@nestjs/cqrs';
import { Requester } from '@libs/conversations';
import { NotificationPreferences } from '../../../domain/preferences';

/** The requester's own preferences in a conversation (defaults until they change any). */
export class GetNotificationPreferencesQuery extends Query<NotificationPreferences> {
  constructor(
    readonly conversationId: string,
    readonly requester: Requester,
  ) {
    super();
  }
}
