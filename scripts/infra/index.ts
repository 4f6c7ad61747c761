/**
 * Programmatic control of the servers the apps need (Kafka, a MongoDB-compatible database,
 * S3, SMTP), for the CLI (cli.ts) and for test suites:
 *
 *   import { up, infraEnv, killService } from '../scripts/infra';
 *   Object.assign(process.env, await up());
 *
 * Decision order in up(): servers named by the environment (MONGO_URL, KAFKA_BROKERS,
 * S3_ENDPOINT, SMTP_URL) that answer; else docker compose when a Docker engine answers; else
 * local processes built once from the package registries and cached under .infra/.
 */
import { localEnv, SERVICE_ENV_KEYS, SERVICE_NAMES, SERVICE_PRIMARY_ENV, type ServiceName } from './config';
import { assertDocker, composeAction, composeDown, composeUp, dockerAvailable } from './docker';
import {
  describeOwner,
  InfraError,
  isAlive,
  isPortOpen,
  isStopped,
  logFile,
  ownedPid,
  portOwner,
  processArgv,
  removePidFile,
  signalGroup,
  sleep,
  spawnDetached,
  tailFile,
  waitForExit,
  waitForPortClosed,
  writePidFile,
  type Logger,
} from './proc';
import { SERVICES, type LocalService } from './services';
import { forgetState, readState, updateState, withLock, type InfraState, type Source } from './state';

export { InfraError } from './proc';
export { SERVICE_NAMES, type ServiceName } from './config';
export type { Source } from './state';

export type InfraMode = 'auto' | 'local' | 'docker';

export interface UpOptions {
  /** Which servers; all four by default. */
  services?: readonly ServiceName[];
  /** Progress lines; stderr by default, false for silence. */
  log?: Logger | false;
  /** auto (default, or $INFRA_MODE): docker when an engine answers, else local processes. */
  mode?: InfraMode;
  /** Run the round-trip checks of `verify` even when nothing was (re)built. */
  verify?: boolean;
}

export interface ServiceStatus {
  service: ServiceName;
  source: Source | 'stopped';
  pid?: number;
  address: string;
  answering: boolean;
  paused: boolean;
  /** The server of ours underneath it (PostgreSQL under FerretDB), while it runs or the service is local. */
  backend?: { name: string; label: string; pid?: number; address: string; answering: boolean };
}

const stderrLogger: Logger = (line) => process.stderr.write(`${line}\n`);

