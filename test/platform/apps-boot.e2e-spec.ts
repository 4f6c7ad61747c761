import { AppName, AppProcess } from '../support/app-process';
import { appEnv } from '../support/env';
import { freshNotifierGroup } from '../support/notifier';

const EXPECTED_DEPENDENCIES: Record<AppName, string[]> = {
  gateway: ['mongo', 'kafka', 'blobStore'],
  relay: ['mongo', 'kafka', 'blobStore'],
  notifier: ['mongo', 'kafka'],
};

describe.each(Object.keys(EXPECTED_DEPENDENCIES) as AppName[])('%s from its build output', (name) => {
  let app: AppProcess;

  beforeAll(async () => {
    // A notifier group of its own: booting is the point here, not replaying other suites' events.
    app = await AppProcess.start(name, appEnv(name === 'notifier' ? { NOTIFIER_CONSUMER_GROUP: await freshNotifierGroup('boot') } : {}));
  });

  afterAll(async () => {
    const exit = await app?.stop();
    // A graceful shutdown: Nest closes the app, then re-raises SIGTERM; it never needs SIGKILL.
    expect(exit?.forced).toBeUndefined();
    expect(exit?.code === 0 || exit?.signal === 'SIGTERM').toBe(true);
  });

  it('is live', async () => {
    const response = await fetch(`${app.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready against the real servers, reporting each dependency', async () => {
    const response = await fetch(`${app.url}/health/ready`);
    const body = (await response.json()) as { status: string; info: Record<string, { status: string }> };
    expect({ status: response.status, body: body.status }).toEqual({ status: 200, body: 'ok' });
    expect(Object.keys(body.info).sort()).toEqual([...EXPECTED_DEPENDENCIES[name]].sort());
    for (const dependency of EXPECTED_DEPENDENCIES[name]) expect(body.info[dependency].status).toBe('up');
  });

  it('serves Prometheus metrics labelled with the service', async () => {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(new RegExp(`process_cpu_user_seconds_total\\{service="${name}"\\} \\d`));
  });
});
