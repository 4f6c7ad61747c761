import { randomBytes } from 'node:crypto';
import { infraEnv } from '../../scripts/infra';

/** A short unique id so suites never see each other's topics, groups or keys. */
export function runId(prefix = 'e2e'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** The environment an app process needs to reach the real servers started by `npm run infra`. */
export function appEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...infraEnv(),
    ...overrides,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}
