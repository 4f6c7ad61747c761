/**
 * The three apps as real processes, each on a port of its own that it keeps across restarts (the
 * load keeps posting to the same gateway address while it is down).
 */
import { appendFileSync } from 'node:fs';
import { AppProcess, freePort, type AppName } from '../../test/support/app-process';

export const APP_NAMES: readonly AppName[] = ['gateway', 'relay', 'notifier'];

export class AppFleet {
  private readonly apps = new Map<AppName, AppProcess>();
  private readonly ports = new Map<AppName, number>();
  /** Should this process die before stopAll, its apps must not outlive it. */
  private readonly killOnExit = (): void => {
    for (const app of this.apps.values()) app.child.kill('SIGKILL');
  };

  /** `logFile` collects every app's output, one section per process lifetime. */
  constructor(
    private readonly envOf: (name: AppName) => NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {
    process.on('exit', this.killOnExit);
  }

  async startAll(timeoutMs = 60_000): Promise<void> {
    await Promise.all(APP_NAMES.map((name) => this.start(name, timeoutMs)));
  }

  url(name: AppName): string {
    const port = this.ports.get(name);
    if (port === undefined) throw new Error(`${name} was never started`);
    return `http://127.0.0.1:${port}`;
  }

  async start(name: AppName, timeoutMs = 60_000): Promise<void> {
    if (!this.ports.has(name)) this.ports.set(name, await freePort());
    const app = AppProcess.spawn(name, this.envOf(name), this.ports.get(name));
    this.apps.set(name, app);
    await app.waitForLive(timeoutMs);
  }

  /** SIGKILL, as a crash would; its output so far goes to the log file. */
  async kill(name: AppName): Promise<void> {
    const app = this.apps.get(name);
    if (!app) return;
    const exit = await app.stop('SIGKILL');
    this.keepOutput(name, `killed (${exit.signal ?? exit.code})`, app.output);
    this.apps.delete(name);
  }

  /** Whether every app still runs (none exited by itself). */
  crashed(): AppName[] {
    return APP_NAMES.filter((name) => {
      const app = this.apps.get(name);
      return app !== undefined && (app.child.exitCode !== null || app.child.signalCode !== null);
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.apps].map(async ([name, app]) => {
        const exit = await app.stop('SIGTERM');
        this.keepOutput(name, `stopped (${exit.signal ?? exit.code}${exit.forced ? ', forced' : ''})`, app.output);
      }),
    );
    this.apps.clear();
    process.off('exit', this.killOnExit);
  }

  private keepOutput(name: AppName, how: string, output: string): void {
    appendFileSync(this.logFile, `\n===== ${name} ${how} at ${new Date().toISOString()} =====\n${output.trim()}\n`);
  }
}
