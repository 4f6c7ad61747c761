import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * One trace id follows an email (or a GraphQL call) from the gateway through Kafka to every
 * notification it causes, so `grep <traceId>` over the three apps' logs tells its whole story.
 *
 * The id travels as `x-trace-id` (HTTP and Kafka headers) and, when it has the W3C shape (32
 * lowercase hex digits, not all zero), also as a W3C `traceparent`, so tools that speak Trace
 * Context can pick it up. Inside a process it is ambient: whatever runs inside `runWithTrace`
 * (and every promise or callback it schedules) sees it through `currentTraceId()`, and every log
 * line written meanwhile carries it as `traceId`.
 */
export const TRACE_ID_HEADER = 'x-trace-id';
export const TRACEPARENT_HEADER = 'traceparent';
const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<{ traceId: string }>();

const W3C_TRACE_ID = /^[0-9a-f]{32}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
/** What an id taken from outside may look like: no spaces, quotes or control characters. */
const SAFE_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

/** A fresh W3C-compatible trace id: 16 random bytes as 32 lowercase hex digits. */
export function newTraceId(): string {
  for (;;) {
    const id = randomBytes(16).toString('hex');
    if (!/^0+$/.test(id)) return id;
  }
}

/** The trace id of the work in progress, if any. */
export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}

/** Runs `fn` with `traceId` as the ambient trace id (a fresh one when none is given). */
export function runWithTrace<T>(traceId: string | undefined | null, fn: () => T): T {
  return storage.run({ traceId: normalizeTraceId(traceId) ?? newTraceId() }, fn);
}

/** A usable trace id from outside input, or undefined when it is missing or unsafe to log. */
export function normalizeTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!SAFE_ID.test(trimmed)) return undefined;
  // W3C ids are lowercase hex; keep one spelling so grep finds every line.
  return W3C_TRACE_ID.test(trimmed.toLowerCase()) ? trimmed.toLowerCase() : trimmed;
}

/** The trace id of a W3C `traceparent` header (version 00 and later), or undefined. */
export function traceIdOfTraceparent(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]) || /^0+$/.test(match[3])) return undefined;
  return match[2];
}

type HeaderValue = string | Buffer | readonly (string | Buffer)[] | undefined | null;

function headerText(headers: Readonly<Record<string, unknown>> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  let value = headers[name] as HeaderValue;
  if (value === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : (headers[key] as HeaderValue);
  }
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === null) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : typeof first === 'string' ? first : undefined;
}

/**
 * The trace id carried by HTTP or Kafka headers: `x-trace-id` first (the platform's own name),
 * then a W3C `traceparent`; undefined when neither carries a usable one.
 */
export function traceIdFromHeaders(headers: Readonly<Record<string, unknown>> | undefined): string | undefined {
  return normalizeTraceId(headerText(headers, TRACE_ID_HEADER)) ?? traceIdOfTraceparent(headerText(headers, TRACEPARENT_HEADER));
}

/** Like `traceIdFromHeaders`, also accepting a caller's `x-request-id` (HTTP requests only). */
export function traceIdFromRequestHeaders(headers: Readonly<Record<string, unknown>> | undefined): string | undefined {
  return traceIdFromHeaders(headers) ?? normalizeTraceId(headerText(headers, REQUEST_ID_HEADER));
}

/**
 * Headers that carry `traceId` to the next hop: always `x-trace-id`; a `traceparent` (with a new
 * span id, sampled) when the id has the W3C shape.
 */
export function traceHeaders(traceId: string | undefined | null): Record<string, string> {
  const id = normalizeTraceId(traceId);
  if (!id) return {};
  if (!W3C_TRACE_ID.test(id) || /^0+$/.test(id)) return { [TRACE_ID_HEADER]: id };
  return { [TRACE_ID_HEADER]: id, [TRACEPARENT_HEADER]: `00-${id}-${randomBytes(8).toString('hex')}-01` };
}
