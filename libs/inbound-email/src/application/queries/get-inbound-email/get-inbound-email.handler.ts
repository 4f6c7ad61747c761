import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InboundEmailRecord } from '../../../domain/inbound-email';
import { InboundEmailNotFoundError } from '../../../domain/inbound-email.errors';
import { INBOUND_EMAIL_REPOSITORY, InboundEmailRepository } from '../../../domain/inbound-email-repository.port';
import { GetInboundEmailQuery } from './get-inbound-email.query';

@QueryHandler(GetInboundEmailQuery)
export class GetInboundEmailHandler implements IQueryHandler<GetInboundEmailQuery, InboundEmailRecord> {
  constructor(@Inject(INBOUND_EMAIL_REPOSITORY) private readonly repository: InboundEmailRepository) {}

  async execute({ inboundEmailId }: GetInboundEmailQuery): Promise<InboundEmailRecord> {
    const record = await this.repository.findById(inboundEmailId);
    if (!record) throw new InboundEmailNotFoundError();
    return record;
  }
}
