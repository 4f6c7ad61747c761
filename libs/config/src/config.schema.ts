import { z } from 'zod';

/**
 * Which parts of the configuration an app needs. Each app validates only what it uses, so the
 * notifier does not demand the Mailgun key and the gateway does not demand SMTP (twenty's
 * conditional validation).
 */
export type ConfigSection = 'http' | 'mongo' | 'kafka' | 'blob' | 'inbound' | 'auth' | 'smtp' | 'alias' | 'conversations' | 'identity' | 'relay' | 'legacy' | 'notify' | 'notifier';

const LOCAL_DEFAULTS: Record<string, string> = {
  MONGO_URL: 'mongodb://127.0.0.1:27017/conversation-alias',
  KAFKA_BROKERS: '127.0.0.1:9092',
  S3_BUCKET: 'conversation-alias',
  S3_REGION: 'us-east-1',
  ALIAS_DOMAIN: 'relay.localhost',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MAILGUN_SIGNING_KEY: 'local-mailgun-signing-key-not-for-production',
  INBOUND_PASSWORD: 'local-inbound-password',
  JWT_SECRET: 'local-jwt-secret-not-for-production-0123456789',
  NOTIFIER_SIGNING_SECRET: 'local-notifier-signing-secret-not-for-production',
  NOTIFY_PROVIDER_WEBHOOK_SECRET: 'local-provider-webhook-secret-not-for-production',
};