function loggerFrom(option: Logger | false | undefined): Logger {
  if (option === false) return () => undefined;
  return option ?? stderrLogger;
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)}s`;

function pick(env: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
}

// ---------------------------------------------------------------------------
// (a) servers named by the environment

/** host:port pairs of a connection string, so "localhost:9092" and "127.0.0.1:9092" compare equal. */
function endpoints(value: string): string[] {
  const hosts = /^[a-z0-9+]+:\/\//i.test(value)
    ? (/^[a-z0-9+]+:\/\/(?:[^@/]*@)?([^/?#]+)/i.exec(value)?.[1] ?? '')
    : value;
  return hosts
    .split(',')
    .map((h) => h.trim().toLowerCase().replace(/^localhost(?=:|$)/, '127.0.0.1'))
    .filter(Boolean)
    .sort();
}

/** The environment of a server the user pointed us at, unless it is our own address. */
function externalCandidate(name: ServiceName): Record<string, string> | undefined {
  const primary = SERVICE_PRIMARY_ENV[name];
  const value = process.env[primary];
  if (!value) return undefined;
  const ours = localEnv();
  if (endpoints(value).join() === endpoints(ours[primary]).join()) return undefined;
  const env: Record<string, string> = {};
  for (const key of SERVICE_ENV_KEYS[name]) {
    const fromEnv = process.env[key];
    // A mailbox API only exists if the user names one: ours would be the wrong inbox.
    if (fromEnv) env[key] = fromEnv;
    else if (key !== 'MAILBOX_URL') env[key] = ours[key];
  }
  return env;
}

async function resolveExternal(names: readonly ServiceName[], log: Logger): Promise<Map<ServiceName, Record<string, string>>> {
  const found = new Map<ServiceName, Record<string, string>>();
  await Promise.all(
    names.map(async (name) => {
      const env = externalCandidate(name);
      if (!env) return;
      const primary = SERVICE_PRIMARY_ENV[name];
      if (await SERVICES[name].probe(env)) {
        log(`[${name}] using ${primary}=${env[primary]} from the environment (answers; nothing started)`);
        await SERVICES[name].afterStart?.(env, log);
        found.set(name, env);
      } else {
        log(`[${name}] ${primary}=${env[primary]} is set but does not answer; starting our own server instead`);
      }
    }),
  );
  return found;
}

// ---------------------------------------------------------------------------
// (c) local processes

async function withHeartbeat<T>(log: Logger, what: string, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => log(`${what} (${seconds(started)})`), 30_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

function startupFailure(svc: LocalService, problem: string): InfraError {
  const file = logFile(svc.name);
  return new InfraError(
    `[${svc.name}] ${svc.label} ${problem}. Last lines of ${file}:\n${tailFile(file, 40)}`,
    `read ${file}; if the data is corrupt, reset it with: npm run infra -- down && rm -rf .infra/data`,
  );
}

async function waitUntilAnswering(svc: LocalService, pid: number, log: Logger): Promise<void> {
  const env = localEnv();
  const started = Date.now();
  let lastNotice = started;
  while (Date.now() - started < svc.startTimeoutMs) {
    if (!isAlive(pid)) throw startupFailure(svc, `exited during start-up (pid ${pid})`);
    if ((await isPortOpen(svc.ports[0])) && (await svc.probe(env))) return;
    if (Date.now() - lastNotice >= 10_000) {
      log(`[${svc.name}] waiting for ${svc.address} to answer… (${seconds(started)})`);
      lastNotice = Date.now();
    }
    await sleep(200);
  }
  throw startupFailure(svc, `did not answer on ${svc.address} within ${svc.startTimeoutMs / 1000}s`);
}

/**
 * The pid of our running server: from its pid file or, if that was lost, from the owner of its
 * port when that process's command line is ours (then the pid file is written again).
 */
function ourPid(svc: LocalService): number | undefined {
  const pid = ownedPid(svc.name, svc.isOurs);
  if (pid !== undefined) return pid;
  const owner = portOwner(svc.ports[0]);
  const argv = owner ? processArgv(owner.pid) : undefined;
  if (!owner || !argv || !svc.isOurs(argv)) return undefined;
  writePidFile(svc.name, owner.pid);
  return owner.pid;
}

type PortCheck = { kind: 'free' } | { kind: 'foreign-compatible'; owner: string };

/** Never start over (or signal) a process we did not start. */
async function checkPorts(svc: LocalService): Promise<PortCheck> {
  const busy: number[] = [];
  for (const port of svc.ports) if (await isPortOpen(port)) busy.push(port);
  if (busy.length === 0) return { kind: 'free' };
  if (busy[0] === svc.ports[0] && (await svc.probe(localEnv()))) return { kind: 'foreign-compatible', owner: describeOwner(busy[0]) };
  throw new InfraError(
    `[${svc.name}] port ${busy[0]} is taken by ${describeOwner(busy[0])}, which does not answer as ${svc.label}`,
    `stop that process or free port ${busy[0]}, then run \`npm run infra -- up\` again`,
  );
}

async function startLocal(svc: LocalService, log: Logger, verify: boolean): Promise<void> {
  const fresh = !svc.isBuilt();
  if (fresh) await withHeartbeat(log, `[${svc.name}] still building…`, svc.build(log));
  await svc.prepare(log);
  await svc.backend?.ensure(log);
  const started = Date.now();
  log(`[${svc.name}] starting ${svc.label}…`);
  const pid = spawnDetached(svc.name, svc.command());
  await waitUntilAnswering(svc, pid, log);
  await svc.afterStart?.(localEnv(), log);
  log(`[${svc.name}] ready on ${svc.address} (pid ${pid}, ${seconds(started)})`);
  if (fresh || verify) await runVerify(svc, localEnv(), log);
}

