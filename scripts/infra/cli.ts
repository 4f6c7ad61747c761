/**
 * npm run infra -- up | down | status | env | verify
 *                   start <svc> | stop <svc> | kill <svc> | pause <svc> | resume <svc> | logs <svc> [-f]
 * where <svc> is kafka, mongo, s3 or smtp.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

import { isServiceName, SERVICE_NAMES, type ServiceName } from './config';
import {
  down,
  infraEnv,
  InfraError,
  killService,
  pauseService,
  resumeService,
  serviceLogFile,
  startService,
  status,
  stopService,
  up,
  verify,
  type ServiceStatus,
} from './index';

const USAGE = `usage: npm run infra -- <command>

  up                 build (first run only) and start every server, wait until they answer
  down               stop every server this project started (data is kept)
  status             table of servers: source, pid, address, answering
  env                the environment for the apps, as KEY=value lines
                     (in a shell: eval "$(npm run -s infra -- env)")
  verify             round trips of real operations against every server
  start <svc>        start one server          stop <svc>    stop it gracefully
  kill <svc>         SIGKILL it (crash test)   pause <svc>   SIGSTOP it (hang test)
  resume <svc>       SIGCONT it                logs <svc>    last lines of its log (-f to follow)

  <svc> is one of: ${SERVICE_NAMES.join(', ')} (\`logs postgres\`: the PostgreSQL under FerretDB)
  Options: --verify (up/start: also run the round-trip checks)
  Environment: INFRA_MODE=auto|local|docker; MONGO_URL, KAFKA_BROKERS, S3_ENDPOINT, SMTP_URL
  name servers to use instead of starting ours (if they answer).`;

function table(rows: ServiceStatus[]): string {
  const header = ['SERVICE', 'SOURCE', 'PID', 'ADDRESS', 'ANSWERING'];
  const pidCell = (pid: number | undefined): string => (pid === undefined ? '-' : String(pid));
  const lines = rows.flatMap((r) => {
    const row = [r.service, r.source, pidCell(r.pid), r.address, r.paused ? 'no (paused)' : r.answering ? 'yes' : 'no'];
    if (!r.backend) return [row];
    // The server under it (PostgreSQL under FerretDB), on a row of its own.
    const { name, pid, address, answering } = r.backend;
    return [row, [`${r.service}/${name}`, pid === undefined ? 'stopped' : 'local', pidCell(pid), address, answering ? 'yes' : 'no']];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function printEnv(): void {
  for (const [key, value] of Object.entries(infraEnv())) process.stdout.write(`${key}=${value}\n`);
}

function serviceArg(command: string, arg: string | undefined): ServiceName {
  if (arg && isServiceName(arg)) return arg;
  throw new InfraError(`${command} needs a service name, got "${arg ?? ''}"`, `use one of: ${SERVICE_NAMES.join(', ')}`);
}

function showLogs(name: ServiceName | 'postgres', follow: boolean): Promise<void> {
  const file = serviceLogFile(name);
  if (!fs.existsSync(file)) {
    throw new InfraError(`no log file ${file}`, `start it first: npm run infra -- start ${name === 'postgres' ? 'mongo' : name}`);
  }
  return new Promise((resolve, reject) => {
    const tail = spawn('tail', ['-n', '100', ...(follow ? ['-F'] : []), file], { stdio: 'inherit' });
    tail.once('error', reject);
    tail.once('close', () => resolve());
  });
}

async function main(argv: string[]): Promise<number> {
  // The SDK's Node 20 deprecation notice would repeat on every status line; the apps still see it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const flags = new Set(argv.filter((a) => a.startsWith('-')));
  const [command, arg] = argv.filter((a) => !a.startsWith('-'));
  const withVerify = flags.has('--verify');
  switch (command) {
    case 'up': {
      const started = Date.now();
      await up({ verify: withVerify });
      console.log(table(await status()));
      console.error(`\nup in ${((Date.now() - started) / 1000).toFixed(1)}s. Environment for the apps: npm run -s infra -- env`);
      return 0;
    }
    case 'down':
      await down();
      return 0;
    case 'status': {
      const rows = await status();
      console.log(table(rows));
      return rows.every((r) => r.answering) ? 0 : 3;
    }
    case 'env':
      printEnv();
      return 0;
    case 'verify':
      await verify();
      return 0;
    case 'start':
      await startService(serviceArg(command, arg), { verify: withVerify });
      return 0;
    case 'stop':
      await stopService(serviceArg(command, arg));
      return 0;
    case 'kill':
      await killService(serviceArg(command, arg));
      return 0;
    case 'pause':
      await pauseService(serviceArg(command, arg));
      console.error(`[${arg}] paused (SIGSTOP); resume with: npm run infra -- resume ${arg}`);
      return 0;
    case 'resume':
      await resumeService(serviceArg(command, arg));
      console.error(`[${arg}] resumed (SIGCONT)`);
      return 0;
    case 'logs':
      await showLogs(arg === 'postgres' ? arg : serviceArg(command, arg), flags.has('-f') || flags.has('--follow'));
      return 0;
    case undefined:
    case 'help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof InfraError) {
      console.error(`\nerror: ${error.message}`);
      if (error.fix) console.error(`\nfix: ${error.fix}`);
    } else {
      console.error('\nerror:', error);
    }
    process.exit(1);
  },
);
