import { Logger } from '@nestjs/common';
import { MetricsService } from '@libs/observability';
import { testNotificationsOptions } from '../../testing';
import { DeliveryStateGauge } from './delivery-state.gauge';

/** The `deliveries` collection, reduced to what the gauge asks of it. */
function fakeConnection(states: string[], failing = false) {
  const asked: Record<string, unknown>[] = [];
  const collection = {
    createIndex: async () => 'state',
    countDocuments: async (filter: { state: string }) => {
      asked.push(filter);
      if (failing) throw new Error('MongoDB unavailable');
      return states.filter((s) => s === filter.state).length;
    },
  };
  return { connection: { collection: () => collection }, asked };
}

async function values(metrics: MetricsService): Promise<Record<string, number>> {
  const { values } = await metrics.registry.getSingleMetric('notifier_deliveries_by_state')!.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.state), v.value]));
}

beforeAll(() => Logger.overrideLogger(false));

describe('DeliveryStateGauge', () => {
  it('counts deliveries in every state, zeros included, one query per state', async () => {
    const metrics = new MetricsService();
    const { connection, asked } = fakeConnection(['sent', 'sent', 'delivered', 'bounced', 'pending', 'sent']);
    const gauge = new DeliveryStateGauge(connection as never, testNotificationsOptions({ deliveryMetricsMs: 0 }), metrics);
    await gauge.refresh();
    expect(await values(metrics)).toEqual({ pending: 1, sent: 3, delivered: 1, bounced: 1, failed: 0 });
    expect(asked).toHaveLength(5);
  });

  it('keeps the last counts when MongoDB does not answer', async () => {
    const metrics = new MetricsService();
    const good = new DeliveryStateGauge(fakeConnection(['failed']).connection as never, testNotificationsOptions(), metrics);
    await good.refresh();
    const failing = new DeliveryStateGauge(fakeConnection([], true).connection as never, testNotificationsOptions(), metrics);
    await expect(failing.refresh()).resolves.toBeUndefined();
    expect((await values(metrics)).failed).toBe(1);
  });

  describe('schedule', () => {
    beforeEach(() => jest.useFakeTimers({ now: 0 }));
    afterEach(() => jest.useRealTimers());

    /** A collection whose every count takes `countMs` of (fake) time. */
    function slowConnection(countMs: number) {
      const askedAt: number[] = [];
      const collection = {
        createIndex: async () => 'state',
        countDocuments: async () => {
          askedAt.push(Date.now());
          jest.setSystemTime(Date.now() + countMs);
          return 0;
        },
      };
      return { connection: { collection: () => collection }, askedAt };
    }

    async function advance(ms: number): Promise<void> {
      await jest.advanceTimersByTimeAsync(ms);
    }

    it('counts first after one interval, then every interval while counts are quick', async () => {
      const { connection, askedAt } = slowConnection(1);
      const gauge = new DeliveryStateGauge(connection as never, testNotificationsOptions({ deliveryMetricsMs: 60_000 }), new MetricsService());
      gauge.onApplicationBootstrap();
      await advance(59_000);
      expect(askedAt).toHaveLength(0);
      await advance(1_000);
      expect(askedAt).toHaveLength(5);
      await advance(60_000);
      expect(askedAt).toHaveLength(10);
      await gauge.onApplicationShutdown();
    });

    it('waits 100 times as long as the last count took when that is longer than the interval', async () => {
      // Five counts of 2 s: 10 s in all, so the next one comes 1,000 s later, not 60 s.
      const { connection, askedAt } = slowConnection(2_000);
      const gauge = new DeliveryStateGauge(connection as never, testNotificationsOptions({ deliveryMetricsMs: 60_000 }), new MetricsService());
      gauge.onApplicationBootstrap();
      await advance(60_000);
      expect(askedAt).toHaveLength(5);
      const lastCountEnded = Date.now();
      await advance(999_000 - (Date.now() - lastCountEnded));
      expect(askedAt).toHaveLength(5);
      await advance(2_000);
      expect(askedAt).toHaveLength(10);
      await gauge.onApplicationShutdown();
    });
  });
});
