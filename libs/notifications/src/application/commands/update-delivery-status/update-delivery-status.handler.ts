import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MetricsService } from '@libs/observability';
import { canMove } from '../../../domain/delivery';
import { DELIVERY_STORE, DeliveryStore } from '../../../domain/stores.port';
import { DeliveryStatusOutcome, UpdateDeliveryStatusCommand } from './update-delivery-status.command';

/**
 * A provider's status report (webhook) or an email DSN: moves the delivery forward, never back.
 * Reports arrive late, twice or out of order; each is applied at most once.
 */
@CommandHandler(UpdateDeliveryStatusCommand)
export class UpdateDeliveryStatusHandler implements ICommandHandler<UpdateDeliveryStatusCommand, DeliveryStatusOutcome> {
  private readonly logger = new Logger(UpdateDeliveryStatusHandler.name);
  private readonly reports;

  constructor(
    @Inject(DELIVERY_STORE) private readonly store: DeliveryStore,
    metrics: MetricsService,
  ) {
    this.reports = metrics.counter('notifier_delivery_reports_total', 'Delivery status reports, by source, status and effect', ['source', 'status', 'effect']);
  }

  async execute({ update }: UpdateDeliveryStatusCommand): Promise<DeliveryStatusOutcome> {
    const current = await this.store.get(update.deliveryId);
    if (!current) {
      this.reports.inc({ source: update.source, status: update.status, effect: 'unknown-delivery' });
      this.logger.warn({ msg: `Status ${update.status} reported for unknown delivery ${update.deliveryId}`, source: update.source });
      return { status: 'unknown-delivery' };
    }
    if (!canMove(current.state, update.status) || !(await this.store.transition(update.deliveryId, update.status, update.occurredAt, { reason: update.reason ?? null, providerMessageId: update.providerMessageId ?? null, source: update.source }))) {
      this.reports.inc({ source: update.source, status: update.status, effect: 'unchanged' });
      return { status: 'unchanged', current: (await this.store.get(update.deliveryId))?.state ?? current.state };
    }
    this.reports.inc({ source: update.source, status: update.status, effect: 'updated' });
    return { status: 'updated', from: current.state, to: update.status };
  }
}
