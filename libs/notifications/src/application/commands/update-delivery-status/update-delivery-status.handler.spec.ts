import { Logger } from '@nestjs/common';
import { DeliveryState, deliveryIdOf } from '../../../domain/delivery';
import { notificationsTestBed } from '../../../testing';
import { DeliveryStatusUpdate, UpdateDeliveryStatusCommand } from './update-delivery-status.command';

const LATER = new Date('2030-01-02T03:04:05Z');

/** A delivery the notifier wrote and moved to `state`, as sending would. */
async function aDeliveryIn(state: DeliveryState) {
  const bed = notificationsTestBed();
  const id = deliveryIdOf(`c-1:${state}`, 'p-bob', 'email');
  await bed.deliveries.create({ id, kind: 'message', source: `c-1:${state}`, conversationId: 'c-1', participantId: 'p-bob', channel: 'email', recipient: 'bob@acme.example', eventAt: new Date() }, new Date(), new Date());
  if (state === 'delivered' || state === 'bounced') await bed.deliveries.transition(id, 'sent', new Date());
  if (state !== 'pending') expect(await bed.deliveries.transition(id, state, new Date())).toBe(true);
  const report = (update: Partial<DeliveryStatusUpdate>) =>
    bed.updateStatus.execute(new UpdateDeliveryStatusCommand({ deliveryId: id, status: 'delivered', occurredAt: LATER, source: 'provider-webhook', ...update }));
  return { ...bed, id, report };
}

async function effects(bed: Awaited<ReturnType<typeof aDeliveryIn>>): Promise<Record<string, number>> {
  const { values } = await bed.metrics.registry.getSingleMetric('notifier_delivery_reports_total')!.get();
  return Object.fromEntries(values.map((v) => [`${v.labels.status}:${v.labels.effect}`, v.value]));
}

beforeAll(() => Logger.overrideLogger(false));

describe('UpdateDeliveryStatusHandler', () => {
  it('answers unknown-delivery for an id it never wrote, changing nothing', async () => {
    const bed = await aDeliveryIn('sent');
    await expect(bed.report({ deliveryId: deliveryIdOf('nope', 'p', 'email') })).resolves.toEqual({ status: 'unknown-delivery' });
    expect(bed.deliveries.size).toBe(1);
    expect(await effects(bed)).toEqual({ 'delivered:unknown-delivery': 1 });
  });

  it('moves sent to delivered, at the reported time, recording where the news came from', async () => {
    const bed = await aDeliveryIn('sent');
    await expect(bed.report({ status: 'delivered', providerMessageId: 'pm-77' })).resolves.toEqual({ status: 'updated', from: 'sent', to: 'delivered' });
    expect(await bed.deliveries.get(bed.id)).toMatchObject({ state: 'delivered', finalAt: LATER, providerMessageId: 'pm-77' });
    expect(bed.deliveries.history(bed.id).at(-1)).toEqual({ state: 'delivered', at: LATER, source: 'provider-webhook' });
  });

  it('leaves a failed delivery failed when delivered is reported after it', async () => {
    const bed = await aDeliveryIn('failed');
    await expect(bed.report({ status: 'delivered' })).resolves.toEqual({ status: 'unchanged', current: 'failed' });
    expect((await bed.deliveries.get(bed.id))?.state).toBe('failed');
    expect(bed.deliveries.history(bed.id).map((h) => h.state)).toEqual(['pending', 'failed']);
  });

  it('turns delivered into bounced on a late DSN, keeping its reason', async () => {
    const bed = await aDeliveryIn('delivered');
    await expect(bed.report({ status: 'bounced', reason: '5.1.1 user unknown', source: 'email-dsn' })).resolves.toEqual({ status: 'updated', from: 'delivered', to: 'bounced' });
    expect(await bed.deliveries.get(bed.id)).toMatchObject({ state: 'bounced', lastError: '5.1.1 user unknown', finalAt: LATER });
    expect(bed.deliveries.history(bed.id).at(-1)).toEqual({ state: 'bounced', at: LATER, source: 'email-dsn', reason: '5.1.1 user unknown' });
  });

  it('applies a report twice only once', async () => {
    const bed = await aDeliveryIn('sent');
    await bed.report({ status: 'bounced', source: 'email-dsn' });
    await expect(bed.report({ status: 'bounced', source: 'email-dsn' })).resolves.toEqual({ status: 'unchanged', current: 'bounced' });
    expect(bed.deliveries.history(bed.id).filter((h) => h.state === 'bounced')).toHaveLength(1);
    expect(await effects(bed)).toEqual({ 'bounced:updated': 1, 'bounced:unchanged': 1 });
  });

  it('never moves back: delivered after bounced, or failed after delivered, change nothing', async () => {
    const bounced = await aDeliveryIn('bounced');
    await expect(bounced.report({ status: 'delivered' })).resolves.toEqual({ status: 'unchanged', current: 'bounced' });
    const delivered = await aDeliveryIn('delivered');
    await expect(delivered.report({ status: 'failed' })).resolves.toEqual({ status: 'unchanged', current: 'delivered' });
  });

  it('accepts a final report for a delivery still pending (its sent write was lost)', async () => {
    const bed = await aDeliveryIn('pending');
    await expect(bed.report({ status: 'bounced', source: 'email-dsn' })).resolves.toEqual({ status: 'updated', from: 'pending', to: 'bounced' });
  });

  it('answers with the state that won when another report got there first', async () => {
    const bed = await aDeliveryIn('sent');
    const [a, b] = await Promise.all([bed.report({ status: 'failed' }), bed.report({ status: 'delivered' })]);
    const updated = [a, b].filter((o) => o.status === 'updated');
    expect(updated).toHaveLength(1);
    const winner = (updated[0] as { to: string }).to;
    expect([a, b].find((o) => o.status === 'unchanged')).toEqual({ status: 'unchanged', current: winner });
    expect((await bed.deliveries.get(bed.id))?.state).toBe(winner);
  });
});
