import { spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { PATHS, type ServiceName } from './config';

/** A failure the user can act on: what went wrong, and how to fix it. */
export class InfraError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'InfraError';
  }
}

export type Logger = (line: string) => void;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** name: a service, or a server of ours that one depends on (e.g. "postgres"). */
export function logFile(name: ServiceName | string): string {
  return path.join(PATHS.logs, `${name}.log`);
}

function pidFile(name: ServiceName | string): string {
  return path.join(PATHS.run, `${name}.pid`);
}

// ---------------------------------------------------------------------------
// /proc inspection

/** argv of a live process, or undefined when it is gone (or a zombie). */
export function processArgv(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (raw.length === 0) return undefined; // zombies and kernel threads have no cmdline
    return raw.replace(/\0$/, '').split('\0');
  } catch {
    return undefined;
  }
}

/** One-letter state from /proc/<pid>/stat: R, S, D, T (stopped), Z (zombie)... */
export function processState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain ") ", so split on the last one.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  const state = processState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

export function isStopped(pid: number): boolean {
  const state = processState(pid);
  return state === 'T' || state === 't';
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const localPort = parseInt(cols[1].split(':')[1] ?? '', 16);
      const listening = cols[3] === '0A';
      if (listening && localPort === port) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** The process listening on a TCP port, found through its socket inode. */
export function portOwner(port: number): { pid: number; command: string } | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match && inodes.has(match[1])) {
        const pid = Number(entry);
        return { pid, command: (processArgv(pid) ?? ['?']).join(' ') };
      }
    }
  }
  return undefined;
}

export function describeOwner(port: number): string {
  const owner = portOwner(port);
  if (!owner) return 'an unknown process (not visible in /proc: another user or container?)';
  const command = owner.command.length > 160 ? `${owner.command.slice(0, 157)}...` : owner.command;
  return `pid ${owner.pid} (${command})`;
}

// ---------------------------------------------------------------------------
// pid files

/**
 * The pid of the service process we started, if it is still running.
 * A pid file whose process is gone, or whose command line is not ours (pid reuse), is removed.
 */
export function ownedPid(name: ServiceName | string, isOurs: (argv: string[]) => boolean): number | undefined {
  const file = pidFile(name);
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
  const argv = Number.isInteger(pid) && pid > 0 ? processArgv(pid) : undefined;
  if (argv && isOurs(argv)) return pid;
  fs.rmSync(file, { force: true });
  return undefined;
}

export function writePidFile(name: ServiceName | string, pid: number): void {
  ensureDir(PATHS.run);
  fs.writeFileSync(pidFile(name), `${pid}\n`);
}

export function removePidFile(name: ServiceName | string): void {
  fs.rmSync(pidFile(name), { force: true });
}

// ---------------------------------------------------------------------------
// starting and signalling

export interface Command {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user and group (only root may set them): PostgreSQL refuses to run as root. */
  uid?: number;
  gid?: number;
}

const MAX_LOG_BYTES = 20 * 1024 * 1024;

/** Keeps one previous log so a restart does not erase the reason of the last crash. */
function rotateLog(file: string): void {
  try {
    if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
}

/**
 * Starts a server in its own process group with output appended to its log, so it outlives
 * the caller (a CLI run or a test runner) and can be signalled as a group.
 */
export function spawnDetached(name: ServiceName | string, command: Command): number {
  ensureDir(PATHS.logs);
  ensureDir(PATHS.run);
  const log = logFile(name);
  rotateLog(log);
  const fd = fs.openSync(log, 'a');
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} starting: ${command.cmd} ${command.args.join(' ')}\n`);
  const options: SpawnOptions = {
    cwd: command.cwd,
    env: command.env ?? process.env,
    detached: true,
    stdio: ['ignore', fd, fd],
    uid: command.uid,
    gid: command.gid,
  };
  const child = spawn(command.cmd, command.args, options);
  fs.closeSync(fd);
  if (child.pid === undefined) throw new InfraError(`[${name}] could not start ${command.cmd}`);
  child.on('error', () => undefined); // reported through the log and the readiness wait instead
  child.unref();
  writePidFile(name, child.pid);
  return child.pid;
}

/** Signals the whole process group (the server and anything it forked), falling back to the pid. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

// ---------------------------------------------------------------------------
// ports and readiness

export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitForPortClosed(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (listeningInodes(port).size === 0) return true;
    await sleep(100);
  }
  return listeningInodes(port).size === 0;
}

/** Rejects after ms; used to bound client libraries whose own timeouts do not cover every phase. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function tailFile(file: string, lines = 30): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
  } catch {
    return '(no log file)';
  }
}

// ---------------------------------------------------------------------------
// running build tools

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; on failure throws with the tail of its output. */
export function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; fix?: string; uid?: number; gid?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: options.uid,
      gid: options.gid,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', (error) =>
      reject(new InfraError(`cannot run ${cmd}: ${error.message}`, options.fix ?? `install ${cmd} and make sure it is on PATH`)),
    );
    child.once('close', (code) => {
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (code === 0) return resolve(result);
      const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
      reject(new InfraError(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${output}`, options.fix));
    });
  });
}

export async function commandSucceeds(cmd: string, args: string[], timeoutMs = 10_000): Promise<boolean> {
  try {
    await withTimeout(run(cmd, args), timeoutMs, cmd);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// atomic file-system steps

/** Replaces dest with src in one rename, so a reader never sees a half-written result. */
export function replacePath(src: string, dest: string): void {
  const old = `${dest}.old-${process.pid}`;
  if (fs.existsSync(dest)) fs.renameSync(dest, old);
  fs.renameSync(src, dest);
  fs.rmSync(old, { recursive: true, force: true });
}

/** A scratch path next to dest, removed first in case a previous build died half-way. */
export function tempPathFor(dest: string): string {
  const temp = `${dest}.tmp-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  return temp;
}

/** Removes leftovers of builds that were interrupted (their process is gone). */
export function cleanStaleTemps(dir: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = /\.(?:tmp|old)-(\d+)$/.exec(entry);
    if (match && !isAlive(Number(match[1]))) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}
