import { RecordInboundEmailHandler } from './commands/record-inbound-email/record-inbound-email.handler';
import { UpdateInboundEmailStatusHandler } from './commands/update-inbound-email-status/update-inbound-email-status.handler';
import { GetInboundEmailHandler } from './queries/get-inbound-email/get-inbound-email.handler';

/** Every command and query handler of the inbound-email lib. */
export const INBOUND_EMAIL_HANDLERS = [RecordInboundEmailHandler, UpdateInboundEmailStatusHandler, GetInboundEmailHandler];
