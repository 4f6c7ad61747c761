import { AppConfig, loadConfigOrExit } from '@libs/config';

const SECTIONS = ['http', 'mongo', 'kafka', 'smtp', 'alias'] as const;
export type NotifierConfig = AppConfig<(typeof SECTIONS)[number]>;

export function loadNotifierConfig(env: NodeJS.ProcessEnv = process.env): NotifierConfig {
  return loadConfigOrExit(env, { service: 'notifier', sections: SECTIONS, defaultPort: 3002 });
}
