import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { currentTraceId } from '../tracing/trace-context';
import { requestTraceId } from '../tracing/trace.middleware';
import { maskEmails, redactValue } from './redact';

export interface LoggingOptions {
  service: string;
  level: string;
  pretty?: boolean;
  /** Where log lines go instead of stdout (tests read them). */
  destination?: { write(line: string): void };
}

/**
 * Structured JSON logs (pino) with one logger per class. Every log line passes through the
 * redaction above, so callers cannot leak an address or a message body by accident, and every
 * line written inside a trace carries its `traceId` (an HTTP request's id is its trace id).
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: withDestination(options.destination, {
            level: options.level,
            base: { service: options.service },
            genReqId: (req: IncomingMessage) => requestTraceId(req),
            mixin: () => {
              const traceId = currentTraceId();
              return traceId ? { traceId } : {};
            },
            autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskEmails(req.url) }),
              // The standard serializer leaves statusCode null unless headers went out; the raw response knows.
              res: (res: { statusCode: number | null; raw?: { statusCode?: number } }) => ({ statusCode: res.statusCode ?? res.raw?.statusCode ?? null }),
              err: (err: unknown) => redactValue(err),
            },
            formatters: {
              log: (object: Record<string, unknown>) => redactValue(object) as Record<string, unknown>,
            },
            hooks: {
              logMethod(args, method) {
                method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskEmails(arg) : arg)) as Parameters<typeof method>);
              },
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

function withDestination<T>(destination: LoggingOptions['destination'], options: T): T | [T, NonNullable<LoggingOptions['destination']>] {
  return destination ? [options, destination] : options;
}
