import { DynamicModule, InjectionToken, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NOTIFICATION_ROUTING } from '@libs/notifications';
import { LEGACY_SYSTEM, LegacySystem } from '../domain/legacy-system.port';
import { LegacyNotificationRouting } from './legacy-notification-routing';
import { LEGACY_ROUTING_OPTIONS, LegacyRoutingOptions } from './legacy-routing.options';
import { ParityChecker } from './parity-checker';
import { GetParityReportHandler } from './parity-report.handler';

/**
 * Suppress and parallel for the notifier: binds the notifications lib's NOTIFICATION_ROUTING
 * (global, so the notifier's fan-out sees it) when a legacy system is configured; without one
 * the binding is null and every message takes the new path. Also runs the parity checker.
 * Needs RolloutModule (global) and LegacyCallsModule in the app.
 */
@Module({})
export class LegacyNotificationRoutingModule {
  static forRootAsync(options: { inject?: InjectionToken[]; useFactory: (...args: any[]) => LegacyRoutingOptions }): DynamicModule {
    return {
      module: LegacyNotificationRoutingModule,
      global: true,
      imports: [CqrsModule],
      providers: [
        { provide: LEGACY_ROUTING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        LegacyNotificationRouting,
        ParityChecker,
        {
          provide: NOTIFICATION_ROUTING,
          inject: [LEGACY_SYSTEM, LegacyNotificationRouting],
          useFactory: (legacy: LegacySystem | null, routing: LegacyNotificationRouting) => (legacy ? routing : null),
        },
      ],
      exports: [NOTIFICATION_ROUTING, ParityChecker],
    };
  }

  /** The parity report query only (the gateway's admin API). */
  static reports(): DynamicModule {
    return { module: LegacyNotificationRoutingModule, imports: [CqrsModule], providers: [GetParityReportHandler] };
  }
}
