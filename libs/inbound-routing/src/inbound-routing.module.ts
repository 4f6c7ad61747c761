import { DynamicModule, InjectionToken, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MongooseModule } from '@nestjs/mongoose';
import { ProcessInboundEmailHandler } from './application/commands/process-inbound-email/process-inbound-email.handler';
import { BOUNCE_SENDER, BOUNCE_THROTTLE } from './domain/bounce.ports';
import { INBOUND_ROUTING_OPTIONS, InboundRoutingOptions } from './inbound-routing.options';
import { BOUNCE_LOG_MODEL, BounceLogSchema, MongoBounceThrottle } from './infrastructure/mongo-bounce-throttle';
import { SmtpBounceSender } from './infrastructure/smtp-bounce-sender';

export interface InboundRoutingModuleOptions {
  inject: InjectionToken[];
  useFactory: (...args: any[]) => InboundRoutingOptions & { smtpUrl: string };
}

/**
 * The relay's use case: ProcessInboundEmailCommand. Stands on the conversations, identity and
 * inbound-email handlers (through the buses), the blob store, MongoDB and SMTP for bounces.
 */
@Module({})
export class InboundRoutingModule {
  static forRootAsync(options: InboundRoutingModuleOptions): DynamicModule {
    return {
      module: InboundRoutingModule,
      imports: [CqrsModule, MongooseModule.forFeature([{ name: BOUNCE_LOG_MODEL, schema: BounceLogSchema }])],
      providers: [
        { provide: INBOUND_ROUTING_OPTIONS, inject: options.inject, useFactory: options.useFactory },
        { provide: BOUNCE_SENDER, inject: [INBOUND_ROUTING_OPTIONS], useFactory: (o: { smtpUrl: string }) => new SmtpBounceSender(o.smtpUrl) },
        { provide: BOUNCE_THROTTLE, useClass: MongoBounceThrottle },
        ProcessInboundEmailHandler,
      ],
    };
  }
}
