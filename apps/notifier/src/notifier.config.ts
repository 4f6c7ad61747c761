import { AppConfig, loadConfigOrExit } from '@libs/config';
import { parseReminderSchedule } from '@libs/notifications';

const SECTIONS = ['http', 'mongo', 'kafka', 'smtp', 'alias', 'conversations', 'notify', 'notifier', 'legacy'] as const;
export type NotifierConfig = AppConfig<(typeof SECTIONS)[number]>;

export function loadNotifierConfig(env: NodeJS.ProcessEnv = process.env): NotifierConfig {
  // Deliveries wait on SMTP and the provider: several partitions and conversations at once by default.
  const config = loadConfigOrExit({ KAFKA_PARTITION_CONCURRENCY: '6', KAFKA_KEY_CONCURRENCY: '8', ...env }, { service: 'notifier', sections: SECTIONS, defaultPort: 3002 });
  if (config.NODE_ENV === 'production' && config.NOTIFIER_CLOCK_CONTROL === 'on') {
    process.stderr.write('[notifier] NOTIFIER_CLOCK_CONTROL: must be off in production (it lets anyone move the reminder clock)\n');
    process.exit(78);
  }
  try {
    parseReminderSchedule(config.NOTIFIER_REMINDERS);
  } catch (error) {
    process.stderr.write(`[notifier] NOTIFIER_REMINDERS: ${(error as Error).message}\n`);
    process.exit(78);
  }
  return config;
}
