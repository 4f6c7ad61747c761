import { Inject, Injectable, Optional } from '@nestjs/common';
import { ParticipantSnapshot } from '@libs/contracts';
import { ChannelTarget } from '../domain/channel-target';
import { EMAIL_SENDER, EmailSender, NOTIFICATION_PROVIDER, NotificationProvider } from '../domain/delivery-ports';
import { PermanentDeliveryError } from '../domain/delivery.errors';
import { IN_APP_INBOX, InAppInbox } from '../domain/stores.port';
import { TemplateRenderer, composeEmail } from '../email';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../notifications.options';

export interface NotificationContent {
  kind: 'new-message' | 'reminder';
  deliveryId: string;
  conversation: { id: string; subject: string; useCase: string | null };
  recipient: Pick<ParticipantSnapshot, 'id' | 'email' | 'displayName' | 'accountId'> & { alias: string | null };
  author?: { displayName: string };
  message?: { id: string; body: string; createdAt: string; attachments: { filename: string; size: number }[] };
  reminder?: { unreadCount: number; stage: number; oldestUnreadAt: string };
}

const PREVIEW_LENGTH = 140;

/** Turns one notification into what each channel sends, and sends it. */
@Injectable()
export class ChannelSenders {
  private readonly renderer: TemplateRenderer;

  constructor(
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    @Inject(IN_APP_INBOX) private readonly inbox: InAppInbox,
    @Optional() @Inject(NOTIFICATION_PROVIDER) private readonly provider?: NotificationProvider | null,
  ) {
    this.renderer = new TemplateRenderer({ templatesDir: options.templatesDir });
  }

  async send(target: ChannelTarget, content: NotificationContent): Promise<{ providerMessageId?: string | null }> {
    switch (target.channel) {
      case 'email': {
        const email = composeEmail(
          {
            kind: content.kind,
            deliveryId: content.deliveryId,
            conversation: content.conversation,
            recipient: { participantId: content.recipient.id, email: target.address, displayName: content.recipient.displayName, alias: content.recipient.alias },
            author: content.author,
            message: content.message,
            reminder: content.reminder,
          },
          { domain: this.options.domain, fromAddress: this.options.fromAddress, publicUrl: this.options.publicUrl, secret: this.options.signingSecret, renderer: this.renderer },
        );
        await this.email.send(email);
        return { providerMessageId: email.messageId };
      }
      case 'sms':
      case 'push': {
        if (!this.provider) throw new PermanentDeliveryError(`No SMS/push provider is configured (NOTIFY_PROVIDER_URL)`);
        const { providerMessageId } = await this.provider.send({
          channel: target.channel,
          recipient: target.address,
          template: content.kind,
          data: {
            conversationId: content.conversation.id,
            subject: content.conversation.subject,
            authorName: content.author?.displayName ?? null,
            preview: content.message ? preview(content.message.body) : null,
            unreadCount: content.reminder?.unreadCount ?? null,
          },
          idempotencyKey: content.deliveryId,
        });
        return { providerMessageId };
      }
      case 'in_app': {
        await this.inbox.put({
          id: content.deliveryId,
          accountId: target.address,
          conversationId: content.conversation.id,
          messageId: content.message?.id ?? null,
          kind: 'message',
          title: `${content.author?.displayName ?? 'New message'} in ${content.conversation.subject}`,
          preview: content.message ? preview(content.message.body) : '',
          createdAt: content.message ? new Date(content.message.createdAt) : new Date(),
        });
        return {};
      }
    }
  }
}

function preview(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_LENGTH ? `${flat.slice(0, PREVIEW_LENGTH - 1)}…` : flat;
}
