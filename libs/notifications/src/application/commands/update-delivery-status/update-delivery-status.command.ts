import { Command } from '@nestjs/cqrs';

/** Final states a provider can report for a delivery (status webhook, email DSN). */
export type ReportedDeliveryStatus = 'delivered' | 'bounced' | 'failed';

export interface DeliveryStatusUpdate {
  /** Ours: the delivery id (the provider's idempotency key, or decoded from a VERP bounce address). */
  deliveryId: string;
  status: ReportedDeliveryStatus;
  /** Short, human-readable: the provider's reason or the DSN's status code and diagnostic. */
  reason?: string | null;
  providerMessageId?: string | null;
  occurredAt: Date;
  /** Where the report came from, for the audit trail: 'provider-webhook' | 'email-dsn'. */
  source: 'provider-webhook' | 'email-dsn';
}

export type DeliveryStatusOutcome =
  | { status: 'updated'; from: string; to: string }
  /** Already there or past it: states only move forward. */
  | { status: 'unchanged'; current: string }
  | { status: 'unknown-delivery' };

export class UpdateDeliveryStatusCommand extends Command<DeliveryStatusOutcome> {
  constructor(readonly update: DeliveryStatusUpdate) {
    super();
  }
}
