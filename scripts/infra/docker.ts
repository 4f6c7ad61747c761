import * as fs from 'node:fs';

import { COMPOSE_SERVICE, PATHS, type ServiceName } from './config';
import { commandSucceeds, InfraError, run, type Logger } from './proc';

let available: Promise<boolean> | undefined;

/** A Docker engine that answers, with the compose plugin: only then is docker-compose.yml usable. */
export function dockerAvailable(): Promise<boolean> {
  available ??= (async () =>
    fs.existsSync(PATHS.composeFile) &&
    (await commandSucceeds('docker', ['info'], 15_000)) &&
    (await commandSucceeds('docker', ['compose', 'version'], 15_000)))();
  return available;
}

export async function compose(args: string[]): Promise<string> {
  const result = await run('docker', ['compose', '-f', PATHS.composeFile, ...args], {
    fix: 'check `docker compose ps` and `docker compose logs`; set INFRA_MODE=local to use local processes instead',
  });
  return result.stdout;
}

export async function composeUp(names: readonly ServiceName[], log: Logger): Promise<void> {
  const services = names.map((n) => COMPOSE_SERVICE[n]);
  log(`[docker] docker compose up -d --wait ${services.join(' ')} (first run pulls images)…`);
  await compose(['up', '-d', '--wait', ...services]);
}

export async function composeAction(action: 'start' | 'stop' | 'kill' | 'pause' | 'unpause', name: ServiceName): Promise<void> {
  if (action === 'start') {
    await compose(['up', '-d', '--wait', COMPOSE_SERVICE[name]]);
    return;
  }
  await compose([action, COMPOSE_SERVICE[name]]);
}

export async function composeDown(log: Logger): Promise<void> {
  log('[docker] docker compose down (volumes are kept)…');
  await compose(['down']);
}

export function assertDocker(ok: boolean): void {
  if (!ok) throw new InfraError('INFRA_MODE=docker but no Docker engine with the compose plugin answers', 'start Docker, or unset INFRA_MODE to use local processes');
}
