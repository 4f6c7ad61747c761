import { Body, Controller, Get, HttpCode, Inject, Put } from '@nestjs/common';
import { NOTIFIER_CLOCK, OffsetClock, ReminderScheduler } from '@libs/notifications';

/**
 * Moves the notifier's clock, so reminders due in 24 h can be seen now (NOTIFIER_CLOCK_CONTROL=on,
 * never in production). `PUT /admin/clock {"offsetMs": 90000000}` then polls for due reminders.
 */
@Controller('admin/clock')
export class ClockController {
  constructor(
    @Inject(NOTIFIER_CLOCK) private readonly clock: OffsetClock,
    private readonly scheduler: ReminderScheduler,
  ) {}

  @Get()
  read(): { now: string; offsetMs: number } {
    return { now: this.clock.now().toISOString(), offsetMs: this.clock.offset };
  }

  @Put()
  @HttpCode(200)
  async move(@Body() body: { offsetMs?: unknown }): Promise<{ now: string; offsetMs: number }> {
    const offset = Number(body?.offsetMs);
    if (!Number.isFinite(offset)) return this.read();
    this.clock.setOffset(offset);
    await this.scheduler.poll();
    return this.read();
  }
}
