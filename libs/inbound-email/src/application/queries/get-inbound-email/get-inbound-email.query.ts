import { Query } from '@nestjs/cqrs';
import { InboundEmailRecord } from '../../../domain/inbound-email';

/**
 * One inbound email's record.
 *
 * @throws InboundEmailNotFoundError
 */
export class GetInboundEmailQuery extends Query<InboundEmailRecord> {
  constructor(readonly inboundEmailId: string) {
    super();
  }
}
