import { inboundEmailTestBed, rawEmail } from '../../../testing';
import { InboundEmailErrorCode } from '../../../domain/inbound-email.errors';
import { RecordInboundEmailCommand } from '../../commands/record-inbound-email/record-inbound-email.command';
import { GetInboundEmailQuery } from './get-inbound-email.query';

describe('GetInboundEmailHandler', () => {
  it('returns the record of a received email, and not-found for any other id', async () => {
    const { commands, queries, close } = await inboundEmailTestBed();
    const raw = rawEmail();
    const { inboundEmailId } = await commands.execute(
      new RecordInboundEmailCommand(raw, 'mta', { sender: 'Bob@Example.com', recipients: ['a@relay.example.com'] }, 't'),
    );
    await expect(queries.execute(new GetInboundEmailQuery(inboundEmailId))).resolves.toEqual({
      id: inboundEmailId,
      blobKey: `inbound/2026/03/04/${inboundEmailId}.eml`,
      size: raw.length,
      provider: 'mta',
      envelope: { sender: 'bob@example.com', recipients: ['a@relay.example.com'] },
      receivedAt: new Date('2026-03-04T09:00:00Z'),
      queuedAt: new Date('2026-03-04T09:00:00Z'),
      queuedRecipients: ['a@relay.example.com'],
      status: 'queued',
      statusReason: null,
      statusChangedAt: new Date('2026-03-04T09:00:00Z'),
    });
    await expect(queries.execute(new GetInboundEmailQuery('0'.repeat(64)))).rejects.toMatchObject({ code: InboundEmailErrorCode.NotFound });
    await close();
  });
});
