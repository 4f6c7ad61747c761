import * as fs from 'node:fs';

import { PATHS, type ServiceName } from './config';
import { ensureDir, InfraError, isAlive, sleep, type Logger } from './proc';

export type Source = 'local' | 'docker' | 'external';

export interface ServiceState {
  source: Source;
  /** For external servers: the variables read from the environment when `up` chose them. */
  env?: Record<string, string>;
}

/** What the last `up` chose for each service; read by status() and infraEnv(). */
export type InfraState = Partial<Record<ServiceName, ServiceState>>;

export function readState(): InfraState {
  try {
    return JSON.parse(fs.readFileSync(PATHS.stateFile, 'utf8')) as InfraState;
  } catch {
    return {};
  }
}

export function updateState(changes: InfraState): void {
  ensureDir(PATHS.run);
  const next = { ...readState(), ...changes };
  const temp = `${PATHS.stateFile}.tmp-${process.pid}`;
  fs.writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`);
  fs.renameSync(temp, PATHS.stateFile);
}

export function forgetState(names: readonly ServiceName[]): void {
  const state = readState();
  for (const name of names) delete state[name];
  ensureDir(PATHS.run);
  fs.writeFileSync(PATHS.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

const LOCK_WAIT_MS = 15 * 60 * 1000;

function tryLock(): number | undefined {
  try {
    fs.writeFileSync(PATHS.lockFile, `${process.pid}\n`, { flag: 'wx' });
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(fs.readFileSync(PATHS.lockFile, 'utf8').trim());
  if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
    fs.rmSync(PATHS.lockFile, { force: true }); // left by a run that was killed
    return tryLock();
  }
  return holder;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Serialises up/down/start/stop within this process and across processes: parallel test
 * workers calling up() must not build or start the same server twice.
 */
export function withLock<T>(log: Logger, fn: () => Promise<T>): Promise<T> {
  const result = queue.then(() => withFileLock(log, fn));
  queue = result.catch(() => undefined);
  return result;
}

async function withFileLock<T>(log: Logger, fn: () => Promise<T>): Promise<T> {
  ensureDir(PATHS.run);
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    const holder = tryLock();
    if (holder === undefined) break;
    if (holder === process.pid) throw new InfraError('infra lock is already held by this process (nested call)');
    if (!announced) {
      log(`[infra] waiting for another infra command (pid ${holder}) to finish…`);
      announced = true;
    }
    if (Date.now() > deadline) {
      throw new InfraError(`another infra command (pid ${holder}) has held ${PATHS.lockFile} for too long`, `stop pid ${holder} or remove the lock file`);
    }
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(PATHS.lockFile, { force: true });
  }
}
