import { Controller, Get, INestApplication, Logger as NestLogger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { MetricsService } from './metrics/metrics.service';
import { ObservabilityModule } from './observability.module';
import { currentTraceId } from './tracing/trace-context';

const W3C_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

@Controller('probe')
class ProbeController {
  private readonly logger = new NestLogger('Probe');

  @Get()
  async probe(): Promise<{ traceId: string | undefined }> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.logger.log({ msg: 'probe handled' });
    return { traceId: currentTraceId() };
  }
}

describe('ObservabilityModule over HTTP', () => {
  let app: INestApplication;
  let url: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ service: 'probe', level: 'info', destination })],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { headers });
    return { status: response.status, traceHeader: response.headers.get('x-trace-id'), body: response.status === 200 ? ((await response.json()) as { traceId?: string }) : null };
  };

  const logsOf = (traceId: string) => lines.filter((line) => line.traceId === traceId || (line.req as { id?: string } | undefined)?.id === traceId);

  it("handles a request inside the caller's x-trace-id: the handler, its log lines and the answer share it", async () => {
    const answer = await get('/probe', { 'x-trace-id': 'ingress-trace-1' });
    expect(answer).toEqual({ status: 200, traceHeader: 'ingress-trace-1', body: { traceId: 'ingress-trace-1' } });
    const handled = lines.find((line) => line.msg === 'probe handled' && line.traceId === 'ingress-trace-1');
    expect(handled).toMatchObject({ service: 'probe', context: 'Probe' });
    // The request line names it as the request id.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logsOf('ingress-trace-1').find((line) => line.msg === 'request completed')).toMatchObject({ res: { statusCode: 200 } });
  });

  it('takes the trace id of a W3C traceparent, and starts a fresh one for a request that brings none', async () => {
    expect((await get('/probe', { traceparent: `00-${W3C_ID}-00f067aa0ba902b7-01` })).body).toEqual({ traceId: W3C_ID });
    const fresh = await get('/probe');
    expect(fresh.body?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.traceHeader).toBe(fresh.body?.traceId);
    expect((await get('/probe')).body?.traceId).not.toBe(fresh.body?.traceId);
  });

  it('times every request by route pattern and status code', async () => {
    await get('/probe');
    await get('/nothing-here');
    const metric = app.get(MetricsService).registry.getSingleMetric('http_request_duration_seconds')!;
    const counts = (await metric.get()).values.filter((v) => (v as { metricName?: string }).metricName === 'http_request_duration_seconds_count');
    const count = (route: string, status: string) => counts.find((v) => v.labels.route === route && v.labels.status_code === status)?.value ?? 0;
    expect(count('/probe', '200')).toBeGreaterThanOrEqual(1);
    expect(count('unmatched', '404')).toBe(1);
    expect(counts.some((v) => String(v.labels.route).includes('nothing-here'))).toBe(false);
  });
});
