import type { ServiceName } from '../config';
import type { Command, Logger } from '../proc';

/**
 * A server of ours that a service needs underneath it (PostgreSQL under FerretDB). `up` starts it
 * before the service and `down` stops it after; `stop`/`kill`/`pause` of the service leave it
 * running, so they act on the server the apps talk to.
 */
export interface Backend {
  /** Names its pid and log files, e.g. "postgres". */
  name: string;
  label: string;
  address: string;
  /** Starts it unless it runs (preparing its data the first time); resolves once it accepts connections. */
  ensure(log: Logger): Promise<void>;
  /** Stops it gracefully if it is our running process. */
  stop(log: Logger): Promise<void>;
  /** Its pid while our process runs. */
  pid(): number | undefined;
  /** Whether it accepts connections now. Bounded by a short timeout. */
  probe(): Promise<boolean>;
}

/** How to build, start and check one server as a local process. */
export interface LocalService {
  name: ServiceName;
  /** Human name used in messages, e.g. "Apache Kafka 3.9.1". */
  label: string;
  /** Ports it listens on; the first one is the one clients use. */
  ports: readonly number[];
  /** What status shows as the address. */
  address: string;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /** True when the cached build (binary or jars) is present. */
  isBuilt(): boolean;
  build(log: Logger): Promise<void>;
  /** Config files, data directories, one-time storage formatting: everything before the first start. */
  prepare(log: Logger): Promise<void>;
  command(): Command;
  /** A server of ours that must run first (started by up, stopped by down). */
  backend?: Backend;
  /** False when a running process of ours was started with other options (e.g. an older backend). */
  isCurrent?(argv: string[]): boolean;
  /** Whether a process's argv is one we started (never signal anything else). */
  isOurs(argv: string[]): boolean;
  /** Whether the server at env answers as this kind of server. Bounded by a short timeout. */
  probe(env: Record<string, string>): Promise<boolean>;
  /** Anything to do once it answers (e.g. create the bucket). */
  afterStart?(env: Record<string, string>, log: Logger): Promise<void>;
  /** A round trip of real operations; returns what it checked. */
  verify(env: Record<string, string>): Promise<string[]>;
}
