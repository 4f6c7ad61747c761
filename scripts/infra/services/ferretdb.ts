import * as fs from 'node:fs';
import * as path from 'node:path';

import { HOST, PATHS, PORTS, VERSIONS } from '../config';
import { cleanStaleTemps, ensureDir, replacePath, tempPathFor, type Logger } from '../proc';
import { assertModuleVersion, go } from '../toolchains';
import { probe, verify } from './mongo-checks';
import { postgres, POSTGRES_URL } from './postgres';
import type { LocalService } from './types';

const MODULE = 'github.com/FerretDB/FerretDB';
const BINARY = path.join(PATHS.bin, 'ferretdb');
const SOURCE_DIR = path.join(PATHS.build, 'ferretdb');
// .infra/data/ferretdb held the SQLite backend's data before the switch to PostgreSQL; it is no longer used.
const STATE_DIR = path.join(PATHS.data, 'ferretdb-state');
const HANDLER_FLAG = '--handler=postgresql';

export function isFerretDb(argv: string[]): boolean {
  return argv[0] === BINARY;
}

interface ModuleDownload {
  Dir?: string;
  Error?: string;
}

/**
 * The module zip lacks the generated build/version/version.txt, and a binary built without it
 * panics at start (FerretDB issue 2982), so the source is copied and the tag written in.
 */
async function prepareSource(log: Logger): Promise<void> {
  log(`[mongo] downloading FerretDB ${VERSIONS.ferretdb} from the Go module proxy…`);
  const download = JSON.parse(await go(['mod', 'download', '-json', `${MODULE}@${VERSIONS.ferretdb}`])) as ModuleDownload;
  if (!download.Dir) throw new Error(`go mod download returned no directory: ${download.Error ?? 'unknown error'}`);
  const temp = tempPathFor(SOURCE_DIR);
  fs.cpSync(download.Dir, temp, { recursive: true });
  makeWritable(temp); // the module cache is read-only
  fs.writeFileSync(path.join(temp, 'build', 'version', 'version.txt'), `${VERSIONS.ferretdb}\n`);
  fs.writeFileSync(path.join(temp, 'build', 'version', 'package.txt'), 'conversation-alias-infra\n');
  replacePath(temp, SOURCE_DIR);
}

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else fs.chmodSync(full, 0o644);
  }
}


/** FerretDB 1.x on a PostgreSQL cluster of ours: `LOCAL_MONGO_SERVER=ferretdb`. */
export const ferretdb: LocalService = {
  name: 'mongo',
  label: `FerretDB ${VERSIONS.ferretdb} (PostgreSQL backend, MongoDB wire protocol)`,
  ports: [PORTS.mongo],
  address: `${HOST}:${PORTS.mongo}`,
  startTimeoutMs: 30_000,
  stopTimeoutMs: 15_000,

  isBuilt: () => fs.existsSync(BINARY),

  async build(log) {
    assertModuleVersion(VERSIONS.ferretdb);
    ensureDir(PATHS.build);
    ensureDir(PATHS.bin);
    cleanStaleTemps(PATHS.build);
    cleanStaleTemps(PATHS.bin);
    await prepareSource(log);
    log(`[mongo] building FerretDB ${VERSIONS.ferretdb} (first run only, 2-4 min on 2 cores)…`);
    const temp = tempPathFor(BINARY);
    await go(['build', '-trimpath', '-o', temp, './cmd/ferretdb'], { cwd: SOURCE_DIR });
    replacePath(temp, BINARY);
  },

  async prepare() {
    ensureDir(STATE_DIR);
  },

  backend: postgres,

  command: () => ({
    cmd: BINARY,
    args: [
      HANDLER_FLAG,
      `--postgresql-url=${POSTGRES_URL}`,
      `--listen-addr=${HOST}:${PORTS.mongo}`,
      `--state-dir=${STATE_DIR}`,
      '--telemetry=disable',
      // The debug handler would take port 8088 for nothing.
      '--debug-addr=-',
      '--log-level=warn',
    ],
    cwd: STATE_DIR,
  }),

  isOurs: isFerretDb,
  // A FerretDB started by an older version of these scripts (SQLite backend) keeps running until restarted.
  isCurrent: (argv) => argv.includes(HANDLER_FLAG) && argv.includes(`--postgresql-url=${POSTGRES_URL}`),

  probe,
  verify,
};
