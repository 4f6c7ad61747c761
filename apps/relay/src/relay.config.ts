import { AppConfig, loadConfigOrExit } from '@libs/config';

const SECTIONS = ['http', 'mongo', 'kafka', 'blob', 'smtp', 'alias', 'identity', 'conversations', 'legacy', 'relay', 'notify'] as const;
export type RelayConfig = AppConfig<(typeof SECTIONS)[number]>;

/**
 * Emails are keyed by their own id, so any two can be decided side by side: several partitions
 * at once and several emails of one batch at once (duplicates of one email share its key and
 * stay in order). Conversation writes are optimistic and per-document atomic, so two emails to
 * one conversation at once take turns through the log's position conflicts.
 */
export function loadRelayConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  return loadConfigOrExit({ KAFKA_PARTITION_CONCURRENCY: '6', KAFKA_KEY_CONCURRENCY: '8', ...env }, { service: 'relay', sections: SECTIONS, defaultPort: 3001 });
}
