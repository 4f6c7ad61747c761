/**
 * The PostgreSQL cluster under FerretDB: FerretDB's PostgreSQL backend pushes equality filters
 * down to SQL, where its SQLite backend scans every document in Go (~125 µs each).
 *
 * It is part of the `mongo` service, not a service of its own: `up` starts it before FerretDB
 * and `down` stops it after; `stop`/`kill`/`pause mongo` act on FerretDB only, which is what
 * makes the MongoDB-wire server go away. The server binaries come from the machine
 * (apt-get install postgresql); nothing is downloaded.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { HOST, PATHS, PORTS } from '../config';
import {
  cleanStaleTemps,
  describeOwner,
  ensureDir,
  InfraError,
  isAlive,
  isPortOpen,
  isStopped,
  logFile,
  ownedPid,
  processArgv,
  removePidFile,
  replacePath,
  run,
  signalGroup,
  sleep,
  spawnDetached,
  tailFile,
  tempPathFor,
  waitForExit,
  waitForPortClosed,
  writePidFile,
  type Logger,
} from '../proc';
import type { Backend } from './types';

/** Name of its pid file (.infra/run/postgres.pid) and log (.infra/logs/postgres.log). */
const NAME = 'postgres';
const DATA_DIR = path.join(PATHS.data, 'postgres');
/** Unix socket paths are limited to 107 bytes, so the directory name is kept short. */
const SOCKET_DIR = path.join(PATHS.run, 'pg');
export const PG_USER = 'ferret';
export const PG_DATABASE = 'ferretdb';
export const POSTGRES_URL = `postgres://${PG_USER}@${HOST}:${PORTS.postgres}/${PG_DATABASE}`;
const ADDRESS = `${HOST}:${PORTS.postgres}`;
const START_TIMEOUT_MS = 120_000; // crash recovery after a SIGKILL of the whole machine replays WAL
const STOP_TIMEOUT_MS = 60_000;
const INSTALL_FIX =
  'install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql; it provides initdb and postgres), ' +
  'then run `npm run infra -- up` again; or use Docker (docker-compose.yml)';
const RESET_FIX = 'reset the database (its data is lost): npm run infra -- down && rm -rf .infra/data/postgres';

// ---------------------------------------------------------------------------
// a minimal client of the PostgreSQL wire protocol (startup, simple query), enough to probe the
// server and create the database without psql or an npm dependency

class PgServerError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function startupMessage(database: string): Buffer {
  const params = Buffer.from(`user\0${PG_USER}\0database\0${database}\0application_name\0infra\0\0`);
  const message = Buffer.alloc(8 + params.length);
  message.writeInt32BE(message.length, 0);
  message.writeInt32BE(196608, 4); // protocol 3.0
  params.copy(message, 8);
  return message;
}

function typedMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function parseError(body: Buffer): PgServerError {
  const fields: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const end = body.indexOf(0, offset + 1);
    fields[String.fromCharCode(body[offset])] = body.toString('utf8', offset + 1, end);
    offset = end + 1;
  }
  return new PgServerError(`${fields.S ?? 'ERROR'}: ${fields.M ?? 'unknown error'} (SQLSTATE ${fields.C ?? '?'})`, fields.C ?? '');
}

function parseRow(body: Buffer): (string | null)[] {
  const row: (string | null)[] = [];
  let offset = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const length = body.readInt32BE(offset);
    offset += 4;
    if (length < 0) {
      row.push(null);
      continue;
    }
    row.push(body.toString('utf8', offset, offset + length));
    offset += length;
  }
  return row;
}

