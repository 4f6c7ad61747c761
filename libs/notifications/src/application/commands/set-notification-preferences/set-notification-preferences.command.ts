import { Command } from '@nestjs/cqrs';
import { Requester } from '@libs/conversations';
import { NotificationPreferences } from '../../../domain/preferences';

export interface PreferenceChanges {
  email?: boolean;
  sms?: boolean;
  push?: boolean;
  /** E.164; null removes it (and turns SMS off). */
  phoneNumber?: string | null;
  /** A device token; null removes it (and turns push off). */
  pushToken?: string | null;
}

/** The requester's own seat in the conversation; anyone else: not found. */
export class SetNotificationPreferencesCommand extends Command<NotificationPreferences> {
  constructor(
    readonly conversationId: string,
    readonly requester: Requester,
    readonly changes: PreferenceChanges,
  ) {
    super();
  }
}
