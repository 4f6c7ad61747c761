import { Kafka, logLevel } from 'kafkajs';
// Relative paths: this module is also loaded by jest's global setup, where moduleNameMapper does
// not apply.
import { ALL_TOPICS } from '../../libs/contracts/src/topics';
import { ensureTopics, waitUntilServed } from '../../libs/kafka/src/admin/topic-admin';

/**
 * Creates the product's topics as the apps create them at start (same partition count), so a
 * suite, the bench or the chaos run can read a topic before any app has run on a fresh broker.
 * Then waits until the broker serves every partition of them (a topic just created may not
 * have its leaders in the metadata yet).
 */
export async function ensureProductTopics(brokers: string[], partitions = Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 6)): Promise<void> {
  const kafka = new Kafka({ clientId: 'test-topics', brokers, logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    ALL_TOPICS.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitUntilServed(admin, ALL_TOPICS);
  } finally {
    await admin.disconnect();
  }
}
