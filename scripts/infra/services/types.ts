import type { ServiceName } from '../config';
import type { Command, Logger } from '../proc';

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
  /** Whether a process's argv is one we started (never signal anything else). */
  isOurs(argv: string[]): boolean;
  /** Whether the server at env answers as this kind of server. Bounded by a short timeout. */
  probe(env: Record<string, string>): Promise<boolean>;
  /** Anything to do once it answers (e.g. create the bucket). */
  afterStart?(env: Record<string, string>, log: Logger): Promise<void>;
  /** A round trip of real operations; returns what it checked. */
  verify(env: Record<string, string>): Promise<string[]>;
}
