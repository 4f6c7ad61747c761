/**
 * Carries out a fault plan against the running apps and the local servers. Apps are SIGKILLed
 * and restarted; Kafka and the database are stopped gracefully and started again through the
 * infra functions (a SIGKILL of the database may lose its last writes, which is not a failure
 * mode the product claims to survive); S3 is frozen with SIGSTOP, then SIGCONT.
 */
import { pauseService, resumeService, startService, stopService } from '../../scripts/infra';
import { sleep } from '../../test/support/app-process';
import type { AppName } from '../../test/support/app-process';
import type { AppFleet } from './app-fleet';
import type { FaultKind, PlannedFault } from './schedule';
import type { FaultRecord } from './verify';

export interface InjectedFault extends FaultRecord {
  plannedAt: number;
}

const APP_OF: Partial<Record<FaultKind, AppName>> = { 'kill-gateway': 'gateway', 'kill-relay': 'relay', 'kill-notifier': 'notifier' };
const SERVER_OF: Partial<Record<FaultKind, 'kafka' | 'mongo'>> = { 'restart-kafka': 'kafka', 'restart-mongo': 'mongo' };

export class FaultInjector {
  readonly injected: InjectedFault[] = [];
  /** Servers taken away and not yet given back (for `restoreAll` after an error). */
  private readonly away = new Set<'kafka' | 'mongo' | 's3'>();
  private aborted = false;

  constructor(
    private readonly apps: AppFleet,
    private readonly log: (line: string) => void,
  ) {}

  /** Runs the plan, each fault at `startedAt + atMs` or as soon as the previous one recovered. */
  async run(plan: readonly PlannedFault[], startedAt: number): Promise<void> {
    for (const fault of plan) {
      const wait = startedAt + fault.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      if (this.aborted) return;
      await this.inject(fault, startedAt);
    }
  }

  abort(): void {
    this.aborted = true;
  }

  private async inject(fault: PlannedFault, startedAt: number): Promise<void> {
    const at = Date.now();
    const elapsed = ((at - startedAt) / 1000).toFixed(1);
    this.log(`fault ${this.injected.length + 1}: ${fault.kind} at ${elapsed} s, down for ${(fault.downtimeMs / 1000).toFixed(1)} s`);
    const app = APP_OF[fault.kind];
    const server = SERVER_OF[fault.kind];
    if (app) {
      await this.apps.kill(app);
      await sleep(fault.downtimeMs);
      await this.apps.start(app);
    } else if (server) {
      this.away.add(server);
      await stopService(server, { log: this.infraLog });
      await sleep(fault.downtimeMs);
      await startService(server, { log: this.infraLog });
      this.away.delete(server);
    } else {
      this.away.add('s3');
      await pauseService('s3');
      await sleep(fault.downtimeMs);
      await resumeService('s3');
      this.away.delete('s3');
    }
    const recoveredAt = Date.now();
    this.injected.push({ kind: fault.kind, startedAt: at, recoveredAt, downtimeMs: fault.downtimeMs, plannedAt: startedAt + fault.atMs });
    this.log(`fault ${this.injected.length}: ${fault.kind} recovered after ${((recoveredAt - at) / 1000).toFixed(1)} s`);
  }

  private readonly infraLog = (line: string): void => this.log(`  ${line}`);

  /** Gives back whatever a failed or aborted run left stopped or paused. */
  async restoreAll(): Promise<void> {
    if (this.away.has('s3')) await resumeService('s3').catch((e: Error) => this.log(`resume s3 failed: ${e.message}`));
    for (const server of ['kafka', 'mongo'] as const) {
      if (this.away.has(server)) await startService(server, { log: this.infraLog }).catch((e: Error) => this.log(`start ${server} failed: ${e.message}`));
    }
    this.away.clear();
  }
}
