import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@libs/config';
import { InboundEmailModule } from '@libs/inbound-email';
import { GatewayConfig } from '../gateway.config';
import { INBOUND_LIMITS, InboundIngressSettings } from './inbound-ingress.constants';
import { IngressTelemetry } from './ingress-telemetry';
import { MailgunIngressController } from './mailgun-ingress.controller';
import { RawIngressController } from './raw-ingress.controller';

/** The inbound email ingresses (DESIGN §6): Mailgun's forward and raw MIME from an MTA. */
@Module({
  imports: [
    InboundEmailModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: GatewayConfig) => ({
        maxBytes: c.INBOUND_MAX_BYTES,
        maxRecipients: c.INBOUND_MAX_RECIPIENTS,
        maxHeaderLineBytes: c.INBOUND_MAX_HEADER_LINE_BYTES,
        dependencyTimeoutMs: c.INBOUND_DEPENDENCY_TIMEOUT_MS,
        mailgun: { signingKey: c.MAILGUN_SIGNING_KEY, maxAgeSeconds: c.MAILGUN_MAX_AGE_SECONDS },
      }),
    }),
  ],
  controllers: [MailgunIngressController, RawIngressController],
  providers: [
    IngressTelemetry,
    {
      provide: INBOUND_LIMITS,
      inject: [APP_CONFIG],
      useFactory: (c: GatewayConfig): InboundIngressSettings => ({
        maxBytes: c.INBOUND_MAX_BYTES,
        maxHeaderLineBytes: c.INBOUND_MAX_HEADER_LINE_BYTES,
        inboundPassword: c.INBOUND_PASSWORD,
      }),
    },
  ],
})
export class InboundIngressModule {}
