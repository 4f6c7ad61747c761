import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { LoggingModule, LoggingOptions } from './logging/logging.module';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';

/** Logs, metrics and health for one app: `/metrics`, `/health/live`, `/health/ready`. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggingModule.forRoot(options), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        HealthRegistry,
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
}
