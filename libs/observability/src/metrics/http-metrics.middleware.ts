import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram } from 'prom-client';
import { MetricsService } from './metrics.service';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string; originalUrl?: string };

/**
 * Every HTTP request's duration by method, route pattern and status: request rate, error rate
 * and latency percentiles of each app's HTTP side (GraphQL, ingresses, webhooks, health). The
 * route is the pattern (`/inbound/mailgun/mime`, `/graphql`), never the raw URL, so the label
 * stays bounded; requests no route answered are `unmatched`.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(metrics: MetricsService) {
    this.duration = metrics.histogram(
      'http_request_duration_seconds',
      'HTTP requests by method, route pattern and status code, from arrival to the end of the answer',
      ['method', 'route', 'status_code'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
  }

  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.duration.observe({ method: req.method ?? 'GET', route: routeOf(req as RoutedRequest, res.statusCode), status_code: String(res.statusCode) }, seconds);
    });
    next();
  }
}

/** The matched route pattern; for handlers mounted on a path (Apollo on /graphql), that path. */
export function routeOf(req: RoutedRequest, status: number): string {
  const pattern = req.route?.path;
  // Nest answers unknown paths from a catch-all route (`/{*path}`).
  if (typeof pattern === 'string' && status === 404 && pattern.includes('*')) return 'unmatched';
  if (typeof pattern === 'string') return `${req.baseUrl ?? ''}${pattern}` || '/';
  const url = (req.originalUrl ?? req.url ?? '').split('?')[0];
  if (url === '/graphql' || url.startsWith('/graphql/')) return '/graphql';
  return status === 404 ? 'unmatched' : 'other';
}
