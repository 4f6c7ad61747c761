import { AppProcess } from '../support/app-process';
import { appEnv } from '../support/env';

describe('configuration errors stop an app with a message naming the variable', () => {
  it('refuses a malformed MONGO_URL', async () => {
    const app = AppProcess.spawn('gateway', appEnv({ MONGO_URL: 'localhost:27017' }), 0);
    const exit = await app.waitForExit();
    expect(exit.code).toBe(78);
    expect(exit.stderr).toContain('Invalid configuration');
    expect(exit.stderr).toMatch(/MONGO_URL: expected a mongodb: or mongodb\+srv: URL, for example mongodb:\/\/127\.0\.0\.1:27017/);
    expect(exit.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names every required variable missing in production', async () => {
    const env = appEnv({ NODE_ENV: 'production', JWT_SECRET: undefined, MAILGUN_SIGNING_KEY: undefined, INBOUND_PASSWORD: undefined, ALIAS_DOMAIN: undefined });
    const exit = await AppProcess.spawn('gateway', env, 3999).waitForExit();
    expect(exit.code).toBe(78);
    for (const name of ['JWT_SECRET', 'MAILGUN_SIGNING_KEY', 'INBOUND_PASSWORD', 'ALIAS_DOMAIN']) {
      expect(exit.stderr).toContain(`${name}: is required but not set`);
    }
  });

  it('refuses an out-of-range number for the relay', async () => {
    const exit = await AppProcess.spawn('relay', appEnv({ KAFKA_CONSUMER_MAX_ATTEMPTS: '-2' }), 3998).waitForExit();
    expect(exit.code).toBe(78);
    expect(exit.stderr).toContain('KAFKA_CONSUMER_MAX_ATTEMPTS: KAFKA_CONSUMER_MAX_ATTEMPTS must be > 0');
  });
});
