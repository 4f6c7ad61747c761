import { Kafka, logLevel } from 'kafkajs';

/**
 * Moves a consumer group to the end of a topic, so the consumers started next see only what is
 * produced from now on, not what earlier runs left behind. Fails if the group has members.
 */
export async function moveGroupToEnd(brokers: string[], groupId: string, topic: string): Promise<void> {
  const admin = new Kafka({ clientId: `bench-admin`, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.offset })) });
  } finally {
    await admin.disconnect();
  }
}
