import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { infraEnv, up } from '../../scripts/infra';
import { ensureProductTopics } from './topics';

/**
 * The e2e suites need the real servers and the built apps. `npm test` provides both; running
 * jest directly still works because `up()` is idempotent and fast when everything answers.
 * The product's topics are created here too, so the first suite on a fresh broker finds them.
 */
export default async function globalSetup(): Promise<void> {
  await up();
  Object.assign(process.env, infraEnv());
  const main = join(__dirname, '..', '..', 'dist', 'apps', 'gateway', 'src', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`The apps are not built (${main} is missing): run "npm run build" first, or use "npm test".`);
  }
  await ensureProductTopics(process.env.KAFKA_BROKERS!.split(','));
}
