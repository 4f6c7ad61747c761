import { Global, INestApplication, Logger, Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { DomainError, ErrorCategory } from '@libs/contracts';
import { MetricsService } from '@libs/observability';
import { DeliveryStatusOutcome, signStatusWebhook, UpdateDeliveryStatusCommand } from '@libs/notifications';
import { NotificationsWebhooksModule } from './notifications-webhooks.module';

const SECRET = 'whsec_gateway_test_secret';
const PATH = '/webhooks/notifications/status';

/** The app's CommandBus, replaced by a script: what it was asked, and what it answers. */
class FakeCommandBus {
  readonly executed: UpdateDeliveryStatusCommand[] = [];
  next: () => Promise<DeliveryStatusOutcome> = async () => ({ status: 'updated', from: 'sent', to: 'delivered' });

  async execute(command: UpdateDeliveryStatusCommand): Promise<DeliveryStatusOutcome> {
    this.executed.push(command);
    return this.next();
  }
}

const report = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ idempotencyKey: 'dlv_6650f0c1:sms', providerMessageId: 'msg_1', status: 'delivered', occurredAt: '2025-03-01T12:00:05Z', ...overrides });

interface Answer {
  status: number;
  headers: Headers;
  body: { error?: { code: string; message: string }; result?: string } | null;
}

/** What the gateway provides app-wide: the CommandBus (CqrsModule.forRoot) and MetricsService (PlatformModule). */
function appScope(bus: FakeCommandBus, metrics: MetricsService) {
  @Global()
  @Module({ providers: [{ provide: CommandBus, useValue: bus }, { provide: MetricsService, useValue: metrics }], exports: [CommandBus, MetricsService] })
  class AppScopeModule {}
  return AppScopeModule;
}

