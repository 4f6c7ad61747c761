import { Kafka, logLevel, LogEntry } from 'kafkajs';
import { Logger } from '@nestjs/common';

export interface KafkaConfig {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID?: string;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_REPLICATION_FACTOR: number;
  KAFKA_CONSUMER_MAX_ATTEMPTS: number;
  KAFKA_RETRY_INITIAL_MS: number;
  KAFKA_RETRY_MAX_MS: number;
  KAFKA_SESSION_TIMEOUT_MS?: number;
  KAFKA_KEY_CONCURRENCY?: number;
  KAFKA_PARTITION_CONCURRENCY?: number;
  KAFKA_LAG_CHECK_MS?: number;
  SERVICE_NAME: string;
}

const LEVELS: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs is in maintenance mode; it is created in this one place only, so moving to another
 * client later touches this lib and nothing else.
 */
export function createKafkaClient(config: Pick<KafkaConfig, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID' | 'SERVICE_NAME'>): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID ?? config.SERVICE_NAME,
    brokers: config.KAFKA_BROKERS,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        logger[LEVELS[level] ?? 'log']({ msg: message, ...extra });
      },
  });
}
