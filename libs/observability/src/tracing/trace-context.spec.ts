import {
  currentTraceId,
  newTraceId,
  normalizeTraceId,
  runWithTrace,
  traceHeaders,
  traceIdFromHeaders,
  traceIdFromRequestHeaders,
  traceIdOfTraceparent,
} from './trace-context';

const W3C_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('trace context', () => {
  it('makes W3C-shaped ids: 32 lowercase hex digits, different each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newTraceId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is ambient inside runWithTrace, across awaits and timers, and absent outside', async () => {
    expect(currentTraceId()).toBeUndefined();
    const seen = await runWithTrace('trace-a', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const inner = await runWithTrace('trace-b', async () => currentTraceId());
      return [currentTraceId(), inner];
    });
    expect(seen).toEqual(['trace-a', 'trace-b']);
    expect(currentTraceId()).toBeUndefined();
  });

  it('starts a fresh trace when none is given or the given one is unusable', () => {
    expect(runWithTrace(undefined, () => currentTraceId())).toMatch(/^[0-9a-f]{32}$/);
    expect(runWithTrace('has space', () => currentTraceId())).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts only ids safe to log, and writes W3C ids in lowercase', () => {
    expect(normalizeTraceId(' req-1.a:b@c ')).toBe('req-1.a:b@c');
    expect(normalizeTraceId(W3C_ID.toUpperCase())).toBe(W3C_ID);
    expect(normalizeTraceId('a"b')).toBeUndefined();
    expect(normalizeTraceId('x\ny')).toBeUndefined();
    expect(normalizeTraceId('x'.repeat(129))).toBeUndefined();
    expect(normalizeTraceId(42)).toBeUndefined();
  });

  it('reads the trace id of a W3C traceparent and refuses invalid ones', () => {
    expect(traceIdOfTraceparent(`00-${W3C_ID}-00f067aa0ba902b7-01`)).toBe(W3C_ID);
    expect(traceIdOfTraceparent(`01-${W3C_ID}-00f067aa0ba902b7-00-future`)).toBe(W3C_ID);
    expect(traceIdOfTraceparent(`ff-${W3C_ID}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceIdOfTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceIdOfTraceparent(`00-${W3C_ID}-${'0'.repeat(16)}-01`)).toBeUndefined();
    expect(traceIdOfTraceparent('garbage')).toBeUndefined();
  });

  it('reads Kafka headers (Buffers) and HTTP headers (strings), x-trace-id before traceparent', () => {
    expect(traceIdFromHeaders({ 'x-trace-id': Buffer.from('trace-1') })).toBe('trace-1');
    expect(traceIdFromHeaders({ 'X-Trace-Id': 'trace-2' })).toBe('trace-2');
    expect(traceIdFromHeaders({ 'x-trace-id': 'trace-3', traceparent: `00-${W3C_ID}-00f067aa0ba902b7-01` })).toBe('trace-3');
    expect(traceIdFromHeaders({ traceparent: Buffer.from(`00-${W3C_ID}-00f067aa0ba902b7-01`) })).toBe(W3C_ID);
    expect(traceIdFromHeaders({ 'x-trace-id': ['trace-4', 'trace-5'] })).toBe('trace-4');
    expect(traceIdFromHeaders({ 'x-request-id': 'req-1' })).toBeUndefined();
    expect(traceIdFromRequestHeaders({ 'x-request-id': 'req-1' })).toBe('req-1');
    expect(traceIdFromHeaders(undefined)).toBeUndefined();
  });

  it('writes x-trace-id always and a sampled traceparent for W3C-shaped ids, each hop with a new span id', () => {
    const first = traceHeaders(W3C_ID);
    const second = traceHeaders(W3C_ID);
    expect(first['x-trace-id']).toBe(W3C_ID);
    expect(first.traceparent).toMatch(new RegExp(`^00-${W3C_ID}-[0-9a-f]{16}-01$`));
    expect(first.traceparent).not.toBe(second.traceparent);
    expect(traceIdFromHeaders({ traceparent: first.traceparent })).toBe(W3C_ID);
    expect(traceHeaders('req-1')).toEqual({ 'x-trace-id': 'req-1' });
    expect(traceHeaders(undefined)).toEqual({});
  });
});
