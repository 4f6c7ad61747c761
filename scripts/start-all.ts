/**
 * One-machine use: runs the gateway, the relay and the notifier from dist/ side by side against
 * the servers `npm run infra -- up` started, with prefixed logs. Ctrl-C stops all three.
 * In production each app runs alone (`node dist/apps/<app>/src/main.js`).
 */
import concurrently from 'concurrently';
import { infraEnv } from './infra';

const ports = { gateway: process.env.PORT ?? '3000', relay: process.env.RELAY_PORT ?? '3001', notifier: process.env.NOTIFIER_PORT ?? '3002' };
const baseEnv = { ...infraEnv(), ...process.env };

const { result } = concurrently(
  (Object.keys(ports) as (keyof typeof ports)[]).map((name) => ({
    name,
    command: `node dist/apps/${name}/src/main.js`,
    env: { ...baseEnv, PORT: ports[name] },
  })),
  { prefix: 'name', killOthersOn: ['failure'], restartTries: 0 },
);

process.stdout.write(
  `Conversation Alias: gateway http://127.0.0.1:${ports.gateway}, relay :${ports.relay}, notifier :${ports.notifier}\n`,
);

result.then(
  () => process.exit(0),
  () => process.exit(1),
);
