import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { LoggingModule, LoggingOptions } from './logging/logging.module';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { TraceMiddleware } from './tracing/trace.middleware';

/**
 * Logs, metrics and health for one app: `/metrics`, `/health/live`, `/health/ready`; every HTTP
 * request handled inside its trace and timed.
 */
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggingModule.forRoot(options), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        HealthRegistry,
        HttpMetricsMiddleware,
        {
          provide: MetricsService,
          useFactory: () => {
            const metrics = new MetricsService();
            metrics.setDefaultLabels({ service: options.service });
            return metrics;
          },
        },
      ],
      exports: [HealthRegistry, MetricsService, LoggingModule],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Same route spelling as the request logger's, so both see every request.
    consumer.apply(TraceMiddleware, HttpMetricsMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
