import { Admin, Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
}

/**
 * Creates the topics an app needs if they are missing; topics that exist are left as they are
 * (several instances may start at once, so "already exists" is success).
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.numPartitions,
        replicationFactor: spec.replicationFactor,
        configEntries:
          spec.replicationFactor >= 3 ? [{ name: 'min.insync.replicas', value: String(spec.replicationFactor - 1) }] : [],
      })),
    });
    return missing.map((spec) => spec.topic);
  } catch (error) {
    if ((error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return [];
    throw error;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until the broker answers offsets for every partition of these topics: a topic just
 * created can be missing from the metadata for a moment even after its leaders are elected
 * ("This server does not host this topic-partition").
 */
export async function waitUntilServed(admin: Admin, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      for (const topic of topics) await admin.fetchTopicOffsets(topic);
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        throw new Error(`Kafka does not serve ${topics.join(', ')} after ${timeoutMs / 1000} s: ${(error as Error).message}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
