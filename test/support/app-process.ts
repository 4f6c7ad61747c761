import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export type AppName = 'gateway' | 'relay' | 'notifier';

const ROOT = join(__dirname, '..', '..');

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the app did not stop by itself within the grace period and was SIGKILLed. */
  forced?: boolean;
  stdout: string;
  stderr: string;
}

/** One of the built apps running as a real process, the way production runs it. */
export class AppProcess {
  private stdout = '';
  private stderr = '';
  private readonly exited: Promise<ExitResult>;

  private constructor(
    readonly name: AppName,
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  static spawn(name: AppName, env: NodeJS.ProcessEnv, port?: number): AppProcess {
    const resolvedPort = port ?? Number(env.PORT ?? 0);
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...env, PORT: String(resolvedPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(name, resolvedPort, child);
  }

  /** Spawns the app on a free port and waits until it serves /health/live. */
  static async start(name: AppName, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<AppProcess> {
    const app = AppProcess.spawn(name, env, await freePort());
    await app.waitForLive(timeoutMs);
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get output(): string {
    return `${this.stdout}\n${this.stderr}`;
  }

  waitForExit(): Promise<ExitResult> {
    return this.exited;
  }

  async waitForLive(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitedEarly: ExitResult | undefined;
    void this.exited.then((result) => (exitedEarly = result));
    while (Date.now() < deadline) {
      if (exitedEarly) throw new Error(`${this.name} exited (code ${exitedEarly.code}) before serving:\n${this.output.slice(-3000)}`);
      try {
        const response = await fetch(`${this.url}/health/live`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`${this.name} did not serve /health/live within ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitResult> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      this.child.kill('SIGKILL');
    }, 15_000);
    try {
      return { ...(await this.exited), forced: forced || undefined };
    } finally {
      clearTimeout(timer);
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