/** Connects as PG_USER (trust auth) and runs each statement; resolves with the rows of each. */
function pgQuery(database: string, statements: string[], timeoutMs: number): Promise<(string | null)[][][]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port: PORTS.postgres });
    const results: (string | null)[][][] = [];
    const pending = [...statements];
    let rows: (string | null)[][] = [];
    let buffer = Buffer.alloc(0);
    let ready = false;
    let failure: PgServerError | undefined;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (ready) socket.write(typedMessage('X', Buffer.alloc(0)));
      socket.destroy();
      if (error) reject(error);
      else resolve(results);
    };
    const timer = setTimeout(() => finish(new Error(`PostgreSQL on ${ADDRESS} did not answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => socket.write(startupMessage(database)));
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error(`PostgreSQL on ${ADDRESS} closed the connection`)));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 5) {
        const type = String.fromCharCode(buffer[0]);
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) break;
        const body = buffer.subarray(5, 1 + length);
        buffer = buffer.subarray(1 + length);
        switch (type) {
          case 'R':
            if (body.readInt32BE(0) !== 0) {
              return finish(new PgServerError(`PostgreSQL on ${ADDRESS} asks for a password; the cluster must use --auth=trust`, '28000'));
            }
            break;
          case 'E':
            failure = parseError(body);
            if (!ready) return finish(failure); // startup refused: the server closes the connection
            break;
          case 'D':
            rows.push(parseRow(body));
            break;
          case 'C':
            results.push(rows);
            rows = [];
            break;
          case 'Z': {
            ready = true;
            if (failure) return finish(failure);
            const next = pending.shift();
            if (next === undefined) return finish();
            socket.write(typedMessage('Q', Buffer.from(`${next}\0`)));
            break;
          }
          default: // S (parameter), K (key), N (notice), T (row description)
            break;
        }
      }
    });
  });
}

// ---------------------------------------------------------------------------
// binaries and the account they run as

interface PgBinaries {
  dir: string;
  from: string;
  initdb: string;
  postgres: string;
  version: string;
  major: string;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Directories that may hold initdb and postgres, in order of preference. */
function candidateDirs(): { dir: string; from: string }[] {
  const candidates: { dir: string; from: string }[] = [];
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', timeout: 5000 });
  if (pgConfig.status === 0 && pgConfig.stdout.trim()) candidates.push({ dir: pgConfig.stdout.trim(), from: 'pg_config --bindir' });
  let versions: string[] = [];
  try {
    versions = fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    // no Debian-style layout
  }
  for (const version of versions.sort((a, b) => parseFloat(b) - parseFloat(a))) {
    candidates.push({ dir: path.join('/usr/lib/postgresql', version, 'bin'), from: '/usr/lib/postgresql/*/bin' });
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const postgres = path.join(dir, 'postgres');
    // /usr/local/bin/postgres is often a symlink; postgres finds its share/ and lib/ next to the real file.
    if (isExecutable(postgres)) candidates.push({ dir: path.dirname(fs.realpathSync(postgres)), from: 'PATH' });
  }
  return candidates;
}

function binariesIn(candidate: { dir: string; from: string }): PgBinaries | undefined {
  const initdb = path.join(candidate.dir, 'initdb');
  const postgres = path.join(candidate.dir, 'postgres');
  if (!isExecutable(initdb) || !isExecutable(postgres)) return undefined;
  const result = spawnSync(postgres, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const match = /\(PostgreSQL\)\s+((\d+)[\w.]*)/.exec(result.stdout ?? '');
  if (result.status !== 0 || !match) return undefined;
  return { ...candidate, initdb, postgres, version: match[1], major: match[2] };
}

let found: PgBinaries | undefined;

/** The server binaries; when the data directory exists, of the major version that created it. */
function findBinaries(): PgBinaries {
  const dataMajor = readDataVersion();
  if (found && (dataMajor === undefined || found.major === dataMajor)) return found;
  const seen = new Set<string>();
  const usable: PgBinaries[] = [];
  for (const candidate of candidateDirs()) {
    if (seen.has(candidate.dir)) continue;
    seen.add(candidate.dir);
    const binaries = binariesIn(candidate);
    if (binaries) usable.push(binaries);
  }
  if (usable.length === 0) {
    throw new InfraError(
      `[postgres] FerretDB's backend needs the PostgreSQL server binaries initdb and postgres, and none were found ` +
        `(looked at \`pg_config --bindir\`, /usr/lib/postgresql/*/bin and PATH)`,
      INSTALL_FIX,
    );
  }
  const chosen = dataMajor === undefined ? usable[0] : usable.find((b) => b.major === dataMajor);
  if (!chosen) {
    throw new InfraError(
      `[postgres] ${DATA_DIR} was created by PostgreSQL ${dataMajor}, but only PostgreSQL ` +
        `${[...new Set(usable.map((b) => b.major))].join(', ')} is installed (${usable.map((b) => b.dir).join(', ')})`,
      `install PostgreSQL ${dataMajor} (apt-get install postgresql-${dataMajor}), or ${RESET_FIX}`,
    );
  }
  found = chosen;
  return chosen;
}

