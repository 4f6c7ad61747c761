import { KafkaMessage } from 'kafkajs';
import { DeadLetterHeaders, ReplayHeaders } from '@libs/contracts';
import { fromDeadLetter, headerString, toDeadLetter } from './dead-letter';
import { NonRetryableError } from './retry-policy';

const original: KafkaMessage = {
  key: Buffer.from('conv-1'),
  value: Buffer.from('{"type":"x"}'),
  headers: { 'x-trace-id': Buffer.from('trace-1') },
  offset: '42',
  timestamp: '0',
  attributes: 0,
};

describe('dead letters', () => {
  it('keeps the original message and records error, attempts and origin', () => {
    const { topic, message } = toDeadLetter({
      topic: 'inbound-email.received',
      partition: 3,
      message: original,
      error: new NonRetryableError('cannot parse', 'MALFORMED_EVENT'),
      attempts: 5,
      groupId: 'relay',
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(topic).toBe('inbound-email.received.dlq');
    expect(message.key).toEqual(original.key);
    expect(message.value).toEqual(original.value);
    expect(headerString(message.headers, 'x-trace-id')).toBe('trace-1');
    expect(message.headers).toMatchObject({
      [DeadLetterHeaders.Error]: 'cannot parse',
      [DeadLetterHeaders.ErrorCode]: 'MALFORMED_EVENT',
      [DeadLetterHeaders.Attempts]: '5',
      [DeadLetterHeaders.OriginalTopic]: 'inbound-email.received',
      [DeadLetterHeaders.OriginalPartition]: '3',
      [DeadLetterHeaders.OriginalOffset]: '42',
      [DeadLetterHeaders.ConsumerGroup]: 'relay',
      [DeadLetterHeaders.FailedAt]: '2026-01-01T00:00:00.000Z',
    });
  });

  it('strips dead-letter headers on replay and counts replays', () => {
    const { message } = toDeadLetter({ topic: 't', partition: 0, message: original, error: new Error('boom'), attempts: 3, groupId: 'g' });
    const dead: KafkaMessage = { ...original, headers: message.headers ?? {}, offset: '7' };
    const replayed = fromDeadLetter(dead, 't.dlq', 1);
    expect(Object.keys(replayed.headers ?? {}).filter((h) => h.startsWith('x-dlq-'))).toEqual([]);
    expect(replayed.headers?.[ReplayHeaders.ReplayCount]).toBe('1');
    expect(replayed.headers?.[ReplayHeaders.ReplayedFrom]).toBe('t.dlq/1/7');
    expect(headerString(replayed.headers, 'x-trace-id')).toBe('trace-1');
    const again = fromDeadLetter({ ...dead, headers: replayed.headers ?? {} }, 't.dlq', 1);
    expect(again.headers?.[ReplayHeaders.ReplayCount]).toBe('2');
  });
});
