export * from './observability.module';
export * from './metrics/metrics.service';
export * from './health/health-registry';
export * from './logging/redact';
export * from './tracing/trace-context';
export { requestTraceId } from './tracing/trace.middleware';
