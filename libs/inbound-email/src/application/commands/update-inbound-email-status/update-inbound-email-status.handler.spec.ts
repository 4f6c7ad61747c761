import { inboundEmailTestBed, rawEmail } from '../../../testing';
import { InboundEmailErrorCode } from '../../../domain/inbound-email.errors';
import { RecordInboundEmailCommand } from '../record-inbound-email/record-inbound-email.command';
import { UpdateInboundEmailStatusCommand } from './update-inbound-email-status.command';
import { GetInboundEmailQuery } from '../../queries/get-inbound-email/get-inbound-email.query';

describe('UpdateInboundEmailStatusHandler', () => {
  async function queuedEmail() {
    const bed = await inboundEmailTestBed();
    const { inboundEmailId } = await bed.commands.execute(
      new RecordInboundEmailCommand(rawEmail(), 'mta', { sender: null, recipients: ['a@relay.example.com'] }, 't'),
    );
    return { ...bed, inboundEmailId };
  }

  it("records the relay's outcome with its reason; the latest outcome wins", async () => {
    const { commands, clock, inboundEmailId, close } = await queuedEmail();
    clock.advance(5_000);
    await expect(commands.execute(new UpdateInboundEmailStatusCommand(inboundEmailId, 'ignored', 'no conversation alias'))).resolves.toMatchObject({
      id: inboundEmailId,
      status: 'ignored',
      statusReason: 'no conversation alias',
      statusChangedAt: new Date('2026-03-04T09:00:05Z'),
      queuedAt: new Date('2026-03-04T09:00:00Z'),
    });
    await expect(commands.execute(new UpdateInboundEmailStatusCommand(inboundEmailId, 'processed'))).resolves.toMatchObject({
      status: 'processed',
      statusReason: null,
    });
    await close();
  });

  it('refuses the ingress statuses and unknown emails', async () => {
    const { commands, inboundEmailId, close } = await queuedEmail();
    await expect(commands.execute(new UpdateInboundEmailStatusCommand(inboundEmailId, 'queued' as never))).rejects.toMatchObject({
      code: InboundEmailErrorCode.InvalidStatus,
    });
    await expect(commands.execute(new UpdateInboundEmailStatusCommand('f'.repeat(64), 'failed', 'x'))).rejects.toMatchObject({
      code: InboundEmailErrorCode.NotFound,
    });
    await close();
  });

  it('creates the record from the event when the ingress could not write it (MongoDB was down)', async () => {
    const { commands, queries, queue, repository, inboundEmailId, close } = await queuedEmail();
    const [event] = queue.events;
    repository.records.clear();
    await expect(commands.execute(new UpdateInboundEmailStatusCommand(inboundEmailId, 'processed', null, event.data))).resolves.toMatchObject({
      id: inboundEmailId,
      status: 'processed',
      blobKey: event.data.blobKey,
      queuedRecipients: ['a@relay.example.com'],
      receivedAt: new Date(event.data.receivedAt),
    });
    await expect(queries.execute(new GetInboundEmailQuery(inboundEmailId))).resolves.toMatchObject({ status: 'processed', size: event.data.size });
    await close();
  });

  it('keeps a decided record decided when a late acknowledgement marks it queued', async () => {
    const { commands, repository, inboundEmailId, close } = await queuedEmail();
    await commands.execute(new UpdateInboundEmailStatusCommand(inboundEmailId, 'processed'));
    await repository.markQueued(inboundEmailId, ['b@relay.example.com'], new Date());
    expect(repository.records.get(inboundEmailId)?.status).toBe('processed');
    await close();
  });
});
