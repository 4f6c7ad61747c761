import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { KafkaContext } from '@nestjs/microservices';
import { INBOUND_EMAIL_RECEIVED, InboundEmailReceivedEvent } from '@libs/contracts';
import { ProcessInboundEmailCommand } from '@libs/inbound-routing';
import { currentTraceId } from '@libs/observability';
import { InboundEmailConsumer } from './inbound-email.consumer';

const W3C_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const event = (traceId: string): InboundEmailReceivedEvent =>
  ({
    id: 'evt-1',
    type: INBOUND_EMAIL_RECEIVED,
    version: 1,
    occurredAt: '2025-03-01T12:00:00.000Z',
    data: { inboundEmailId: 'ie-1', traceId, blobKey: 'raw/ie-1', size: 10, provider: 'mta', envelope: { sender: 'a@b.c', recipients: [] }, receivedAt: '2025-03-01T12:00:00.000Z' },
  }) as unknown as InboundEmailReceivedEvent;

const contextWith = (headers: Record<string, Buffer>) => ({ getMessage: () => ({ headers }) }) as unknown as KafkaContext;

describe('InboundEmailConsumer', () => {
  const seen: (string | undefined)[] = [];
  const logged: { msg: string; traceId: string | undefined }[] = [];
  const bus = {
    execute: async (command: ProcessInboundEmailCommand) => {
      seen.push(currentTraceId());
      return { status: 'processed', messageIds: [`m-${command.email.inboundEmailId}`], bounced: [], legacy: 0 };
    },
  } as unknown as CommandBus;
  const consumer = new InboundEmailConsumer(bus);

  beforeEach(() => {
    seen.length = 0;
    logged.length = 0;
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: { msg: string }) => void logged.push({ msg: message.msg, traceId: currentTraceId() }));
  });
  afterEach(() => jest.restoreAllMocks());

  it("handles the email inside the trace of the record's x-trace-id header, and logs where it went under it", async () => {
    await consumer.handle(event('from-payload'), contextWith({ 'x-trace-id': Buffer.from('ingress-7') }));
    expect(seen).toEqual(['ingress-7']);
    expect(logged).toEqual([{ msg: 'Inbound email ie-1: stored as 1 message(s)', traceId: 'ingress-7' }]);
  });

  it("falls back to a W3C traceparent, then to the event's own trace id", async () => {
    await consumer.handle(event('from-payload'), contextWith({ traceparent: Buffer.from(`00-${W3C_ID}-00f067aa0ba902b7-01`) }));
    await consumer.handle(event('from-payload'), contextWith({}));
    expect(seen).toEqual([W3C_ID, 'from-payload']);
  });
});
