import { Inject, Logger, Optional } from '@nestjs/common';
import pLimit from 'p-limit';
import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { ConversationEvent } from '@libs/contracts';
import { ConversationState, GetConversationQuery, SYSTEM } from '@libs/conversations';
import { MetricsService } from '@libs/observability';
import { TransientDeliveryError } from '../../../domain/delivery.errors';
import { MessageRoutingContext, NOTIFICATION_ROUTING, NewPathDecision, NotificationRouting } from '../../../domain/notification-routing.port';
import { REMINDER_STORE, ReminderStore } from '../../../domain/stores.port';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../../../notifications.options';
import { DeliveryService } from '../../delivery.service';
import { NotificationPlanner } from '../../notification-planner';
import { ConversationEventOutcome, HandleConversationEventCommand } from './handle-conversation-event.command';

type MessageAdded = Extract<ConversationEvent, { type: 'MessageAdded' }>;

/**
 * Fan-out (DESIGN §5): every participant but the author, on each channel their preferences
 * allow, each a Delivery sent at most once; and the reminder cycles the message starts (for the
 * recipients) or ends (for the author, who just replied). A read ends the reader's cycle.
 *
 * Transient failures are rethrown after every other delivery of the event was attempted, so the
 * consumer retries the event (deliveries already sent are skipped) and dead-letters it last.
 */
@CommandHandler(HandleConversationEventCommand)
export class HandleConversationEventHandler implements ICommandHandler<HandleConversationEventCommand, ConversationEventOutcome> {
  private readonly logger = new Logger(HandleConversationEventHandler.name);
  private readonly reminderChanges;
  private readonly routes;

  constructor(
    private readonly queries: QueryBus,
    private readonly deliveries: DeliveryService,
    private readonly planner: NotificationPlanner,
    @Inject(REMINDER_STORE) private readonly reminders: ReminderStore,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    metrics: MetricsService,
    /** Absent: no legacy system, every message takes the new path. */
    @Optional() @Inject(NOTIFICATION_ROUTING) private readonly routing?: NotificationRouting | null,
  ) {
    this.routes = metrics.counter('notifier_message_routes_total', 'Messages by what the new path did with them (deliver, shadow, skip)', ['decision']);
    this.reminderChanges = metrics.counter('notifier_reminder_cycles_total', 'Reminder cycles ended, by reason (read, reply)', ['reason']);
  }

  async execute({ event }: HandleConversationEventCommand): Promise<ConversationEventOutcome> {
    const outcome: ConversationEventOutcome = { deliveries: { sent: 0, failed: 0, alreadyDone: 0 }, remindersCancelled: 0 };
    switch (event.type) {
      case 'MessageAdded':
        return this.onMessage(event, outcome);
      case 'ConversationRead':
        if (await this.reminders.cancel(event.conversationId, event.data.participantId, event.seq)) {
          outcome.remindersCancelled = 1;
          this.reminderChanges.inc({ reason: 'read' });
        }
        await this.endLegacyReminders(event.conversationId, event.seq, event.data.participantId, 'read');
        return outcome;
      default:
        return outcome;
    }
  }

  private async onMessage(event: MessageAdded, outcome: ConversationEventOutcome): Promise<ConversationEventOutcome> {
    const conversation = await this.conversationAt(event);
    const at = new Date(event.occurredAt);
    const author = conversation.participants.find((p) => p.id === event.data.authorParticipantId);
    // Participants who joined after the message do not get it.
    const recipients = conversation.participants.filter((p) => p.id !== event.data.authorParticipantId && Date.parse(p.joinedAt) <= at.getTime());

    const context: MessageRoutingContext = {
      source: `${event.conversationId}:${event.seq}`,
      conversation: { id: conversation.id, subject: conversation.subject, useCase: conversation.useCase, participants: conversation.participants },
      message: { id: event.data.messageId, body: event.data.body, createdAt: event.occurredAt, authorParticipantId: event.data.authorParticipantId, source: event.data.source },
    };
    const decision: NewPathDecision = this.routing ? await this.routing.routeMessage(context) : 'deliver';
    this.routes.inc({ decision });
    if (this.routing) await this.endLegacyReminders(event.conversationId, event.seq, event.data.authorParticipantId, 'reply', conversation);
    if (decision === 'skip') return outcome;

    // A conversation may have a hundred participants: bounded, so one event cannot flood the database.
    const limit = pLimit(this.options.fanOutConcurrency);
    const targets = await this.planner.targets(event.conversationId, recipients, 'message', limit);
    if (decision === 'shadow') {
      const planned = targets.filter((t) => t.target.channel !== 'in_app').map((t) => ({ participantId: t.recipient.id, recipient: t.target.address, channel: t.target.channel }));
      await this.routing!.recordShadow(context, planned);
    }
    if (decision !== 'deliver') return outcome;

    const offsets = this.options.reminderOffsetsMs;
    const reminders =
      offsets.length > 0
        ? this.reminders.onMessage({
            conversationId: event.conversationId,
            seq: event.seq,
            at,
            authorId: event.data.authorParticipantId,
            recipientIds: recipients.map((r) => r.id),
            firstDueAt: new Date(at.getTime() + offsets[0]),
          })
        : Promise.resolve({ authorCycleEnded: false });
    const source = context.source;
    const jobs = targets.map((to) =>
      this.planner.job({
        kind: 'message',
        source,
        conversation,
        to,
        eventAt: at,
        content: {
          kind: 'new-message',
          author: { displayName: author?.displayName ?? 'A participant' },
          message: { id: event.data.messageId, body: event.data.body, createdAt: event.occurredAt, attachments: event.data.attachments.map((a) => ({ filename: a.filename, size: a.size })) },
        },
      }),
    );

    const [settled, { authorCycleEnded }] = await Promise.all([Promise.allSettled(jobs.map((job) => limit(() => this.deliveries.deliver(job)))), reminders]);
    if (authorCycleEnded) this.reminderChanges.inc({ reason: 'reply' });
    const errors: unknown[] = [];
    for (const result of settled) {
      if (result.status === 'rejected') errors.push(result.reason);
      else if (result.value.outcome === 'sent') outcome.deliveries.sent++;
      else if (result.value.outcome === 'failed') outcome.deliveries.failed++;
      else outcome.deliveries.alreadyDone++;
    }
    if (errors.length > 0) {
      const first = errors[0] as Error;
      throw errors.length === 1 && first instanceof TransientDeliveryError
        ? first
        : new TransientDeliveryError(`${errors.length} of ${jobs.length} deliveries of ${source} will be retried: ${first?.message ?? String(first)}`, { cause: first });
    }
    return outcome;
  }

  private async endLegacyReminders(conversationId: string, seq: number, participantId: string, reason: 'read' | 'reply', known?: ConversationState): Promise<void> {
    if (!this.routing) return;
    const conversation = known ?? (await this.queries.execute(new GetConversationQuery(conversationId, SYSTEM)));
    const participant = conversation.participants.find((p) => p.id === participantId);
    if (!participant) return;
    await this.routing.endReminders({ key: `${conversationId}:${seq}:${reason}`, conversationId, useCase: conversation.useCase, participantEmail: participant.email, reason });
  }

  /** The conversation as of the event at least; its read model may briefly trail the log. */
  private async conversationAt(event: MessageAdded): Promise<ConversationState> {
    const conversation = await this.queries.execute(new GetConversationQuery(event.conversationId, SYSTEM));
    if (conversation.version < event.seq) {
      throw new TransientDeliveryError(`Conversation ${event.conversationId} is at version ${conversation.version}, behind event ${event.seq}; retrying`);
    }
    return conversation;
  }
}
