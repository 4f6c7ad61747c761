import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MetricsService } from '@libs/observability';
import { LEGACY_SYSTEM } from '../domain/legacy-system.port';
import { HttpLegacySystem } from '../infrastructure/http/http-legacy-system.adapter';
import { LegacyBridgeModule } from '../legacy-bridge.module';
import { InMemoryLegacyCallQueue } from './in-memory-legacy-call.queue';
import { LegacyCallDispatcher } from './legacy-call.dispatcher';
import { LEGACY_CALL_QUEUE } from './legacy-call-queue.port';
import { LegacyCallsModule } from './legacy-calls.module';

beforeAll(() => Logger.overrideLogger(false));

describe('LegacyCallsModule', () => {
  it('provides the queue and the dispatcher; without a legacy system, enqueued calls stay pending', async () => {
    const queue = new InMemoryLegacyCallQueue();
    const moduleRef = await Test.createTestingModule({
      imports: [LegacyBridgeModule.forRootAsync({ useFactory: () => ({}) }), LegacyCallsModule.withQueue(queue, { pollMs: 10 })],
    }).compile();
    const app = await moduleRef.createNestApplication({ logger: false }).init();
    expect(moduleRef.get(LEGACY_SYSTEM)).toBeNull();
    expect(moduleRef.get(LEGACY_CALL_QUEUE)).toBe(queue);
    const dispatcher = moduleRef.get(LegacyCallDispatcher);
    await queue.enqueue({ kind: 'cancel-reminders', idempotencyKey: 'k', payload: { idempotencyKey: 'k', conversationId: 'c', participantEmail: 'a@example.com', reason: 'read' } });
    expect(await dispatcher.drain()).toEqual({ done: 0, retried: 0, failed: 0, skipped: 0 });
    expect(await queue.countPending()).toBe(1);
    await app.close();
  });

  it('forRootAsync takes its options from the factory', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LegacyCallsModule.forRootAsync({ useFactory: () => ({ pollMs: 250, enabled: false }) })],
    })
      .overrideProvider(LEGACY_CALL_QUEUE)
      .useValue(new InMemoryLegacyCallQueue())
      .compile();
    expect(moduleRef.get(LegacyCallDispatcher)).toBeInstanceOf(LegacyCallDispatcher);
  });
});

class MetricsHost {}

describe('LegacyBridgeModule: circuit gauge', () => {
  it('reports legacy_circuit_state{state} when MetricsService is there (global, as ObservabilityModule binds it)', async () => {
    const metrics = new MetricsService();
    const moduleRef = await Test.createTestingModule({
      imports: [
        { module: MetricsHost, global: true, providers: [{ provide: MetricsService, useValue: metrics }], exports: [MetricsService] },
        LegacyBridgeModule.forRootAsync({ useFactory: () => ({ LEGACY_SYSTEM_URL: 'http://legacy.test/bridge' }) }),
      ],
    }).compile();
    expect(moduleRef.get(LEGACY_SYSTEM)).toBeInstanceOf(HttpLegacySystem);
    const values = (await metrics.registry.getSingleMetric('legacy_circuit_state')!.get()).values;
    expect(values.map((v) => [v.labels.state, v.value])).toEqual([
      ['closed', 1],
      ['open', 0],
      ['half-open', 0],
    ]);
  });
});
