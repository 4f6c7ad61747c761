import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { MetricsService } from '@libs/observability';
import { LEGACY_SYSTEM, LegacySystem } from '../domain/legacy-system.port';
import { ShadowPlanDocument } from './legacy-notification-routing';
import { LEGACY_ROUTING_OPTIONS, LegacyRoutingOptions } from './legacy-routing.options';
import { compareNotifications } from './parity';

/** A shadowed message whose legacy notifications cannot be read after this many tries is expired. */
const MAX_ATTEMPTS = 20;

/**
 * Shadow mode's second half: once a shadowed message's legacy notifications are known, compares
 * them with what the new path would have sent and records a match or a mismatch (with both
 * differences) for the parity report and `legacy_parity_total`.
 */
@Injectable()
export class ParityChecker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ParityChecker.name);
  private readonly shadows: Collection<ShadowPlanDocument>;
  private readonly results;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @InjectConnection() connection: Connection,
    @Inject(LEGACY_ROUTING_OPTIONS) private readonly options: LegacyRoutingOptions,
    metrics: MetricsService,
    @Optional() @Inject(LEGACY_SYSTEM) private readonly legacy?: LegacySystem | null,
  ) {
    this.shadows = connection.collection<ShadowPlanDocument>('shadow_plans');
    this.results = metrics.counter('legacy_parity_total', 'Shadowed messages compared with what the legacy system sent, by result', ['use_case', 'result']);
  }

  onApplicationBootstrap(): void {
    if (this.legacy) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Checks every due shadowed message once; returns how many were decided. */
  async check(now = new Date()): Promise<number> {
    if (!this.legacy) return 0;
    const due = (await this.shadows.find({ state: 'pending', dueAt: { $lte: now } }).limit(100).toArray()) as ShadowPlanDocument[];
    let decided = 0;
    for (const plan of due) {
      let sent: { recipient: string; channel: string }[] | null;
      try {
        sent = await this.legacy.notificationsSent(plan._id);
      } catch (error) {
        this.logger.warn({ msg: `Parity of ${plan._id} postponed: ${(error as Error).message}` });
        sent = null;
      }
      if (sent === null) {
        const attempts = (plan.attempts ?? 0) + 1;
        const expired = attempts >= MAX_ATTEMPTS;
        await this.shadows.updateOne(
          { _id: plan._id, state: 'pending' },
          { $set: { attempts, state: expired ? 'expired' : 'pending', dueAt: new Date(now.getTime() + Math.min(60_000, 1_000 * attempts)) } },
        );
        if (expired) this.results.inc({ use_case: plan.useCase, result: 'unknown' });
        continue;
      }
      const outcome = compareNotifications(plan.planned ?? [], sent);
      const updated = await this.shadows.updateOne(
        { _id: plan._id, state: 'pending' },
        { $set: { state: 'checked', match: outcome.match, missing: outcome.missing, extra: outcome.extra, checkedAt: now } },
      );
      if (updated.modifiedCount === 1) {
        this.results.inc({ use_case: plan.useCase, result: outcome.match ? 'match' : 'mismatch' });
        if (!outcome.match) this.logger.warn({ msg: `Parity mismatch for ${plan._id}`, missing: outcome.missing.length, extra: outcome.extra.length });
        decided++;
      }
    }
    return decided;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.check()
        .catch((error: unknown) => this.logger.warn({ msg: `Parity check failed: ${(error as Error)?.message}` }))
        .finally(() => this.schedule());
    }, this.options.parityPollMs);
    this.timer.unref();
  }
}