const port = (name: string) =>
  z.coerce
    .number({ invalid_type_error: `${name} must be a TCP port number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be between 1 and 65535`)
    .max(65535, `${name} must be between 1 and 65535`);

const positiveInt = (name: string) =>
  z.coerce.number({ invalid_type_error: `${name} must be a number` }).int().positive(`${name} must be > 0`);

const nonNegativeInt = (name: string) =>
  z.coerce.number({ invalid_type_error: `${name} must be a number` }).int(`${name} must be a whole number`).min(0, `${name} must be >= 0`);

const url = (name: string, protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a ${protocols.join(' or ')} URL, for example ${example}` },
  );

const brokers = z
  .string()
  .transform((value) => value.split(',').map((b) => b.trim()).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((b) => /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(b)), {
    message: 'expected a comma-separated list of host:port, for example 127.0.0.1:9092',
  });

const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const domainName = z.string().regex(DOMAIN_PATTERN, 'expected a domain name, for example relay.example.com');

const baseSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVICE_NAME: z.string().min(1),
});

const sections = {
  http: z.object({
    PORT: port('PORT'),
    HOST: z.string().min(1).default('0.0.0.0'),
  }),
  mongo: z.object({
    MONGO_URL: url('MONGO_URL', ['mongodb:', 'mongodb+srv:'], 'mongodb://127.0.0.1:27017/conversation-alias'),
  }),
  kafka: z.object({
    KAFKA_BROKERS: brokers,
    KAFKA_CLIENT_ID: z.string().min(1).optional(),
    KAFKA_TOPIC_PARTITIONS: positiveInt('KAFKA_TOPIC_PARTITIONS').default(6),
    KAFKA_REPLICATION_FACTOR: positiveInt('KAFKA_REPLICATION_FACTOR').default(1),
    KAFKA_CONSUMER_MAX_ATTEMPTS: positiveInt('KAFKA_CONSUMER_MAX_ATTEMPTS').default(5),
    KAFKA_RETRY_INITIAL_MS: positiveInt('KAFKA_RETRY_INITIAL_MS').default(200),
    KAFKA_RETRY_MAX_MS: positiveInt('KAFKA_RETRY_MAX_MS').default(10_000),
    /** A consumer that stops heartbeating (crashed) loses its partitions after this long. */
    KAFKA_SESSION_TIMEOUT_MS: positiveInt('KAFKA_SESSION_TIMEOUT_MS').default(10_000),
    /** Messages of one fetched batch with different keys handled at once (one key stays in order). */
    KAFKA_KEY_CONCURRENCY: positiveInt('KAFKA_KEY_CONCURRENCY').default(1),
    /** Partitions of this consumer handled at once (kafkajs partitionsConsumedConcurrently). */
    KAFKA_PARTITION_CONCURRENCY: positiveInt('KAFKA_PARTITION_CONCURRENCY').default(1),
    /** How often a consumer also reads its partitions' lag from Kafka (kafka_consumer_lag); 0: off. */
    KAFKA_LAG_CHECK_MS: nonNegativeInt('KAFKA_LAG_CHECK_MS').default(30_000),
  }),
  blob: z
    .object({
      S3_ENDPOINT: url('S3_ENDPOINT', ['http:', 'https:'], 'http://127.0.0.1:7070').optional(),
      S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)').optional(),
      S3_ACCESS_KEY_ID: z.string().min(1).optional(),
      S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
      S3_REGION: z.string().min(1).optional(),
      S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
      BLOB_DIR: z.string().min(1).default('.data/blobs'),
    })
    .superRefine((value, ctx) => {
      // S3 settings are required only when the S3 adapter is chosen (S3_ENDPOINT set).
      if (!value.S3_ENDPOINT) return;
      for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_REGION'] as const) {
        if (!value[key]) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'required when S3_ENDPOINT is set' });
        }
      }
    }),
  inbound: z.object({
    MAILGUN_SIGNING_KEY: z.string().min(16, 'must be at least 16 characters'),
    INBOUND_PASSWORD: z.string().min(8, 'must be at least 8 characters'),
    INBOUND_MAX_BYTES: positiveInt('INBOUND_MAX_BYTES').default(25 * 1024 * 1024),
    /** Envelope recipients one delivery may name; more is refused (400), not truncated. */
    INBOUND_MAX_RECIPIENTS: positiveInt('INBOUND_MAX_RECIPIENTS').default(100),
    /** Longest single line in an email's header section. */
    INBOUND_MAX_HEADER_LINE_BYTES: positiveInt('INBOUND_MAX_HEADER_LINE_BYTES').default(64 * 1024),
    /** How long an ingress waits for the blob store, then for Kafka, before answering 503. */
    INBOUND_DEPENDENCY_TIMEOUT_MS: positiveInt('INBOUND_DEPENDENCY_TIMEOUT_MS').default(15_000),
    /** Mailgun posts whose timestamp is further than this from now, either way, are refused as stale. */
    MAILGUN_MAX_AGE_SECONDS: positiveInt('MAILGUN_MAX_AGE_SECONDS').default(300),
  }),
  auth: z.object({
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 key)'),
  }),
  smtp: z.object({
    SMTP_URL: url('SMTP_URL', ['smtp:', 'smtps:'], 'smtp://user:pass@127.0.0.1:1025'),
    /** Senders whose mail is quarantined: exact addresses or `@domain`, comma-separated. */
    SENDER_BLOCKLIST: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)),
  }),
  alias: z.object({
    ALIAS_DOMAIN: domainName,
    /** Domains of the legacy system whose UUID-style aliases keep routing. */
    LEGACY_ALIAS_DOMAINS: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean))
      .refine((list) => list.every((d) => DOMAIN_PATTERN.test(d)), { message: 'expected a comma-separated list of domain names' }),
  }),
  identity: z.object({
    /** Set: accounts live in an external identity service (docs/identity-service.md). Unset: MongoDB. */
    IDENTITY_SERVICE_URL: url('IDENTITY_SERVICE_URL', ['http:', 'https:'], 'https://identity.internal').optional(),
    IDENTITY_SERVICE_TOKEN: z.string().min(1).optional(),
    IDENTITY_SERVICE_TIMEOUT_MS: positiveInt('IDENTITY_SERVICE_TIMEOUT_MS').default(2_000),
  }),
  legacy: z.object({
    /** Set: legacy aliases are handed to the legacy system (docs/legacy-system.md). Unset: only logged. */
    LEGACY_SYSTEM_URL: url('LEGACY_SYSTEM_URL', ['http:', 'https:'], 'https://legacy.internal/bridge').optional(),
    LEGACY_SYSTEM_TIMEOUT_MS: positiveInt('LEGACY_SYSTEM_TIMEOUT_MS').default(5_000),
    /** How often every app re-reads the rollouts (a change is effective everywhere within this). */
    ROLLOUT_REFRESH_MS: positiveInt('ROLLOUT_REFRESH_MS').default(1_000),
    /** Mode of a use case with no rollout stored. */
    LEGACY_DEFAULT_MODE: z.enum(['LEGACY_ONLY', 'PARALLEL', 'NEW_ONLY']).default('NEW_ONLY'),
    /** How often the notifier looks for legacy calls to (re)try. */
    LEGACY_CALLS_POLL_MS: positiveInt('LEGACY_CALLS_POLL_MS').default(500),
    LEGACY_CALLS_DISPATCH: z.enum(['on', 'off']).default('on'),
    /** How long after a shadowed message the parity with the legacy system is checked. */
    LEGACY_PARITY_DELAY_MS: positiveInt('LEGACY_PARITY_DELAY_MS').default(5_000),
  }),
  relay: z.object({
    /** Emails whose attachments add up to more are refused with a "too large" bounce. */
    RELAY_MAX_ATTACHMENT_BYTES: positiveInt('RELAY_MAX_ATTACHMENT_BYTES').default(20 * 1024 * 1024),
  }),
  /** What the gateway, the relay and the notifier share about notifications. */
  notify: z.object({
    /** Signs VERP bounce addresses and unsubscribe links (the relay and gateway verify them). */
    NOTIFIER_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters'),
    /** Base URL of the gateway as recipients reach it, for unsubscribe links. */
    PUBLIC_URL: url('PUBLIC_URL', ['http:', 'https:'], 'https://chat.example.com').default('http://127.0.0.1:3000'),
    /** Verifies the SMS/push provider's status webhooks (docs/notification-provider.md). */
    NOTIFY_PROVIDER_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  }),
  notifier: z.object({
    /** The platform's sending address; default notifications@ALIAS_DOMAIN. */
    NOTIFIER_FROM_ADDRESS: z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'expected an email address, for example notifications@relay.example.com').optional(),
    /** Set: SMS and push go through this provider (docs/notification-provider.md). */
    NOTIFY_PROVIDER_URL: url('NOTIFY_PROVIDER_URL', ['http:', 'https:'], 'https://notify.example.com').optional(),
    NOTIFY_PROVIDER_TOKEN: z.string().min(1).optional(),
    NOTIFY_PROVIDER_TIMEOUT_MS: positiveInt('NOTIFY_PROVIDER_TIMEOUT_MS').default(5_000),
    /** Custom notification templates (docs/notification-templates.md). */
    NOTIFIER_TEMPLATES_DIR: z.string().min(1).optional(),
    NOTIFIER_RATE_EMAIL_PER_SECOND: positiveInt('NOTIFIER_RATE_EMAIL_PER_SECOND').default(500),
    NOTIFIER_RATE_SMS_PER_SECOND: positiveInt('NOTIFIER_RATE_SMS_PER_SECOND').default(50),
    NOTIFIER_RATE_PUSH_PER_SECOND: positiveInt('NOTIFIER_RATE_PUSH_PER_SECOND').default(500),
    /** Reminder offsets from the first unread message (s, m, h, d), or "off". */
    NOTIFIER_REMINDERS: z
      .string()
      .default('24h,48h,7d')
      .refine((v) => v.trim().toLowerCase() === 'off' || v.split(',').every((p) => /^\s*\d+(\.\d+)?\s*[smhd]\s*$/i.test(p)), {
        message: 'expected increasing durations such as 24h,48h,7d (units s, m, h, d), or off',
      }),
    NOTIFIER_REMINDER_POLL_MS: positiveInt('NOTIFIER_REMINDER_POLL_MS').default(5_000),
    /** Deliveries of one event sent at once (a conversation may have 100 participants). */
    NOTIFIER_FANOUT_CONCURRENCY: positiveInt('NOTIFIER_FANOUT_CONCURRENCY').default(16),
    /** How long a sender holds a delivery before another instance may take it over. */
    NOTIFIER_LEASE_MS: positiveInt('NOTIFIER_LEASE_MS').default(30_000),
    /** Kafka consumer group of the notifier (instances of one deployment share it). */
    NOTIFIER_CONSUMER_GROUP: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected letters, digits, dots, dashes or underscores').default('notifier'),
    /** `on`: PUT /admin/clock moves the notifier's clock (reminder tests). Refused in production. */
    NOTIFIER_CLOCK_CONTROL: z.enum(['on', 'off']).default('off'),
    /** How often the notifier counts deliveries by state (notifier_deliveries_by_state); 0: off. */
    NOTIFIER_DELIVERY_METRICS_MS: nonNegativeInt('NOTIFIER_DELIVERY_METRICS_MS').default(60_000),
  }),
  conversations: z.object({
    /** Whether this process may publish the conversation log to Kafka (a lease keeps one active). */
    CONVERSATION_EVENTS_PUBLISHER: z.enum(['on', 'off']).default('on'),
  }),
} as const;

type Sections = typeof sections;
type SectionOutput<S extends ConfigSection> = z.output<Sections[S]>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

export type AppConfig<S extends ConfigSection = ConfigSection> = z.output<typeof baseSchema> &
  UnionToIntersection<SectionOutput<S>>;

export { baseSchema, sections, LOCAL_DEFAULTS };
