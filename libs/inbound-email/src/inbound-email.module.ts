import { DynamicModule, InjectionToken, Module, ModuleMetadata } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MongooseModule } from '@nestjs/mongoose';
import { Circuit, RECORDS_CIRCUIT } from './application/circuit';
import { INBOUND_EMAIL_HANDLERS } from './application/handlers';
import { InboundEmailLedger } from './application/inbound-email-ledger';
import { MailgunWebhookVerifier } from './application/mailgun/mailgun-webhook-verifier';
import { INBOUND_EMAIL_QUEUE } from './domain/inbound-email-queue.port';
import { INBOUND_EMAIL_REPOSITORY } from './domain/inbound-email-repository.port';
import { MAILGUN_TOKEN_STORE } from './domain/mailgun-token-store.port';
import {
  INBOUND_CLOCK,
  INBOUND_EMAIL_OPTIONS,
  InboundClock,
  InboundEmailOptions,
  ResolvedInboundEmailOptions,
  resolveInboundEmailOptions,
  systemInboundClock,
} from './inbound-email.options';
import { KafkaInboundEmailQueue } from './infrastructure/kafka/kafka-inbound-email.queue';
import {
  INBOUND_EMAIL_MODEL,
  InboundEmailSchema,
  MAILGUN_TOKEN_MODEL,
  MailgunTokenSchema,
} from './infrastructure/persistence/inbound-email.schemas';
import { MongoInboundEmailRepository } from './infrastructure/persistence/mongo-inbound-email.repository';
import { MongoMailgunTokenStore } from './infrastructure/persistence/mongo-mailgun-token.store';

export interface InboundEmailModuleOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => InboundEmailOptions;
}

/**
 * Inbound emails: RecordInboundEmailCommand (the ingresses), UpdateInboundEmailStatusCommand
 * (the relay), GetInboundEmailQuery, and the MailgunWebhookVerifier for the Mailgun ingress.
 *
 * Stands on the platform: MongoDB (records, Mailgun tokens), the blob store (BLOB_STORE: raw
 * bytes) and Kafka (EventPublisher). The app imports `CqrsModule.forRoot()` once; this module
 * only contributes handlers.
 */
@Module({})
export class InboundEmailModule {
  static forRootAsync(options: InboundEmailModuleOptions): DynamicModule {
    return {
      module: InboundEmailModule,
      imports: [
        CqrsModule,
        MongooseModule.forFeature([
          { name: INBOUND_EMAIL_MODEL, schema: InboundEmailSchema },
          { name: MAILGUN_TOKEN_MODEL, schema: MailgunTokenSchema },
        ]),
        ...(options.imports ?? []),
      ],
      providers: [
        {
          provide: INBOUND_EMAIL_OPTIONS,
          inject: options.inject ?? [],
          useFactory: (...args: unknown[]) => resolveInboundEmailOptions(options.useFactory(...args)),
        },
        { provide: INBOUND_CLOCK, useValue: systemInboundClock },
        {
          provide: RECORDS_CIRCUIT,
          inject: [INBOUND_EMAIL_OPTIONS, INBOUND_CLOCK],
          useFactory: (o: ResolvedInboundEmailOptions, clock: InboundClock) => new Circuit('MongoDB', o.recordRetryAfterMs, () => clock.now().getTime()),
        },
        { provide: INBOUND_EMAIL_REPOSITORY, useClass: MongoInboundEmailRepository },
        { provide: MAILGUN_TOKEN_STORE, useClass: MongoMailgunTokenStore },
        { provide: INBOUND_EMAIL_QUEUE, useClass: KafkaInboundEmailQueue },
        InboundEmailLedger,
        MailgunWebhookVerifier,
        ...INBOUND_EMAIL_HANDLERS,
      ],
      exports: [MailgunWebhookVerifier, INBOUND_EMAIL_OPTIONS],
    };
  }
}
