/**
 * Kafka header names the platform sets. Dead-letter headers describe why and where a message
 * failed, so an operator can inspect it and replay it into its source topic.
 */
export const DeadLetterHeaders = {
  Error: 'x-dlq-error',
  ErrorCode: 'x-dlq-error-code',
  Attempts: 'x-dlq-attempts',
  OriginalTopic: 'x-dlq-original-topic',
  OriginalPartition: 'x-dlq-original-partition',
  OriginalOffset: 'x-dlq-original-offset',
  ConsumerGroup: 'x-dlq-consumer-group',
  FailedAt: 'x-dlq-failed-at',
} as const;

export const ReplayHeaders = {
  ReplayedFrom: 'x-replayed-from',
  ReplayCount: 'x-replay-count',
} as const;

/** Carried from ingress to notification so one email can be followed across the apps' logs. */
export const TraceHeaders = {
  TraceId: 'x-trace-id',
} as const;
