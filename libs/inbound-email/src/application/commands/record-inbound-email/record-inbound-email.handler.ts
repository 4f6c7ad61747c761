import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BLOB_STORE, BlobStore } from '@libs/blob-store';
import { inspectHeaderSection } from '../../../domain/email-structure';
import { normalizeEnvelope } from '../../../domain/envelope';
import { inboundBlobKey, inboundEmailIdOf, isAlreadyQueued } from '../../../domain/inbound-email';
import { InboundDependencyUnavailableError, InboundEmailErrorCode, InboundEmailTooLargeError } from '../../../domain/inbound-email.errors';
import { INBOUND_EMAIL_QUEUE, InboundEmailQueue } from '../../../domain/inbound-email-queue.port';
import { inboundEmailReceivedEvent } from '../../../domain/inbound-email-received.event';
import { INBOUND_CLOCK, INBOUND_EMAIL_OPTIONS, InboundClock, ResolvedInboundEmailOptions } from '../../../inbound-email.options';
import { withDeadline } from '../../deadline';
import { InboundEmailLedger } from '../../inbound-email-ledger';
import { RecordInboundEmailCommand, RecordInboundEmailResult } from './record-inbound-email.command';

const RAW_CONTENT_TYPE = 'message/rfc822';

@CommandHandler(RecordInboundEmailCommand)
export class RecordInboundEmailHandler implements ICommandHandler<RecordInboundEmailCommand, RecordInboundEmailResult> {
  constructor(
    private readonly ledger: InboundEmailLedger,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(INBOUND_EMAIL_QUEUE) private readonly queue: InboundEmailQueue,
    @Inject(INBOUND_EMAIL_OPTIONS) private readonly options: ResolvedInboundEmailOptions,
    @Inject(INBOUND_CLOCK) private readonly clock: InboundClock,
  ) {}

  async execute({ raw, provider, envelope: given, traceId }: RecordInboundEmailCommand): Promise<RecordInboundEmailResult> {
    if (raw.length > this.options.maxBytes) throw new InboundEmailTooLargeError(this.options.maxBytes);
    inspectHeaderSection(raw, this.options);
    const envelope = normalizeEnvelope(given, this.options.maxRecipients);
    const id = inboundEmailIdOf(raw);

    const known = await this.ledger.find(id);
    if (known && isAlreadyQueued(known, envelope.recipients)) return { inboundEmailId: id, duplicate: true };
    const receivedAt = known?.receivedAt ?? this.clock.now();
    const blobKey = known?.blobKey ?? inboundBlobKey(id, receivedAt);
    // The raw bytes are stored before the record is written, so a known email's are stored already.
    if (!known) await this.dependency(InboundEmailErrorCode.StorageUnavailable, this.blobs.put(blobKey, raw, { contentType: RAW_CONTENT_TYPE }));
    await this.ledger.recordReceipt({ id, blobKey, size: raw.length, provider, envelope, receivedAt });
    const event = inboundEmailReceivedEvent({ inboundEmailId: id, blobKey, size: raw.length, provider, envelope, receivedAt, traceId }, this.clock.now());
    await this.dependency(InboundEmailErrorCode.QueueUnavailable, this.queue.enqueue(event));
    await this.ledger.markQueued(id, envelope.recipients, this.clock.now());
    return { inboundEmailId: id, duplicate: false };
  }

  private async dependency<T>(
    code: InboundEmailErrorCode.StorageUnavailable | InboundEmailErrorCode.QueueUnavailable,
    work: Promise<T>,
  ): Promise<T> {
    try {
      return await withDeadline(work, this.options.dependencyTimeoutMs, code === InboundEmailErrorCode.StorageUnavailable ? 'The blob store' : 'Kafka');
    } catch (error) {
      throw new InboundDependencyUnavailableError(code, error);
    }
  }
}
