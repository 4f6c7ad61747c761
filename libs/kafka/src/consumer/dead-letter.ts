import { IHeaders, KafkaMessage } from 'kafkajs';
import { DeadLetterHeaders, ReplayHeaders, deadLetterTopicOf } from '@libs/contracts';
import { OutgoingMessage } from '../producer/event-publisher';
import { errorCodeOf } from './retry-policy';

const MAX_ERROR_HEADER = 2_000;

export interface FailedDelivery {
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: unknown;
  attempts: number;
  groupId: string;
  now?: Date;
}

/** The dead-letter copy keeps the original key, value and headers, and says why it failed. */
export function toDeadLetter(failure: FailedDelivery): { topic: string; message: OutgoingMessage } {
  const error = failure.error instanceof Error ? failure.error.message : String(failure.error);
  const headers: IHeaders = {
    ...failure.message.headers,
    [DeadLetterHeaders.Error]: error.slice(0, MAX_ERROR_HEADER),
    [DeadLetterHeaders.ErrorCode]: errorCodeOf(failure.error),
    [DeadLetterHeaders.Attempts]: String(failure.attempts),
    [DeadLetterHeaders.OriginalTopic]: failure.topic,
    [DeadLetterHeaders.OriginalPartition]: String(failure.partition),
    [DeadLetterHeaders.OriginalOffset]: failure.message.offset,
    [DeadLetterHeaders.ConsumerGroup]: failure.groupId,
    [DeadLetterHeaders.FailedAt]: (failure.now ?? new Date()).toISOString(),
  };
  return {
    topic: deadLetterTopicOf(failure.topic),
    message: { key: failure.message.key, value: failure.message.value ?? Buffer.alloc(0), headers },
  };
}

/** For replay: the original headers without the dead-letter annotations, plus a replay trail. */
export function fromDeadLetter(message: KafkaMessage, deadLetterTopic: string, partition: number): OutgoingMessage {
  const headers: IHeaders = {};
  const dlqHeaderNames = new Set<string>(Object.values(DeadLetterHeaders));
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!dlqHeaderNames.has(name) && value !== undefined) headers[name] = value;
  }
  const previous = Number(headerString(message.headers, ReplayHeaders.ReplayCount) ?? '0');
  headers[ReplayHeaders.ReplayCount] = String(previous + 1);
  headers[ReplayHeaders.ReplayedFrom] = `${deadLetterTopic}/${partition}/${message.offset}`;
  return { key: message.key, value: message.value ?? Buffer.alloc(0), headers };
}

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}
