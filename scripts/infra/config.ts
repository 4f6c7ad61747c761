import * as path from 'node:path';

/** The four servers the apps need. */
export const SERVICE_NAMES = ['kafka', 'mongo', 's3', 'smtp'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const INFRA_DIR = path.join(REPO_ROOT, '.infra');

/** Every path the scripts write to lives under .infra/ (git-ignored). */
export const PATHS = {
  bin: path.join(INFRA_DIR, 'bin'),
  build: path.join(INFRA_DIR, 'build'),
  data: path.join(INFRA_DIR, 'data'),
  logs: path.join(INFRA_DIR, 'logs'),
  run: path.join(INFRA_DIR, 'run'),
  kafkaHome: path.join(INFRA_DIR, 'kafka'),
  stateFile: path.join(INFRA_DIR, 'run', 'state.json'),
  lockFile: path.join(INFRA_DIR, 'run', 'up.lock'),
  composeFile: path.join(REPO_ROOT, 'docker-compose.yml'),
} as const;

export const HOST = '127.0.0.1';

export const PORTS = {
  kafka: 9092,
  kafkaController: 9093,
  mongo: 27017,
  /** PostgreSQL under FerretDB; not 5432, so a system PostgreSQL can run alongside. */
  postgres: 54329,
  s3: 7070,
  smtp: 1025,
  mailbox: 8025,
} as const;

export const VERSIONS = {
  kafka: '3.9.1',
  scala: '2.13',
  slf4j: '1.7.36',
  reload4j: '1.2.25',
  ferretdb: 'v1.24.2',
  mongoJavaServer: '1.47.0',
  slf4jSimple: '2.0.17',
  /** Pinned so every machine builds the same server; empty means the latest semver tag. */
  versitygw: process.env.VERSITYGW_VERSION ?? 'v1.8.0',
} as const;

export const S3_CREDENTIALS = {
  bucket: 'conversation-alias',
  accessKeyId: 'conversation-alias',
  secretAccessKey: 'conversation-alias-secret',
  region: 'us-east-1',
} as const;

export const MONGO_DATABASE = 'conversation-alias';

/** The environment the apps need when the servers are the local (or docker) ones. */
export function localEnv(): Record<string, string> {
  return {
    MONGO_URL: `mongodb://${HOST}:${PORTS.mongo}/${MONGO_DATABASE}`,
    KAFKA_BROKERS: `${HOST}:${PORTS.kafka}`,
    S3_ENDPOINT: `http://${HOST}:${PORTS.s3}`,
    S3_BUCKET: S3_CREDENTIALS.bucket,
    S3_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    S3_REGION: S3_CREDENTIALS.region,
    SMTP_URL: `smtp://${HOST}:${PORTS.smtp}`,
    MAILBOX_URL: `http://${HOST}:${PORTS.mailbox}`,
  };
}

/** Which environment variables belong to which service. */
export const SERVICE_ENV_KEYS: Record<ServiceName, readonly string[]> = {
  kafka: ['KAFKA_BROKERS'],
  mongo: ['MONGO_URL'],
  s3: ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_REGION'],
  smtp: ['SMTP_URL', 'MAILBOX_URL'],
};

/** The variable whose presence in the environment means "use that server, start nothing". */
export const SERVICE_PRIMARY_ENV: Record<ServiceName, string> = {
  kafka: 'KAFKA_BROKERS',
  mongo: 'MONGO_URL',
  s3: 'S3_ENDPOINT',
  smtp: 'SMTP_URL',
};

/** Service names in docker-compose.yml. */
export const COMPOSE_SERVICE: Record<ServiceName, string> = {
  kafka: 'kafka',
  mongo: 'mongo',
  s3: 's3',
  smtp: 'mailpit',
};
