import { Inject, Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '@libs/observability';
import { InboundEmailReceipt, InboundEmailRecord } from '../domain/inbound-email';
import { INBOUND_EMAIL_REPOSITORY, InboundEmailRepository } from '../domain/inbound-email-repository.port';
import { INBOUND_EMAIL_OPTIONS, ResolvedInboundEmailOptions } from '../inbound-email.options';
import { Circuit, CircuitOpenError, RECORDS_CIRCUIT } from './circuit';
import { withDeadline } from './deadline';

/**
 * The ingress's view of the records: best effort. An email is safe once its raw bytes are stored
 * and its event is on Kafka; the record only spares duplicate work. So while MongoDB is down or
 * slow, reads answer "unknown" and writes are skipped (logged and counted) instead of refusing
 * mail (DESIGN §8). The relay de-duplicates what then gets queued twice.
 */
@Injectable()
export class InboundEmailLedger {
  private readonly logger = new Logger(InboundEmailLedger.name);
  private readonly skipped;

  constructor(
    @Inject(INBOUND_EMAIL_REPOSITORY) private readonly repository: InboundEmailRepository,
    @Inject(INBOUND_EMAIL_OPTIONS) private readonly options: ResolvedInboundEmailOptions,
    @Inject(RECORDS_CIRCUIT) private readonly circuit: Circuit,
    metrics: MetricsService,
  ) {
    this.skipped = metrics.counter('inbound_email_record_skipped_total', 'Ingress record operations skipped because MongoDB failed or was slow', ['operation']);
  }

  find(id: string): Promise<InboundEmailRecord | null> {
    return this.attempt('find', () => this.repository.findById(id), null);
  }

  recordReceipt(receipt: InboundEmailReceipt): Promise<void> {
    return this.attempt('record', () => this.repository.recordReceipt(receipt), undefined);
  }

  markQueued(id: string, recipients: readonly string[], at: Date): Promise<void> {
    return this.attempt('mark_queued', () => this.repository.markQueued(id, recipients, at), undefined);
  }

  private async attempt<T>(operation: string, work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await this.circuit.run(() => withDeadline(work(), this.options.recordTimeoutMs, 'MongoDB'));
    } catch (error) {
      this.skipped.inc({ operation });
      if (!(error instanceof CircuitOpenError)) {
        this.logger.warn({ msg: 'Inbound email records unavailable; accepting without them for a while', operation, error: (error as Error).message });
      }
      return fallback;
    }
  }
}
