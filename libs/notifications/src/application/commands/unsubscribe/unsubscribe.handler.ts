import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { ConversationNotFoundError, GetConversationQuery, SYSTEM } from '@libs/conversations';
import { InvalidUnsubscribeLinkError } from '../../../domain/notification.errors';
import { defaultPreferences } from '../../../domain/preferences';
import { PREFERENCE_STORE, PreferenceStore } from '../../../domain/stores.port';
import { verifyUnsubscribeToken } from '../../../email';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../../../notifications.options';
import { UnsubscribeCommand } from './unsubscribe.command';

@CommandHandler(UnsubscribeCommand)
export class UnsubscribeHandler implements ICommandHandler<UnsubscribeCommand, { conversationId: string; subject: string }> {
  private readonly logger = new Logger(UnsubscribeHandler.name);

  constructor(
    private readonly queries: QueryBus,
    @Inject(PREFERENCE_STORE) private readonly store: PreferenceStore,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
  ) {}

  async execute({ token }: UnsubscribeCommand): Promise<{ conversationId: string; subject: string }> {
    const link = verifyUnsubscribeToken(token, this.options.signingSecret);
    if (!link) throw new InvalidUnsubscribeLinkError();
    const conversation = await this.queries.execute(new GetConversationQuery(link.conversationId, SYSTEM)).catch((error: unknown) => {
      if (error instanceof ConversationNotFoundError) throw new InvalidUnsubscribeLinkError();
      throw error;
    });
    if (!conversation.participants.some((p) => p.id === link.participantId)) throw new InvalidUnsubscribeLinkError();
    const current = (await this.store.get(link.conversationId, link.participantId)) ?? defaultPreferences(link.conversationId, link.participantId);
    if (current.email) await this.store.save({ ...current, email: false, updatedAt: new Date() });
    this.logger.log({ msg: `Email notifications turned off by unsubscribe link`, conversationId: link.conversationId, participantId: link.participantId });
    return { conversationId: conversation.id, subject: conversation.subject };
  }
}