async function runVerify(svc: LocalService, env: Record<string, string>, log: Logger): Promise<void> {
  try {
    const checks = await svc.verify(env);
    log(`[${svc.name}] verified: ${checks.join(', ')}`);
  } catch (error) {
    throw new InfraError(`[${svc.name}] answers but failed its self-test: ${(error as Error).message}`, `see ${logFile(svc.name)}`);
  }
}

/** Makes one local server answer; returns the state to record for it. */
async function ensureLocal(svc: LocalService, log: Logger, verify: boolean): Promise<{ source: Source; env?: Record<string, string> }> {
  const pid = ourPid(svc);
  if (pid === undefined) {
    const ports = await checkPorts(svc);
    if (ports.kind === 'foreign-compatible') {
      log(`[${svc.name}] ${svc.address} is served by ${ports.owner}, which answers as expected; using it`);
      return { source: 'external', env: pick(localEnv(), SERVICE_ENV_KEYS[svc.name]) };
    }
    await startLocal(svc, log, verify);
    return { source: 'local' };
  }
  const argv = processArgv(pid);
  if (argv && svc.isCurrent && !svc.isCurrent(argv)) {
    log(
      `[${svc.name}] pid ${pid} was started with other options than the current ${svc.label}; ` +
        `to switch: npm run infra -- stop ${svc.name} && npm run infra -- up`,
    );
  }
  await svc.backend?.ensure(log);
  if (isStopped(pid)) {
    log(`[${svc.name}] was paused; resuming pid ${pid}`);
    signalGroup(pid, 'SIGCONT');
  }
  await waitUntilAnswering(svc, pid, log);
  await svc.afterStart?.(localEnv(), log);
  if (verify) await runVerify(svc, localEnv(), log);
  return { source: 'local' };
}

async function ensureAllLocal(names: readonly ServiceName[], log: Logger, verify: boolean): Promise<void> {
  const results = await Promise.allSettled(names.map((name) => ensureLocal(SERVICES[name], log, verify)));
  const state: InfraState = {};
  const failures: InfraError[] = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') state[names[i]] = result.value;
    else failures.push(result.reason instanceof InfraError ? result.reason : new InfraError(`[${names[i]}] ${String(result.reason?.message ?? result.reason)}`));
  });
  updateState(state);
  if (failures.length > 0) {
    throw new InfraError(failures.map((f) => f.message).join('\n\n'), failures.map((f) => f.fix).filter(Boolean).join('\n'));
  }
}

// ---------------------------------------------------------------------------
// (b) docker compose

async function chooseMode(requested: InfraMode, names: readonly ServiceName[]): Promise<'local' | 'docker'> {
  if (requested === 'docker') {
    assertDocker(await dockerAvailable());
    return 'docker';
  }
  if (requested === 'local') return 'local';
  // Keep whatever already runs: a warm up() must not probe Docker or switch stacks.
  if (names.some((name) => ourPid(SERVICES[name]) !== undefined)) return 'local';
  return (await dockerAvailable()) ? 'docker' : 'local';
}

async function ensureDocker(names: readonly ServiceName[], log: Logger, verify: boolean): Promise<void> {
  await composeUp(names, log);
  updateState(Object.fromEntries(names.map((n) => [n, { source: 'docker' }])));
  const env = localEnv();
  for (const name of names) {
    const svc = SERVICES[name];
    const started = Date.now();
    while (!(await svc.probe(env))) {
      if (Date.now() - started > svc.startTimeoutMs) {
        throw new InfraError(`[${name}] the ${name} container does not answer on ${svc.address}`, `docker compose logs ${name}`);
      }
      await sleep(500);
    }
    await svc.afterStart?.(env, log);
    if (verify) await runVerify(svc, env, log);
  }
}

function requestedMode(mode: InfraMode | undefined): InfraMode {
  const value = mode ?? process.env.INFRA_MODE ?? 'auto';
  if (value !== 'auto' && value !== 'local' && value !== 'docker') {
    throw new InfraError(`INFRA_MODE=${value} is not one of auto, local, docker`, 'unset INFRA_MODE or fix its value');
  }
  return value;
}

