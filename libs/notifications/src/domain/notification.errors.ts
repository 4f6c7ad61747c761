import { DomainError, ErrorCategory } from '@libs/contracts';

export class InvalidNotificationPreferencesError extends DomainError {
  constructor(message: string) {
    super('INVALID_NOTIFICATION_PREFERENCES', ErrorCategory.Invalid, message);
  }
}

export class InvalidUnsubscribeLinkError extends DomainError {
  constructor() {
    super('INVALID_UNSUBSCRIBE_LINK', ErrorCategory.Invalid, 'This unsubscribe link is not valid. Use the link from a recent notification email.');
  }
}
