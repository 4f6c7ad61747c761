import { Command } from '@nestjs/cqrs';

/** A List-Unsubscribe link was followed: email off for that seat. Idempotent. */
export class UnsubscribeCommand extends Command<{ conversationId: string; subject: string }> {
  constructor(readonly token: string) {
    super();
  }
}
