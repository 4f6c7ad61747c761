import { Inject, Injectable } from '@nestjs/common';
import { ConversationState, ParticipantState } from '@libs/conversations';
import { ChannelTarget } from '../domain/channel-target';
import { DeliveryKind, deliveryIdOf } from '../domain/delivery';
import { channelsFor, defaultPreferences } from '../domain/preferences';
import { PREFERENCE_STORE, PreferenceStore } from '../domain/stores.port';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../notifications.options';
import { ChannelSenders, NotificationContent } from './channel-senders';
import { DeliveryJob } from './delivery.service';

export interface RecipientTarget {
  recipient: ParticipantState;
  target: ChannelTarget;
}

/**
 * What goes to whom: the channels each recipient's preferences allow, and the delivery job of
 * one (recipient, channel) for a message or a reminder stage. Shared by the fan-out, the
 * reminders and shadow mode, so all three follow the same rules.
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    @Inject(PREFERENCE_STORE) private readonly preferences: PreferenceStore,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    private readonly senders: ChannelSenders,
  ) {}

  /** `run` bounds the preference reads (a conversation may have a hundred participants). */
  async targets(
    conversationId: string,
    recipients: readonly ParticipantState[],
    purpose: 'message' | 'reminder',
    run: <T>(task: () => Promise<T>) => Promise<T> = (task) => task(),
  ): Promise<RecipientTarget[]> {
    const stored = await Promise.all(recipients.map((r) => run(() => this.preferences.get(conversationId, r.id))));
    return recipients.flatMap((recipient, index) =>
      channelsFor(
        { participantId: recipient.id, accountId: recipient.accountId, email: recipient.email },
        stored[index] ?? defaultPreferences(conversationId, recipient.id),
        { providerConfigured: this.options.providerConfigured, purpose },
      ).map((target) => ({ recipient, target })),
    );
  }

  job(input: {
    kind: DeliveryKind;
    /** What is delivered: `<conversationId>:<seq>` of a message, or a reminder stage's key. */
    source: string;
    conversation: ConversationState;
    to: RecipientTarget;
    eventAt: Date;
    content: Pick<NotificationContent, 'kind' | 'author' | 'message' | 'reminder'>;
  }): DeliveryJob {
    const { conversation, to } = input;
    const { recipient, target } = to;
    const id = deliveryIdOf(input.source, recipient.id, target.channel);
    return {
      id,
      kind: input.kind,
      source: input.source,
      conversationId: conversation.id,
      participantId: recipient.id,
      channel: target.channel,
      address: target.address,
      eventAt: input.eventAt,
      acceptedState: target.channel === 'in_app' ? 'delivered' : 'sent',
      send: () =>
        this.senders.send(target, {
          ...input.content,
          deliveryId: id,
          conversation: { id: conversation.id, subject: conversation.subject, useCase: conversation.useCase },
          recipient: { id: recipient.id, email: recipient.email, displayName: recipient.displayName, accountId: recipient.accountId, alias: recipient.aliasRevoked ? null : recipient.alias },
        }),
    };
  }
}