async function startApp(appOptions: { rawBody?: boolean; bodyParser?: boolean }, secret: string | string[] = SECRET) {
  const bus = new FakeCommandBus();
  const metrics = new MetricsService();
  const moduleRef = await Test.createTestingModule({ imports: [appScope(bus, metrics), NotificationsWebhooksModule.forRoot({ webhookSecret: secret })] }).compile();
  const app = moduleRef.createNestApplication(appOptions);
  app.useLogger(false);
  await app.listen(0, '127.0.0.1');
  const url = `${await app.getUrl()}${PATH}`.replace('[::1]', '127.0.0.1');

  async function post(body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }
  const signed = (body: string | Buffer, headers: Record<string, string> = {}, signature = signStatusWebhook(body, SECRET)) =>
    post(body, { 'x-provider-signature': signature, ...headers });
  const counted = async (outcome: string) => (await metrics.registry.getSingleMetric('notification_status_webhook_requests_total')!.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

  return { app, bus, post, signed, counted };
}

describe('DeliveryStatusWebhookController', () => {
  beforeAll(() => Logger.overrideLogger(false));

  describe('behind Nest’s JSON parser with rawBody: true', () => {
    let ctx: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => (ctx = await startApp({ rawBody: true })));
    afterAll(() => ctx.app.close());
    beforeEach(() => {
      ctx.bus.executed.length = 0;
      ctx.bus.next = async () => ({ status: 'updated', from: 'sent', to: 'delivered' });
    });

    it('verifies, parses and records a report: 204, one UpdateDeliveryStatusCommand from the provider webhook', async () => {
      const answer = await ctx.signed(report({ reason: ' handset\nreached ' }));
      expect(answer).toMatchObject({ status: 204, body: null });
      expect(ctx.bus.executed).toHaveLength(1);
      expect(ctx.bus.executed[0]).toBeInstanceOf(UpdateDeliveryStatusCommand);
      expect(ctx.bus.executed[0].update).toEqual({
        deliveryId: 'dlv_6650f0c1:sms',
        providerMessageId: 'msg_1',
        status: 'delivered',
        reason: 'handset reached',
        occurredAt: new Date('2025-03-01T12:00:05Z'),
        source: 'provider-webhook',
      });
      expect(await ctx.counted('updated')).toBe(1);
    });

    it('answers 204 to a report that changes nothing (a repeat, or a state already past)', async () => {
      ctx.bus.next = async () => ({ status: 'unchanged', current: 'delivered' });
      await expect(ctx.signed(report())).resolves.toMatchObject({ status: 204 });
    });

    it('answers 202 { result: "unknown-delivery" } for a delivery we do not have, so the provider stops retrying', async () => {
      ctx.bus.next = async () => ({ status: 'unknown-delivery' });
      await expect(ctx.signed(report({ idempotencyKey: 'dlv_nobody' }))).resolves.toMatchObject({ status: 202, body: { result: 'unknown-delivery' } });
      expect(await ctx.counted('unknown_delivery')).toBe(1);
    });

    it.each([
      ['missing', undefined, 'NOTIFY_WEBHOOK_SIGNATURE_MISSING'],
      ['malformed', 'sha256=abc', 'NOTIFY_WEBHOOK_SIGNATURE_MALFORMED'],
      ['stale', signStatusWebhook(report(), SECRET, Date.now() - 600_000), 'NOTIFY_WEBHOOK_SIGNATURE_STALE'],
      ['mismatch', signStatusWebhook(report(), 'someone-else'), 'NOTIFY_WEBHOOK_SIGNATURE_MISMATCH'],
    ])('refuses a %s signature with 401 naming the reason, and records nothing', async (_reason, signature, code) => {
      const answer = await ctx.post(report(), signature ? { 'x-provider-signature': signature } : {});
      expect(answer.status).toBe(401);
      expect(answer.body?.error?.code).toBe(code);
      expect(answer.body?.error?.message).toMatch(/X-Provider-Signature/);
      expect(ctx.bus.executed).toHaveLength(0);
    });

    it('verifies the bytes as sent: the same JSON re-spaced does not pass', async () => {
      const signature = signStatusWebhook(report(), SECRET);
      const respaced = JSON.stringify(JSON.parse(report()), null, 2);
      await expect(ctx.post(respaced, { 'x-provider-signature': signature })).resolves.toMatchObject({ status: 401 });
      await expect(ctx.signed(respaced)).resolves.toMatchObject({ status: 204 });
    });

    it('accepts a header with several v1 signatures when one matches (the provider rotating its secret)', async () => {
      const body = report();
      const t = Math.floor(Date.now() / 1000);
      const good = signStatusWebhook(body, SECRET).split(',')[1];
      const other = signStatusWebhook(body, 'old-provider-secret').split(',')[1];
      await expect(ctx.post(body, { 'x-provider-signature': `t=${t},${other},${good}` })).resolves.toMatchObject({ status: 204 });
    });

    it('refuses a signed but invalid report with 400 listing the bad fields', async () => {
      const answer = await ctx.signed(report({ status: 'sent', occurredAt: 'now' }));
      expect(answer.status).toBe(400);
      expect(answer.body?.error?.code).toBe('NOTIFY_WEBHOOK_INVALID_PAYLOAD');
      expect(answer.body?.error?.message).toContain('status must be one of delivered, bounced, failed');
      expect(answer.body?.error?.message).toContain('occurredAt');
      expect(ctx.bus.executed).toHaveLength(0);
      expect(await ctx.counted('invalid')).toBeGreaterThanOrEqual(1);
    });

    it('refuses a body over 64 KiB with 413, before looking at it', async () => {
      const big = report({ reason: 'x'.repeat(70 * 1024) });
      const answer = await ctx.signed(big);
      expect(answer.status).toBe(413);
      expect(answer.body?.error?.code).toBe('NOTIFY_WEBHOOK_TOO_LARGE');
      expect(ctx.bus.executed).toHaveLength(0);
    });

    it('answers 503 with Retry-After when recording is unavailable, so the provider retries', async () => {
      ctx.bus.next = async () => {
        throw new DomainError('DELIVERY_STORE_UNAVAILABLE', ErrorCategory.Unavailable, 'Delivery records are unavailable; retry later.', { cause: new Error('mongo at 10.0.0.3 down') });
      };
      const answer = await ctx.signed(report());
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('30');
      expect(answer.body).toEqual({ error: { code: 'DELIVERY_STORE_UNAVAILABLE', message: 'Delivery records are unavailable; retry later.' } });
      expect(await ctx.counted('unavailable')).toBe(1);
    });

    it('answers an unexpected failure with a 500 that reveals nothing (the provider retries)', async () => {
      ctx.bus.next = async () => {
        throw new Error('secret internals at /srv/app');
      };
      const answer = await ctx.signed(report());
      expect(answer.status).toBe(500);
      expect(answer.body?.error?.code).toBe('INTERNAL');
      expect(JSON.stringify(answer.body)).not.toContain('secret');
    });
  });

  describe('without a body parser in front (the raw stream is read)', () => {
    let ctx: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => (ctx = await startApp({ bodyParser: false }, ['old-secret', SECRET])));
    afterAll(() => ctx.app.close());

    it('reads and verifies the raw body itself, with any of our secrets', async () => {
      await expect(ctx.signed(report())).resolves.toMatchObject({ status: 204 });
      await expect(ctx.post(report(), { 'x-provider-signature': signStatusWebhook(report(), 'old-secret') })).resolves.toMatchObject({ status: 204 });
      expect(ctx.bus.executed).toHaveLength(2);
    });

    it('refuses over 64 KiB with 413 as the stream crosses the limit', async () => {
      const answer = await ctx.signed(report({ reason: 'x'.repeat(70 * 1024) }));
      expect(answer.status).toBe(413);
    });

    it('refuses a signed body that is not JSON with 400', async () => {
      const answer = await ctx.signed('status=delivered', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(answer.status).toBe(400);
      expect(answer.body?.error?.message).toContain('body is not JSON');
    });
  });

  describe('behind a JSON parser that keeps no raw copy (a deployment error)', () => {
    let ctx: Awaited<ReturnType<typeof startApp>>;
    beforeAll(async () => (ctx = await startApp({})));
    afterAll(() => ctx.app.close());

    it('fails closed with a 500 that says what to fix, never trusting a re-serialised body', async () => {
      const logged = jest.spyOn(Logger.prototype, 'error');
      const answer = await ctx.signed(report());
      expect(answer.status).toBe(500);
      expect(ctx.bus.executed).toHaveLength(0);
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.objectContaining({ message: expect.stringContaining('rawBody: true') }) }));
      logged.mockRestore();
    });

    it('still reads a body the parser left alone (another content type)', async () => {
      await expect(ctx.signed(report(), { 'content-type': 'text/plain' })).resolves.toMatchObject({ status: 204 });
    });
  });

  it('refuses to start without a secret', async () => {
    const imports = (webhookSecret: string | string[]) => [appScope(new FakeCommandBus(), new MetricsService()), NotificationsWebhooksModule.forRoot({ webhookSecret })];
    await expect(Test.createTestingModule({ imports: imports('') }).compile()).rejects.toThrow('NOTIFY_PROVIDER_WEBHOOK_SECRET');
    await expect(Test.createTestingModule({ imports: imports(['', '']) }).compile()).rejects.toThrow('NOTIFY_PROVIDER_WEBHOOK_SECRET');
  });
});