function readDataVersion(): string | undefined {
  try {
    return fs.readFileSync(path.join(DATA_DIR, 'PG_VERSION'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

interface Account {
  name: string;
  uid: number;
  gid: number;
  /** Set only when we must switch to this account (we are root). */
  switchTo: boolean;
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const getent = spawnSync('getent', ['passwd', name], { encoding: 'utf8', timeout: 5000 });
  let line = getent.status === 0 ? getent.stdout.trim() : '';
  if (!line) {
    try {
      line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`)) ?? '';
    } catch {
      line = '';
    }
  }
  const fields = line.split(':');
  if (fields.length < 4) return undefined;
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function currentUserName(uid: number): string {
  try {
    return os.userInfo().username;
  } catch {
    return `uid ${uid}`; // no passwd entry (some containers)
  }
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` system user, else as us. */
function account(): Account {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0) return { name: currentUserName(uid), uid, gid: process.getgid?.() ?? 0, switchTo: false };
  const user = lookupUser('postgres');
  if (!user || user.uid === 0) {
    throw new InfraError(
      '[postgres] running as root, and PostgreSQL refuses to run as root, but there is no `postgres` user to run it as',
      'apt-get install postgresql creates that user; or create it: useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres',
    );
  }
  return { name: 'postgres', ...user, switchTo: true };
}

function asAccount(who: Account): { uid?: number; gid?: number } {
  return who.switchTo ? { uid: who.uid, gid: who.gid } : {};
}

function chownTree(target: string, who: Account): void {
  fs.lchownSync(target, who.uid, who.gid);
  if (!fs.lstatSync(target).isDirectory()) return;
  for (const entry of fs.readdirSync(target)) chownTree(path.join(target, entry), who);
}

/** The cluster's directories must belong to the account that runs the server. */
function ensureOwned(dir: string, who: Account): void {
  const stat = fs.statSync(dir);
  if (stat.uid === who.uid) return;
  if (!who.switchTo) {
    throw new InfraError(
      `[postgres] ${dir} belongs to uid ${stat.uid}, but PostgreSQL runs as ${who.name} (uid ${who.uid}) and needs to own it`,
      `run the infra commands as its owner, or: sudo chown -R ${who.uid}:${who.gid} ${dir}`,
    );
  }
  chownTree(dir, who);
}

/** When we switch to the postgres user, it must be able to walk down to .infra/. */
async function assertReachable(who: Account): Promise<void> {
  if (!who.switchTo) return;
  try {
    await run('test', ['-x', PATHS.data, '-a', '-x', PATHS.run], asAccount(who));
    return;
  } catch {
    // explained below
  }
  const closed: string[] = [];
  for (let dir = PATHS.data; ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) closed.push(dir);
    if (dir === path.dirname(dir)) break;
  }
  throw new InfraError(
    `[postgres] PostgreSQL runs as the user ${who.name} (it refuses root), which cannot reach ${PATHS.data}` +
      (closed.length ? `: ${closed.join(', ')} ${closed.length === 1 ? 'is' : 'are'} not searchable by other users` : ''),
    closed.length ? `chmod o+x ${closed.join(' ')}` : `let user ${who.name} reach ${PATHS.data} and ${PATHS.run}`,
  );
}

// ---------------------------------------------------------------------------
// the cluster

/** Environment of initdb and the server: no inherited PG* settings, a locale that always exists. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  env.LC_ALL = 'C';
  return env;
}

/** initdb into a scratch directory renamed into place, so an interrupted first run leaves nothing half-made. */
async function initOnce(bins: PgBinaries, who: Account, log: Logger): Promise<void> {
  if (readDataVersion() !== undefined) return;
  if (fs.existsSync(DATA_DIR)) {
    if (fs.readdirSync(DATA_DIR).length > 0) {
      throw new InfraError(`[postgres] ${DATA_DIR} is not empty but holds no PostgreSQL cluster (no PG_VERSION)`, `move it away or ${RESET_FIX}`);
    }
    fs.rmdirSync(DATA_DIR);
  }
  ensureDir(PATHS.data);
  cleanStaleTemps(PATHS.data);
  const temp = tempPathFor(DATA_DIR);
  fs.mkdirSync(temp, { mode: 0o700 });
  ensureOwned(temp, who);
  const started = Date.now();
  log(`[postgres] initialising a PostgreSQL ${bins.major} cluster in ${DATA_DIR} as user ${who.name} (first start only)…`);
  await run(
    bins.initdb,
    ['-D', temp, '--auth=trust', `--username=${PG_USER}`, '--encoding=UTF8', '--locale=C'],
    { ...asAccount(who), cwd: temp, env: serverEnv(), fix: `${RESET_FIX}; if initdb itself is broken: ${INSTALL_FIX}` },
  );
  replacePath(temp, DATA_DIR);
  log(`[postgres] cluster initialised (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

function serverArgs(): string[] {
  const socketPath = path.join(SOCKET_DIR, `.s.PGSQL.${PORTS.postgres}`);
  const settings: Record<string, string> = {
    listen_addresses: HOST,
    port: String(PORTS.postgres),
    // Clients use TCP; the socket is for psql -h .infra/run/pg. Too long a path would stop the server.
    unix_socket_directories: Buffer.byteLength(socketPath) < 100 ? SOCKET_DIR : '',
    max_connections: '200', // FerretDB opens up to 50 per pool
    shared_buffers: '128MB',
    // Durability stays on: the crash tests SIGKILL FerretDB and expect acknowledged writes to survive.
    fsync: 'on',
    synchronous_commit: 'on',
    full_page_writes: 'on',
    // Sized for a 2-core test machine: no parallel workers or JIT for queries that take a few ms.
    max_parallel_workers_per_gather: '0',
    max_parallel_maintenance_workers: '1',
    jit: 'off',
    huge_pages: 'off',
    logging_collector: 'off', // stderr goes to .infra/logs/postgres.log
    log_line_prefix: '%m [%p] ',
    // Errors are logged, not the statements behind them (duplicate keys are routine, and carry documents).
    log_min_error_statement: 'panic',
    log_timezone: 'UTC',
    timezone: 'UTC',
  };
  return ['-D', DATA_DIR, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
}

function isOurs(argv: string[]): boolean {
  const d = argv.indexOf('-D');
  return path.basename(argv[0] ?? '') === 'postgres' && d >= 0 && argv[d + 1] === DATA_DIR;
}

/** Our postmaster: from the pid file, else from postmaster.pid in the data directory. */
function ourPid(): number | undefined {
  const pid = ownedPid(NAME, isOurs);
  if (pid !== undefined) return pid;
  const lockPid = postmasterPid();
  const argv = lockPid !== undefined ? processArgv(lockPid) : undefined;
  if (lockPid === undefined || !argv || !isOurs(argv)) return undefined;
  writePidFile(NAME, lockPid);
  return lockPid;
}

function postmasterPid(): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(DATA_DIR, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A postmaster.pid left by a server that died with the machine or container: PostgreSQL refuses
 * to start when its pid now belongs to another live process. Ours is not running (checked first).
 */
function removeStaleLock(log: Logger): void {
  const pid = postmasterPid();
  if (pid === undefined) return;
  const argv = processArgv(pid);
  if (argv && isOurs(argv)) return;
  log(`[postgres] removing a stale postmaster.pid (its pid ${pid} is gone or is not our server)`);
  fs.rmSync(path.join(DATA_DIR, 'postmaster.pid'), { force: true });
}

function startupFailure(problem: string): InfraError {
  const file = logFile(NAME);
  return new InfraError(
    `[postgres] PostgreSQL (under FerretDB) ${problem}. Last lines of ${file}:\n${tailFile(file, 40)}`,
    `read ${file}; if the cluster is corrupt, ${RESET_FIX}`,
  );
}

const RETRYABLE = new Set(['57P03', '57P01', '53300']); // starting up / shutting down, too many connections

/** Waits until the server accepts connections to PG_DATABASE, creating that database once. */
async function waitReady(pid: number, log: Logger): Promise<void> {
  const started = Date.now();
  let lastNotice = started;
  let lastError = '';
  while (Date.now() - started < START_TIMEOUT_MS) {
    if (!isAlive(pid)) throw startupFailure(`exited during start-up (pid ${pid})`);
    if (isStopped(pid)) signalGroup(pid, 'SIGCONT');
    try {
      // Through the maintenance database, so a first start does not log a FATAL for the missing one.
      const [rows] = await pgQuery('postgres', [`SELECT 1 FROM pg_database WHERE datname = '${PG_DATABASE}'`], 5000);
      if (rows.length > 0) return;
      log(`[postgres] creating database ${PG_DATABASE}`);
      await pgQuery('postgres', [`CREATE DATABASE ${PG_DATABASE}`], 30_000).catch((e: unknown) => {
        if (!(e instanceof PgServerError && e.code === '42P04')) throw e; // created meanwhile
      });
      continue;
    } catch (error) {
      const code = error instanceof PgServerError ? error.code : '';
      lastError = (error as Error).message;
      if (error instanceof PgServerError && !RETRYABLE.has(code)) {
        throw new InfraError(`[postgres] PostgreSQL on ${ADDRESS} refused us: ${error.message}`, RESET_FIX);
      }
    }
    if (Date.now() - lastNotice >= 10_000) {
      log(`[postgres] waiting for PostgreSQL on ${ADDRESS} (${lastError}) (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      lastNotice = Date.now();
    }
    await sleep(100);
  }
  throw startupFailure(`did not accept connections on ${ADDRESS} within ${START_TIMEOUT_MS / 1000}s (${lastError})`);
}

async function ensure(log: Logger): Promise<void> {
  const running = ourPid();
  if (running !== undefined) return waitReady(running, log);
  const bins = findBinaries();
  const who = account();
  if (await isPortOpen(PORTS.postgres)) {
    throw new InfraError(
      `[postgres] port ${PORTS.postgres} (PostgreSQL under FerretDB) is taken by ${describeOwner(PORTS.postgres)}`,
      `stop that process or free port ${PORTS.postgres}, then run \`npm run infra -- up\` again`,
    );
  }
  ensureDir(PATHS.run);
  await assertReachable(who);
  await initOnce(bins, who, log);
  ensureOwned(DATA_DIR, who);
  ensureDir(SOCKET_DIR);
  ensureOwned(SOCKET_DIR, who);
  removeStaleLock(log);
  const started = Date.now();
  log(`[postgres] starting PostgreSQL ${bins.version} (${bins.dir}, found via ${bins.from}) on ${ADDRESS}…`);
  const pid = spawnDetached(NAME, { cmd: bins.postgres, args: serverArgs(), env: serverEnv(), cwd: DATA_DIR, ...asAccount(who) });
  await waitReady(pid, log);
  log(`[postgres] ready on ${ADDRESS} (pid ${pid}, ${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Fast shutdown (SIGINT: disconnect clients, checkpoint), then immediate (SIGQUIT), then SIGKILL. */
async function stop(log: Logger): Promise<void> {
  const pid = ourPid();
  if (pid === undefined) {
    log('[postgres] not running (no process of ours)');
    return;
  }
  const started = Date.now();
  signalPid(pid, 'SIGCONT');
  signalPid(pid, 'SIGINT');
  if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
    log(`[postgres] pid ${pid} did not finish its fast shutdown in ${STOP_TIMEOUT_MS / 1000}s; immediate shutdown`);
    signalPid(pid, 'SIGQUIT');
    if (!(await waitForExit(pid, 10_000))) {
      signalGroup(pid, 'SIGKILL');
      await waitForExit(pid, 5000);
    }
  }
  removePidFile(NAME);
  if (!(await waitForPortClosed(PORTS.postgres, 10_000))) {
    throw new InfraError(`[postgres] port ${PORTS.postgres} is still open after pid ${pid} exited: ${describeOwner(PORTS.postgres)}`);
  }
  log(`[postgres] stopped pid ${pid} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

async function probe(): Promise<boolean> {
  try {
    await pgQuery(PG_DATABASE, ['SELECT 1'], 2000);
    return true;
  } catch {
    return false;
  }
}

export const postgres: Backend = {
  name: NAME,
  label: 'PostgreSQL',
  address: ADDRESS,
  ensure,
  stop,
  pid: ourPid,
  probe,
};
