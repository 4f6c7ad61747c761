import { Logger } from '@nestjs/common';
import { currentTraceId, MetricsService, runWithTrace } from '@libs/observability';
import { deliveryIdOf } from '../domain/delivery';
import { DeliveryErrorCode, PermanentDeliveryError, TransientDeliveryError } from '../domain/delivery.errors';
import { InvalidNotificationPreferencesError } from '../domain/notification.errors';
import { NotificationsOptions } from '../notifications.options';
import { InMemoryDeliveryStore, testNotificationsOptions } from '../testing';
import { DeliveryJob, DeliveryService } from './delivery.service';

const LEASE_MS = 200;

function setup(overrides: Partial<NotificationsOptions> = {}) {
  const store = new InMemoryDeliveryStore();
  const metrics = new MetricsService();
  const service = new DeliveryService(store, testNotificationsOptions({ leaseMs: LEASE_MS, ...overrides }), metrics);
  return { store, metrics, service };
}

let seq = 0;
function aJob(overrides: Partial<DeliveryJob> = {}): DeliveryJob & { send: jest.Mock } {
  const source = `c-1:${++seq}`;
  return {
    id: deliveryIdOf(source, 'p-bob', 'email'),
    kind: 'message',
    source,
    conversationId: 'c-1',
    participantId: 'p-bob',
    channel: 'email',
    address: 'bob@acme.example',
    eventAt: new Date(),
    acceptedState: 'sent',
    ...overrides,
    send: jest.fn(async () => ({ providerMessageId: '<m.1@relay.example.com>' })),
  };
}

/** Writes the delivery as another sender would, holding it until `holdMs` from now. */
async function heldByAnotherSender(store: InMemoryDeliveryStore, job: DeliveryJob, holdMs: number): Promise<void> {
  const { send: _send, acceptedState: _state, address, ...record } = job;
  expect(await store.create({ ...record, recipient: address }, new Date(Date.now() + holdMs), new Date())).toBe(true);
}

async function outcomes(metrics: MetricsService): Promise<Record<string, number>> {
  const counter = metrics.registry.getSingleMetric('notifier_deliveries_total')!;
  const { values } = await counter.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.outcome), v.value]));
}

beforeAll(() => Logger.overrideLogger(false));

