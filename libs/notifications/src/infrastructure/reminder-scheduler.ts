import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SendDueRemindersCommand } from '../application/commands/send-due-reminders/send-due-reminders.command';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../notifications.options';

/**
 * Polls for due reminder stages every NOTIFIER_REMINDER_POLL_MS. Every notifier instance polls;
 * the claim on each stage decides who sends it. A poll never overlaps the previous one, and a
 * full page is followed at once by the next.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly commands: CommandBus,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.reminderOffsetsMs.length === 0) return;
    this.schedule(this.options.reminderPollMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs one poll now (also what the timer calls). */
  async poll(): Promise<void> {
    const page = 100;
    for (let round = 0; round < 50 && !this.stopped; round++) {
      const outcome = await this.commands.execute(new SendDueRemindersCommand(page));
      if (outcome.sent + outcome.skipped + outcome.postponed < page) return;
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch((error: unknown) => this.logger.warn({ msg: `Reminder poll failed: ${(error as Error)?.message}`, err: error }))
        .finally(() => this.schedule(this.options.reminderPollMs));
    }, delay);
    this.timer.unref();
  }
}
