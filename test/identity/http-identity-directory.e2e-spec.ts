import { ErrorCategory } from '@libs/contracts';
import { HttpIdentityDirectory, IdentityErrorCode } from '@libs/identity';
import { describeIdentityDirectoryContract } from '../../libs/identity/src/testing/identity-directory.contract';
import { StubIdentityService } from './stub-identity-service';

describeIdentityDirectoryContract('HTTP adapter against a real server implementing docs/identity-service.md', async () => {
  const service = await StubIdentityService.start();
  return { directory: new HttpIdentityDirectory({ baseUrl: service.url }), dispose: () => service.stop() };
});

describe('HTTP adapter over real sockets', () => {
  let service: StubIdentityService;

  beforeAll(async () => {
    service = await StubIdentityService.start();
  });

  afterAll(async () => {
    await service.stop();
  });

  it('sends the service token and rides out transient 5xx answers', async () => {
    const directory = new HttpIdentityDirectory({ baseUrl: service.url, token: 'svc-token', initialBackoffMs: 10 });
    service.failNext(2, 503);
    const account = await directory.upsert({ email: 'retry@example.com', displayName: 'Retry' });
    expect(await directory.findById(account.id)).toEqual(account);
    expect(service.requests.slice(-4).map((r) => r.authorization)).toEqual(Array(4).fill('Bearer svc-token'));
  });

  it('gives up with IDENTITY_UNAVAILABLE when the service keeps failing', async () => {
    const directory = new HttpIdentityDirectory({ baseUrl: service.url, retries: 2, initialBackoffMs: 10 });
    service.failNext(3, 500);
    await expect(directory.findByEmail('a@example.com')).rejects.toMatchObject({
      category: ErrorCategory.Unavailable,
      code: IdentityErrorCode.Unavailable,
    });
  });

  it('reports IDENTITY_UNAVAILABLE when nothing listens', async () => {
    const stopped = await StubIdentityService.start();
    const url = stopped.url;
    await stopped.stop();
    const directory = new HttpIdentityDirectory({ baseUrl: url, retries: 1, initialBackoffMs: 10 });
    await expect(directory.findById('x')).rejects.toMatchObject({ code: IdentityErrorCode.Unavailable });
  });

  it("relays the service's refusal of an invalid account without retrying", async () => {
    const directory = new HttpIdentityDirectory({ baseUrl: service.url });
    const before = service.requests.length;
    await expect(directory.upsert({ email: 'bad', displayName: 'Bad' })).rejects.toMatchObject({
      category: ErrorCategory.Invalid,
      code: IdentityErrorCode.InvalidEmail,
    });
    expect(service.requests.length - before).toBe(1);
  });
});