describe('DeliveryService', () => {
  it('writes the delivery, sends it once and records it sent', async () => {
    const { store, service } = setup();
    const job = aJob();

    await expect(service.deliver(job)).resolves.toEqual({ id: job.id, outcome: 'sent', state: 'sent' });

    expect(job.send).toHaveBeenCalledTimes(1);
    expect(await store.get(job.id)).toMatchObject({
      state: 'sent',
      attempts: 1,
      recipient: 'bob@acme.example',
      providerMessageId: '<m.1@relay.example.com>',
      sentAt: expect.any(Date),
      finalAt: null,
      lastError: null,
      claimedUntil: new Date(0),
    });
    expect(store.history(job.id).map((h) => h.state)).toEqual(['pending', 'sent']);
  });

  it('stores the trace it is made in, and logs each send and each skip inside that trace', async () => {
    const { store, service } = setup();
    const logged: { msg: string; traceId: string | undefined; deliveryId: unknown }[] = [];
    const spy = jest.spyOn(Logger.prototype, 'log').mockImplementation(function (message: { msg: string; deliveryId: unknown }) {
      logged.push({ msg: message.msg, deliveryId: message.deliveryId, traceId: currentTraceId() });
    });
    try {
      const job = aJob();
      await runWithTrace('trace-42', () => service.deliver(job));
      await runWithTrace('trace-43', () => service.deliver(job));
      expect((await store.get(job.id))?.traceId).toBe('trace-42');
      expect(logged).toEqual([
        { msg: `Delivery ${job.id} (email) sent`, deliveryId: job.id, traceId: 'trace-42' },
        { msg: `Delivery ${job.id} (email) already sent: not sent again`, deliveryId: job.id, traceId: 'trace-43' },
      ]);
      // Outside any trace nothing is stored for it.
      const untraced = aJob();
      await service.deliver(untraced);
      expect((await store.get(untraced.id))?.traceId).toBeNull();
    } finally {
      spy.mockRestore();
    }
  });

  it('leaves an in-app delivery delivered (nobody reports on it later)', async () => {
    const { store, service } = setup();
    const job = aJob({ channel: 'in_app', address: 'acc-bob', acceptedState: 'delivered' });
    await expect(service.deliver(job)).resolves.toMatchObject({ outcome: 'sent', state: 'delivered' });
    expect(await store.get(job.id)).toMatchObject({ state: 'delivered', finalAt: expect.any(Date), sentAt: null });
  });

  it('does not send again what was sent: a second deliver() is already-done', async () => {
    const { service } = setup();
    const job = aJob();
    await service.deliver(job);

    await expect(service.deliver(job)).resolves.toEqual({ id: job.id, outcome: 'already-done', state: 'sent' });
    expect(job.send).toHaveBeenCalledTimes(1);
  });

  it('sends once when the same delivery is asked for many times at once', async () => {
    const { service } = setup();
    const job = aJob();
    job.send.mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { providerMessageId: null };
    });

    const results = await Promise.all(Array.from({ length: 5 }, () => service.deliver(job)));

    expect(job.send).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.outcome).sort()).toEqual(['already-done', 'already-done', 'already-done', 'already-done', 'sent']);
  });

  it('marks a permanently refused delivery failed, with the reason, without throwing; it is never tried again', async () => {
    const { store, service } = setup();
    const job = aJob();
    job.send.mockRejectedValue(new PermanentDeliveryError('550 5.1.1 mailbox unknown'));

    await expect(service.deliver(job)).resolves.toEqual({ id: job.id, outcome: 'failed', state: 'failed' });
    expect(await store.get(job.id)).toMatchObject({ state: 'failed', lastError: '550 5.1.1 mailbox unknown', finalAt: expect.any(Date) });

    await expect(service.deliver(job)).resolves.toMatchObject({ outcome: 'already-done', state: 'failed' });
    expect(job.send).toHaveBeenCalledTimes(1);
  });

  it('treats any error that says it is not retryable as permanent', async () => {
    const { store, service } = setup();
    const job = aJob();
    job.send.mockRejectedValue(new InvalidNotificationPreferencesError('bad'));
    await expect(service.deliver(job)).resolves.toMatchObject({ outcome: 'failed' });
    expect((await store.get(job.id))?.state).toBe('failed');
  });

  it('releases a transiently failed delivery and rethrows the same TransientDeliveryError; a later deliver() sends it', async () => {
    const { store, service } = setup();
    const job = aJob();
    const unavailable = new TransientDeliveryError('421 try again later');
    job.send.mockRejectedValueOnce(unavailable);

    await expect(service.deliver(job)).rejects.toBe(unavailable);
    expect(await store.get(job.id)).toMatchObject({ state: 'pending', lastError: '421 try again later', claimedUntil: new Date(0), attempts: 1 });

    await expect(service.deliver(job)).resolves.toMatchObject({ outcome: 'sent', state: 'sent' });
    expect(job.send).toHaveBeenCalledTimes(2);
    expect(await store.get(job.id)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('wraps an unexpected error as a TransientDeliveryError naming the delivery and its channel', async () => {
    const { store, service } = setup();
    const job = aJob();
    const boom = new Error('socket hang up');
    job.send.mockRejectedValueOnce(boom);

    const error = await service.deliver(job).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ code: DeliveryErrorCode.ProviderUnavailable, retryable: true, cause: boom, message: `Delivery ${job.id} (email) failed: socket hang up` });
    expect((await store.get(job.id))?.state).toBe('pending');
  });

  it('waits for a live lease of another sender and takes the delivery over once it ran out', async () => {
    const { store, service } = setup();
    const job = aJob();
    await heldByAnotherSender(store, job, LEASE_MS);
    const started = Date.now();

    await expect(service.deliver(job)).resolves.toMatchObject({ outcome: 'sent' });

    expect(Date.now() - started).toBeGreaterThanOrEqual(LEASE_MS - 10);
    expect(job.send).toHaveBeenCalledTimes(1);
    expect(await store.get(job.id)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('does not send what the other sender finished while it waited', async () => {
    const { store, service } = setup();
    const job = aJob();
    await heldByAnotherSender(store, job, LEASE_MS);
    setTimeout(() => void store.transition(job.id, 'sent', new Date()), 50);

    await expect(service.deliver(job)).resolves.toEqual({ id: job.id, outcome: 'already-done', state: 'sent' });
    expect(job.send).not.toHaveBeenCalled();
  });

  it('gives up with a retryable Busy error after two leases when the holder keeps it longer', async () => {
    const { store, service } = setup();
    const job = aJob();
    await heldByAnotherSender(store, job, 10_000);
    const started = Date.now();

    const error = await service.deliver(job).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error).toMatchObject({ code: DeliveryErrorCode.Busy, retryable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * LEASE_MS - 10);
    expect(Date.now() - started).toBeLessThan(2 * LEASE_MS + 500);
    expect(job.send).not.toHaveBeenCalled();
    expect(await store.get(job.id)).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('holds each channel to its rate: 60 emails at 20 per second take about 2 s or more, and all are sent', async () => {
    const { store, service } = setup({ ratePerSecond: { email: 20, sms: 100_000, push: 100_000 } });
    const jobs = Array.from({ length: 60 }, () => aJob());
    const started = Date.now();

    const results = await Promise.all(jobs.map((job) => service.deliver(job)));

    const elapsed = Date.now() - started;
    expect(results.every((r) => r.outcome === 'sent')).toBe(true);
    expect(jobs.every((job) => job.send.mock.calls.length === 1)).toBe(true);
    expect(store.all().filter((d) => d.state === 'sent')).toHaveLength(60);
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(4_500);
  }, 10_000);

  it('does not slow in-app deliveries (no rate) behind a slow email channel', async () => {
    const { service } = setup({ ratePerSecond: { email: 1, sms: 1, push: 1 } });
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, () => service.deliver(aJob({ channel: 'in_app', address: 'acc-bob', acceptedState: 'delivered' }))));
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('counts outcomes by channel: sent, failed, retry, already-done', async () => {
    const { service, metrics } = setup();
    const sent = aJob();
    await service.deliver(sent);
    await service.deliver(sent);
    const refused = aJob();
    refused.send.mockRejectedValue(new PermanentDeliveryError('no'));
    await service.deliver(refused);
    const flaky = aJob();
    flaky.send.mockRejectedValue(new TransientDeliveryError('later'));
    await service.deliver(flaky).catch(() => undefined);

    expect(await outcomes(metrics)).toEqual({ sent: 1, 'already-done': 1, failed: 1, retry: 1 });
  });
});
