/**
 * Kafka topic names are part of the external contract (DESIGN §6): other teams' consumers and the
 * operator tooling refer to them by these exact strings.
 */
export const Topics = {
  InboundEmailReceived: 'inbound-email.received',
  ConversationEvents: 'conversation.events',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export const DEAD_LETTER_SUFFIX = '.dlq';

export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

export function isDeadLetterTopic(topic: string): boolean {
  return topic.endsWith(DEAD_LETTER_SUFFIX);
}

export function sourceTopicOf(deadLetterTopic: string): string {
  if (!isDeadLetterTopic(deadLetterTopic)) {
    throw new Error(`"${deadLetterTopic}" is not a dead-letter topic (expected the suffix ${DEAD_LETTER_SUFFIX})`);
  }
  return deadLetterTopic.slice(0, -DEAD_LETTER_SUFFIX.length);
}

/** Every topic the system owns, with its dead-letter companion. */
export const ALL_TOPICS: readonly string[] = Object.values(Topics).flatMap((topic) => [
  topic,
  deadLetterTopicOf(topic),
]);
