import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { maskEmails, redactValue } from './redact';

export interface LoggingOptions {
  service: string;
  level: string;
  pretty?: boolean;
}

/**
 * Structured JSON logs (pino) with one logger per class. Every log line passes through the
 * redaction above, so callers cannot leak an address or a message body by accident.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { service: options.service },
            genReqId: (req: IncomingMessage) => (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
            autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskEmails(req.url) }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
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
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
