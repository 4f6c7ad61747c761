import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InboundEmailReceivedData } from '@libs/contracts';
import { InboundEmailReceipt, InboundEmailRecord, INBOUND_EMAIL_OUTCOMES, isInboundEmailOutcome } from '../../../domain/inbound-email';
import { InboundEmailErrorCode, InboundEmailNotFoundError, InvalidInboundEmailError } from '../../../domain/inbound-email.errors';
import { INBOUND_EMAIL_REPOSITORY, InboundEmailRepository } from '../../../domain/inbound-email-repository.port';
import { INBOUND_CLOCK, InboundClock } from '../../../inbound-email.options';
import { UpdateInboundEmailStatusCommand } from './update-inbound-email-status.command';

const MAX_REASON_LENGTH = 500;

@CommandHandler(UpdateInboundEmailStatusCommand)
export class UpdateInboundEmailStatusHandler implements ICommandHandler<UpdateInboundEmailStatusCommand, InboundEmailRecord> {
  constructor(
    @Inject(INBOUND_EMAIL_REPOSITORY) private readonly repository: InboundEmailRepository,
    @Inject(INBOUND_CLOCK) private readonly clock: InboundClock,
  ) {}

  async execute({ inboundEmailId, status, reason, received }: UpdateInboundEmailStatusCommand): Promise<InboundEmailRecord> {
    // Checked at run time too: the relay builds the status from its own decisions.
    if (!isInboundEmailOutcome(status)) {
      throw new InvalidInboundEmailError(InboundEmailErrorCode.InvalidStatus, `Status must be one of ${INBOUND_EMAIL_OUTCOMES.join(', ')}.`);
    }
    const ifMissing = received && received.inboundEmailId === inboundEmailId ? receiptOf(received) : null;
    const updated = await this.repository.setOutcome(inboundEmailId, status, reason?.slice(0, MAX_REASON_LENGTH) ?? null, this.clock.now(), ifMissing);
    if (!updated) throw new InboundEmailNotFoundError();
    return updated;
  }
}

function receiptOf(data: InboundEmailReceivedData): InboundEmailReceipt {
  return {
    id: data.inboundEmailId,
    blobKey: data.blobKey,
    size: data.size,
    provider: data.provider,
    envelope: { sender: data.envelope.sender, recipients: [...data.envelope.recipients] },
    receivedAt: new Date(data.receivedAt),
  };
}
