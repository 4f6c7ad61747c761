import { AppConfig, loadConfigOrExit } from '@libs/config';

const SECTIONS = ['http', 'mongo', 'kafka', 'blob', 'inbound', 'auth', 'alias', 'identity', 'conversations', 'notify', 'legacy'] as const;
export type GatewayConfig = AppConfig<(typeof SECTIONS)[number]>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfigOrExit(env, { service: 'gateway', sections: SECTIONS, defaultPort: 3000 });
}
