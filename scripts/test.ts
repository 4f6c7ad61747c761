/**
 * `npm test`: everything the suites need, then every suite.
 *   1. the real servers (npm run infra -- up: builds them once, then starts in seconds);
 *   2. the type check and the build of the three apps (the e2e suites run the built output);
 *   3. jest: unit specs, then the end-to-end suites against the real servers, one at a time.
 * Ends with one line "N passed, N failed" from jest's JSON results.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { infraEnv, up } from './infra';

const root = join(__dirname, '..');
const results = join(root, 'reports', 'jest-results.json');

function step(title: string): void {
  process.stdout.write(`\n▶ ${title}\n`);
}

/** jest as a whole may take this long; a hung suite then fails the run instead of stalling it. */
const JEST_LIMIT_MS = Number(process.env.TEST_TIME_LIMIT_MS ?? 60 * 60_000);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs?: number): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, timeout: timeoutMs, killSignal: 'SIGKILL' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    process.stderr.write(
      `\n${basename(command)} was stopped after ${Math.round((timeoutMs ?? 0) / 60_000)} min (TEST_TIME_LIMIT_MS): ` +
        'a suite is hanging; run it alone (npm test -- <path>) to see which step waits.\n',
    );
  }
  return result.status ?? 1;
}

async function main(): Promise<void> {
  const jestArgs = process.argv.slice(2);
  step('starting the real servers (Kafka, MongoDB-wire, S3, SMTP)');
  await up();
  const env = { ...process.env, ...infraEnv() };

  step('type check');
  if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], env) !== 0) {
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  }
  step('build');
  if (run('npx', ['tsx', 'scripts/build.ts'], env) !== 0) {
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  }

  step('jest: unit and end-to-end suites');
  mkdirSync(join(root, 'reports'), { recursive: true });
  rmSync(results, { force: true });
  // --forceExit: a suite that leaves a handle open (a failed hook that never reached its cleanup)
  // must not keep the run alive after the results are written.
  const status = run(join(root, 'node_modules', '.bin', 'jest'), ['--runInBand', '--forceExit', '--json', `--outputFile=${results}`, ...jestArgs], env, JEST_LIMIT_MS);

  if (!existsSync(results)) {
    process.stdout.write('0 passed, 0 failed\n');
    process.exit(status === 0 ? 1 : status);
  }
  const summary = JSON.parse(readFileSync(results, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numTotalTests: number;
    numRuntimeErrorTestSuites: number;
  };
  const ranNothing = summary.numTotalTests === 0;
  // A suite that cannot even load counts as a failure, so it is never hidden behind "0 failed".
  const failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
  process.stdout.write(`\n${summary.numPassedTests} passed, ${failed} failed\n`);
  process.exit(status !== 0 || ranNothing ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`\nnpm test could not run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
});