// ---------------------------------------------------------------------------
// public API

/**
 * Makes every requested server answer and returns the environment to reach them (see infraEnv).
 * Idempotent: when all already run it only checks them (a second or two).
 */
export function up(opts: UpOptions = {}): Promise<Record<string, string>> {
  const log = loggerFrom(opts.log);
  const names = opts.services ?? SERVICE_NAMES;
  return withLock(log, async () => {
    const started = Date.now();
    const external = await resolveExternal(names, log);
    updateState(Object.fromEntries([...external].map(([n, env]) => [n, { source: 'external', env }])));
    const rest = names.filter((n) => !external.has(n));
    if (rest.length > 0) {
      const mode = await chooseMode(requestedMode(opts.mode), rest);
      if (mode === 'docker') await ensureDocker(rest, log, opts.verify ?? false);
      else await ensureAllLocal(rest, log, opts.verify ?? false);
    }
    log(`[infra] up: ${names.join(', ')} answering (${seconds(started)})`);
    return infraEnv();
  });
}

async function stopLocal(svc: LocalService, log: Logger, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const pid = ourPid(svc);
  if (pid === undefined) {
    log(`[${svc.name}] not running (no process of ours)`);
    return;
  }
  const started = Date.now();
  signalGroup(pid, signal);
  if (signal === 'SIGTERM') signalGroup(pid, 'SIGCONT'); // a paused process cannot act on SIGTERM
  if (!(await waitForExit(pid, signal === 'SIGKILL' ? 5000 : svc.stopTimeoutMs))) {
    log(`[${svc.name}] pid ${pid} ignored SIGTERM for ${svc.stopTimeoutMs / 1000}s; killing it`);
    signalGroup(pid, 'SIGKILL');
    await waitForExit(pid, 5000);
  }
  removePidFile(svc.name);
  for (const port of svc.ports) {
    if (!(await waitForPortClosed(port, 10_000))) {
      throw new InfraError(`[${svc.name}] port ${port} is still open after pid ${pid} exited: ${describeOwner(port)}`);
    }
  }
  log(`[${svc.name}] ${signal === 'SIGKILL' ? 'killed' : 'stopped'} pid ${pid} (${seconds(started)})`);
}

/** Graceful stop (SIGTERM, then SIGKILL after a grace period); resolves once its ports are closed. */
export function stopService(name: ServiceName, opts: { log?: Logger | false } = {}): Promise<void> {
  const log = loggerFrom(opts.log);
  return withLock(log, async () => {
    const source = readState()[name]?.source;
    if (source === 'external') return log(`[${name}] is external (${sourceAddress(name)}); not stopping it`);
    if (source === 'docker') return composeAction('stop', name);
    await stopLocal(SERVICES[name], log, 'SIGTERM');
  });
}

/** SIGKILL, as a crash would; resolves once its ports are closed. Not serialised with up(), on purpose. */
export async function killService(name: ServiceName, opts: { log?: Logger | false } = {}): Promise<void> {
  const log = loggerFrom(opts.log);
  const source = readState()[name]?.source;
  if (source === 'external') throw new InfraError(`[${name}] is external; it cannot be killed from here`);
  if (source === 'docker') return composeAction('kill', name);
  await stopLocal(SERVICES[name], log, 'SIGKILL');
}

/** Starts one server (building it if needed) in the mode it had, or the default decision order. */
export function startService(name: ServiceName, opts: Omit<UpOptions, 'services'> = {}): Promise<Record<string, string>> {
  const source = readState()[name]?.source;
  if (source === 'docker' && !opts.mode) {
    const log = loggerFrom(opts.log);
    return withLock(log, async () => {
      await composeAction('start', name);
      return infraEnv();
    });
  }
  return up({ ...opts, services: [name] });
}

function signalLocal(name: ServiceName, signal: 'SIGSTOP' | 'SIGCONT'): void {
  const pid = ourPid(SERVICES[name]);
  if (pid === undefined) throw new InfraError(`[${name}] is not running as a local process of ours`, `npm run infra -- start ${name}`);
  signalGroup(pid, signal);
}

