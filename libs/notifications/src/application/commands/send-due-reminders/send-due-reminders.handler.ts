import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { GetConversationQuery, SYSTEM } from '@libs/conversations';
import { MetricsService } from '@libs/observability';
import { ReminderState } from '../../../domain/reminder-schedule';
import { REMINDER_STORE, ReminderStore } from '../../../domain/stores.port';
import { NOTIFICATIONS_OPTIONS, NOTIFIER_CLOCK, NotificationsOptions, NotifierClock } from '../../../notifications.options';
import { NotificationPlanner } from '../../notification-planner';
import { DeliveryService } from '../../delivery.service';
import { DueRemindersOutcome, SendDueRemindersCommand } from './send-due-reminders.command';

/**
 * Reminder stages (DESIGN §5: 24 h, 48 h, 7 d while unread). Each due stage is claimed with a
 * conditional write on (cycle, stage, lease), so of several notifier instances one sends it; its
 * deliveries carry ids derived from (reminder, cycle, stage, channel), so even a takeover after
 * a crash cannot send a channel twice. A read or a reply ends the cycle, and a claim needs it
 * running.
 */
@CommandHandler(SendDueRemindersCommand)
export class SendDueRemindersHandler implements ICommandHandler<SendDueRemindersCommand, DueRemindersOutcome> {
  private readonly logger = new Logger(SendDueRemindersHandler.name);
  private readonly sentStages;

  constructor(
    private readonly queries: QueryBus,
    private readonly deliveries: DeliveryService,
    private readonly planner: NotificationPlanner,
    @Inject(REMINDER_STORE) private readonly reminders: ReminderStore,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    @Inject(NOTIFIER_CLOCK) private readonly clock: NotifierClock,
    metrics: MetricsService,
  ) {
    this.sentStages = metrics.counter('notifier_reminders_sent_total', 'Reminder stages sent, by stage (1-based)', ['stage']);
  }

  async execute({ limit }: SendDueRemindersCommand): Promise<DueRemindersOutcome> {
    const outcome: DueRemindersOutcome = { sent: 0, skipped: 0, postponed: 0 };
    const offsets = this.options.reminderOffsetsMs;
    if (offsets.length === 0) return outcome;
    const due = await this.reminders.due(this.clock.now(), limit);
    for (const candidate of due) {
      const reminder = await this.reminders.claim(candidate, new Date(), new Date(Date.now() + this.options.leaseMs));
      if (!reminder) {
        outcome.skipped++;
        continue;
      }
      try {
        await this.sendStage(reminder);
        const next = reminder.nextStage + 1;
        await this.reminders.advance(reminder, next < offsets.length && reminder.since ? new Date(reminder.since.getTime() + offsets[next]) : null);
        this.sentStages.inc({ stage: String(reminder.nextStage + 1) });
        outcome.sent++;
      } catch (error) {
        // Deliveries already sent are kept; the others are tried again after a pause.
        const retryAt = new Date(Date.now() + Math.min(this.options.leaseMs, 30_000));
        await this.reminders.postpone(reminder, retryAt).catch(() => undefined);
        this.logger.warn({ msg: `Reminder ${reminder.id} stage ${reminder.nextStage + 1} postponed: ${(error as Error)?.message}` });
        outcome.postponed++;
      }
    }
    return outcome;
  }

  private async sendStage(reminder: ReminderState): Promise<void> {
    const conversation = await this.queries.execute(new GetConversationQuery(reminder.conversationId, SYSTEM));
    const recipient = conversation.participants.find((p) => p.id === reminder.participantId);
    if (!recipient) return;
    const source = `reminder:${reminder.id}:${reminder.cycle}:${reminder.nextStage}`;
    const targets = await this.planner.targets(reminder.conversationId, [recipient], 'reminder');
    const results = await Promise.allSettled(
      targets.map((to) =>
        this.deliveries.deliver(
          this.planner.job({
            kind: 'reminder',
            source,
            conversation,
            to,
            eventAt: this.clock.now(),
            content: { kind: 'reminder', reminder: { unreadCount: reminder.unread, stage: reminder.nextStage + 1, oldestUnreadAt: (reminder.since ?? new Date()).toISOString() } },
          }),
        ),
      ),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}
