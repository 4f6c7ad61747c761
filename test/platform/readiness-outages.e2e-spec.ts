import { pauseService, resumeService, startService, stopService } from '../../scripts/infra';
import { AppProcess, eventually } from '../support/app-process';
import { appEnv } from '../support/env';

interface Readiness {
  status: number;
  body: { status: string; error?: Record<string, { status: string; message?: string }> };
}

async function readiness(app: AppProcess): Promise<Readiness> {
  const response = await fetch(`${app.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/**
 * Each server is taken away while the gateway runs: readiness must turn 503 and name it, then
 * return to 200 when the server is back, without restarting the app.
 */
describe('readiness follows the servers the gateway depends on', () => {
  let gateway: AppProcess;

  beforeAll(async () => {
    gateway = await AppProcess.start('gateway', appEnv());
    await eventually(async () => ((await readiness(gateway)).status === 200 ? true : undefined), 30_000, 'gateway ready');
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const outages = [
    { dependency: 'mongo', takeDown: () => stopService('mongo'), bringBack: () => startService('mongo') },
    { dependency: 'blobStore', takeDown: () => pauseService('s3'), bringBack: () => resumeService('s3') },
    { dependency: 'kafka', takeDown: () => stopService('kafka'), bringBack: () => startService('kafka') },
  ];

  it.each(outages)('503 naming $dependency while it is down, 200 again once it is back', async ({ dependency, takeDown, bringBack }) => {
    await takeDown();
    try {
      const down = await eventually(
        async () => {
          const r = await readiness(gateway);
          return r.status === 503 && r.body.error?.[dependency] ? r : undefined;
        },
        30_000,
        `readiness to report ${dependency} down`,
      );
      expect(down.body.status).toBe('error');
      expect(down.body.error?.[dependency].status).toBe('down');
      expect(Object.keys(down.body.error ?? {})).toEqual([dependency]);
    } finally {
      await bringBack();
    }
    const back = await eventually(async () => {
      const r = await readiness(gateway);
      return r.status === 200 ? r : undefined;
    }, 60_000, `readiness to recover after ${dependency} came back`);
    expect(back.body.status).toBe('ok');
  });
});
