import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newTraceId, runWithTrace, TRACE_ID_HEADER, traceIdFromRequestHeaders } from './trace-context';

const TRACE_ID = Symbol('traceId');

/**
 * The trace id of an HTTP request, decided once: the caller's `x-trace-id`, W3C `traceparent`
 * or `x-request-id`, else a fresh one. The request logger uses it as the request id, so the
 * request line and everything logged while handling it share one id.
 */
export function requestTraceId(req: IncomingMessage): string {
  const tagged = req as IncomingMessage & { [TRACE_ID]?: string };
  return (tagged[TRACE_ID] ??= traceIdFromRequestHeaders(req.headers) ?? newTraceId());
}

/**
 * Handles each request inside its trace: log lines carry it, and so does whatever the request
 * writes (a conversation message created over GraphQL keeps it on its way to the notifier).
 * The answer names it in `x-trace-id`, so a caller can quote it.
 */
@Injectable()
export class TraceMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const traceId = requestTraceId(req);
    if (!res.headersSent) res.setHeader(TRACE_ID_HEADER, traceId);
    runWithTrace(traceId, next);
  }
}
