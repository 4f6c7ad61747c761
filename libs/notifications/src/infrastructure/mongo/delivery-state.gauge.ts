import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Gauge } from 'prom-client';
import { MetricsService } from '@libs/observability';
import { DELIVERY_STATES, DeliveryState } from '../../domain/delivery';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../../notifications.options';

/**
 * `notifier_deliveries_by_state{state}`: how many deliveries are in each state right now, counted
 * in MongoDB every `deliveryMetricsMs` (first after one interval). A growing `pending` means sends
 * are stuck; `bounced` and `failed` against `sent` + `delivered` is the bounce and failure rate
 * over all time. One count per state, each answered from the `state` index; every notifier
 * instance reports the same numbers (aggregate them with max, not sum).
 */
@Injectable()
export class DeliveryStateGauge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryStateGauge.name);
  private readonly gauge: Gauge<'state'>;
  private timer?: NodeJS.Timeout;
  private every = 0;
  private running?: Promise<void>;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    metrics: MetricsService,
  ) {
    this.gauge = metrics.gauge('notifier_deliveries_by_state', 'Deliveries in each state (pending, sent, delivered, bounced, failed), counted periodically', ['state']);
  }

  onApplicationBootstrap(): void {
    const every = this.options.deliveryMetricsMs ?? 60_000;
    if (every <= 0) return;
    this.every = every;
    void this.deliveries()
      .createIndex({ state: 1 }, { name: 'state' })
      .catch(() => undefined);
    // The first count waits one interval: a notifier starting under load has better things to do.
    this.schedule(every);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.every = 0;
    await this.running;
  }

  /**
   * The next count comes after the interval, or after 100 times as long as the last count took if
   * that is longer: on MongoDB the counts are index counts (milliseconds), but a database that has
   * to scan the collection never spends more than about 1% of its time on this gauge.
   */
  private schedule(delayMs: number): void {
    if (this.every <= 0) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      void this.refresh().then(() => this.schedule(Math.max(this.every, (Date.now() - started) * 100)));
    }, delayMs);
    this.timer.unref();
  }

  /** Counts every state once (a refresh already under way is joined, not doubled). */
  refresh(): Promise<void> {
    this.running ??= this.count().finally(() => (this.running = undefined));
    return this.running;
  }

  private async count(): Promise<void> {
    try {
      // One count at a time: each is an index count on MongoDB, but a server that has to scan
      // (the local mongo-java-server ignores non-unique indexes) is not hit five times at once.
      const counts: [DeliveryState, number][] = [];
      for (const state of DELIVERY_STATES) counts.push([state, await this.deliveries().countDocuments({ state })]);
      for (const [state, n] of counts) this.gauge.set({ state }, n);
    } catch (error) {
      // MongoDB unavailable: readiness reports it; the gauge keeps its last values.
      this.logger.debug({ msg: 'Counting deliveries by state failed; will retry', err: error });
    }
  }

  private deliveries() {
    return this.connection.collection('deliveries');
  }
}
