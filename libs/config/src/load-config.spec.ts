import { ConfigValidationError, loadConfig } from './load-config';

const gateway = { service: 'gateway', sections: ['http', 'mongo', 'kafka', 'blob', 'inbound', 'auth', 'alias'] as const, defaultPort: 3000 };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('fills in the local servers outside production', () => {
    const config = loadConfig({}, gateway);
    expect(config.MONGO_URL).toBe('mongodb://127.0.0.1:27017/conversation-alias');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.PORT).toBe(3000);
    expect(config.SERVICE_NAME).toBe('gateway');
  });

  it('parses broker lists and numbers', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'a:9092, b:9093', PORT: '8080', KAFKA_CONSUMER_MAX_ATTEMPTS: '3' }, gateway);
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(config.PORT).toBe(8080);
    expect(config.KAFKA_CONSUMER_MAX_ATTEMPTS).toBe(3);
  });

  it('requires every variable in production and names each missing one', () => {
    const problems = problemsOf(() => loadConfig({ NODE_ENV: 'production', PORT: '3000' }, gateway));
    for (const name of ['MONGO_URL', 'KAFKA_BROKERS', 'MAILGUN_SIGNING_KEY', 'INBOUND_PASSWORD', 'JWT_SECRET', 'ALIAS_DOMAIN']) {
      expect(problems).toContain(`${name}: is required but not set`);
    }
  });

  it('says what is expected of a wrong value', () => {
    const problems = problemsOf(() => loadConfig({ MONGO_URL: 'localhost:27017', PORT: '99999', KAFKA_BROKERS: 'nohost' }, gateway));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MONGO_URL: expected a mongodb: or mongodb\+srv: URL/),
        'PORT: PORT must be between 1 and 65535',
        expect.stringMatching(/^KAFKA_BROKERS: expected a comma-separated list of host:port/),
      ]),
    );
  });

  it('requires the S3 settings only when S3_ENDPOINT chooses the S3 adapter', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...productionBase() }, gateway).S3_ENDPOINT).toBeUndefined();
    const problems = problemsOf(() => loadConfig({ NODE_ENV: 'production', ...productionBase(), S3_ENDPOINT: 'http://s3:7070' }, gateway));
    expect(problems).toEqual(
      expect.arrayContaining([
        'S3_BUCKET: required when S3_ENDPOINT is set',
        'S3_ACCESS_KEY_ID: required when S3_ENDPOINT is set',
        'S3_SECRET_ACCESS_KEY: required when S3_ENDPOINT is set',
        'S3_REGION: required when S3_ENDPOINT is set',
      ]),
    );
  });

  it('validates only the sections an app uses', () => {
    const notifier = { service: 'notifier', sections: ['http', 'smtp'] as const, defaultPort: 3002 };
    const config = loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25' }, notifier);
    expect(config.SMTP_URL).toBe('smtp://mail:25');
  });

  it('treats blank values as unset', () => {
    const problems = problemsOf(() => loadConfig({ NODE_ENV: 'production', ...productionBase(), JWT_SECRET: '' }, gateway));
    expect(problems).toEqual(['JWT_SECRET: is required but not set']);
  });

  it('legacy section: LEGACY_SYSTEM_URL is optional, an http(s) URL when set; the timeout has a default', () => {
    const relay = { service: 'relay', sections: ['http', 'legacy'] as const, defaultPort: 3001 };
    expect(loadConfig({}, relay)).toMatchObject({ LEGACY_SYSTEM_TIMEOUT_MS: 5_000 });
    expect(loadConfig({}, relay).LEGACY_SYSTEM_URL).toBeUndefined();
    expect(loadConfig({ LEGACY_SYSTEM_URL: 'https://legacy.internal/bridge', LEGACY_SYSTEM_TIMEOUT_MS: '750' }, relay)).toMatchObject({
      LEGACY_SYSTEM_URL: 'https://legacy.internal/bridge',
      LEGACY_SYSTEM_TIMEOUT_MS: 750,
    });
    expect(problemsOf(() => loadConfig({ LEGACY_SYSTEM_URL: 'legacy.internal' }, relay)).join('\n')).toMatch(/^LEGACY_SYSTEM_URL: expected a http: or https: URL/m);
  });
});

function productionBase(): Record<string, string> {
  return {
    PORT: '3000',
    MONGO_URL: 'mongodb://db:27017/app',
    KAFKA_BROKERS: 'k1:9092',
    MAILGUN_SIGNING_KEY: 'key-0123456789abcdef',
    INBOUND_PASSWORD: 'long-enough-password',
    JWT_SECRET: 'x'.repeat(32),
    ALIAS_DOMAIN: 'relay.example.com',
  };
}
