import { AppConfig, loadConfigOrExit } from '@libs/config';

const SECTIONS = ['http', 'mongo', 'kafka', 'blob', 'smtp', 'alias', 'identity', 'conversations', 'legacy', 'relay', 'notify'] as const;
export type RelayConfig = AppConfig<(typeof SECTIONS)[number]>;

export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  return loadConfigOrExit(env, { service: 'relay', sections: SECTIONS, defaultPort: 3001 });
}
