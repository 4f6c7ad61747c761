import { InboundEmailOutcome, InboundEmailReceipt, InboundEmailRecord, InboundEmailStatus } from '../domain/inbound-email';
import { InboundEmailRepository } from '../domain/inbound-email-repository.port';
import { act, Fault } from './fault';

export class InMemoryInboundEmailRepository implements InboundEmailRepository {
  readonly records = new Map<string, InboundEmailRecord>();
  fault: Fault = 'none';

  findById(id: string): Promise<InboundEmailRecord | null> {
    return act(this.fault, 'MongoDB', () => {
      const record = this.records.get(id);
      return record ? structuredClone(record) : null;
    });
  }

  recordReceipt(receipt: InboundEmailReceipt): Promise<void> {
    return act(this.fault, 'MongoDB', () => {
      const existing = this.records.get(receipt.id);
      if (existing) {
        existing.envelope.recipients = union(existing.envelope.recipients, receipt.envelope.recipients);
        return;
      }
      this.records.set(receipt.id, {
        ...structuredClone(receipt),
        queuedAt: null,
        queuedRecipients: [],
        status: InboundEmailStatus.Received,
        statusReason: null,
        statusChangedAt: null,
      });
    });
  }

  markQueued(id: string, recipients: readonly string[], at: Date): Promise<void> {
    return act(this.fault, 'MongoDB', () => {
      const record = this.records.get(id);
      if (!record) return;
      record.queuedRecipients = union(record.queuedRecipients, recipients);
      record.queuedAt ??= at;
      if (record.status === InboundEmailStatus.Received) {
        record.status = InboundEmailStatus.Queued;
        record.statusChangedAt = at;
      }
    });
  }

  setOutcome(id: string, status: InboundEmailOutcome, reason: string | null, at: Date, ifMissing?: InboundEmailReceipt | null): Promise<InboundEmailRecord | null> {
    return act(this.fault, 'MongoDB', () => {
      if (!this.records.has(id) && ifMissing) {
        this.records.set(id, { ...structuredClone(ifMissing), queuedAt: at, queuedRecipients: [...ifMissing.envelope.recipients], status, statusReason: reason, statusChangedAt: at });
      }
      const record = this.records.get(id);
      if (!record) return null;
      Object.assign(record, { status, statusReason: reason, statusChangedAt: at });
      return structuredClone(record);
    });
  }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