/** SIGSTOP: the server keeps its sockets open but answers nothing, like a hung or partitioned server. */
export async function pauseService(name: ServiceName): Promise<void> {
  if (readState()[name]?.source === 'docker') return composeAction('pause', name);
  signalLocal(name, 'SIGSTOP');
}

export async function resumeService(name: ServiceName): Promise<void> {
  if (readState()[name]?.source === 'docker') return composeAction('unpause', name);
  signalLocal(name, 'SIGCONT');
}

/** Stops every server this project started (local processes or compose); external ones are left alone. */
export function down(opts: { log?: Logger | false } = {}): Promise<void> {
  const log = loggerFrom(opts.log);
  return withLock(log, async () => {
    const state = readState();
    if (SERVICE_NAMES.some((n) => state[n]?.source === 'docker')) await composeDown(log);
    const results = await Promise.allSettled(SERVICE_NAMES.map((n) => stopLocal(SERVICES[n], log, 'SIGTERM')));
    // Backends last: their service has let go of them by now.
    for (const name of SERVICE_NAMES) {
      const backend = SERVICES[name].backend;
      if (backend) results.push(...(await Promise.allSettled([backend.stop(log)])));
    }
    forgetState(SERVICE_NAMES);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  });
}

function sourceAddress(name: ServiceName): string {
  const entry = readState()[name];
  const primary = SERVICE_PRIMARY_ENV[name];
  return entry?.source === 'external' && entry.env ? entry.env[primary] : SERVICES[name].address;
}

async function statusOf(name: ServiceName): Promise<ServiceStatus> {
  const svc = SERVICES[name];
  const entry = readState()[name];
  const external = entry?.source === 'external';
  const pid = external ? undefined : ourPid(svc);
  const source: ServiceStatus['source'] =
    external || entry?.source === 'docker' ? entry.source : pid !== undefined ? 'local' : 'stopped';
  const paused = pid !== undefined && isStopped(pid);
  const env = { ...localEnv(), ...(entry?.source === 'external' ? entry.env : {}) };
  // A paused server would only make the probe wait for its timeout.
  const answering = !paused && source !== 'stopped' && (await svc.probe(env));
  const row: ServiceStatus = { service: name, source, pid, address: sourceAddress(name), answering, paused };
  const backendPid = svc.backend?.pid();
  if (svc.backend && (backendPid !== undefined || source === 'local')) {
    const { name: backendName, label, address } = svc.backend;
    const backendAnswering = backendPid !== undefined && (await svc.backend.probe());
    row.backend = { name: backendName, label, pid: backendPid, address, answering: backendAnswering };
    // FerretDB answers ping without its backend as long as it has no database yet.
    if (source === 'local') row.answering = answering && backendAnswering;
  }
  return row;
}

/** One row per server: where it comes from, its pid when local, and whether it answers now. */
export function status(): Promise<ServiceStatus[]> {
  return Promise.all(SERVICE_NAMES.map(statusOf));
}

/**
 * The environment the apps need to reach the servers chosen by the last up(): MONGO_URL,
 * KAFKA_BROKERS, S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION,
 * SMTP_URL, MAILBOX_URL (absent only for an external SMTP server given without MAILBOX_URL).
 */
export function infraEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  const state = readState();
  for (const name of SERVICE_NAMES) {
    const entry = state[name];
    const values = entry?.source === 'external' && entry.env ? entry.env : localEnv();
    for (const key of SERVICE_ENV_KEYS[name]) if (values[key] !== undefined) env[key] = values[key];
  }
  return env;
}

/** Round trips of real operations against every answering server (what `npm run infra -- verify` runs). */
export async function verify(opts: { services?: readonly ServiceName[]; log?: Logger | false } = {}): Promise<void> {
  const log = loggerFrom(opts.log);
  const env = infraEnv();
  for (const name of opts.services ?? SERVICE_NAMES) await runVerify(SERVICES[name], env, log);
}

/** Path of a service's log file (local processes only); "postgres" is the PostgreSQL under FerretDB. */
export function serviceLogFile(name: ServiceName | 'postgres'): string {
  return logFile(name);
}
