import { jose } from '../../libs/auth/src/jose';
import { GatewayUnderTest, JWT_SECRET, token } from './support/gateway-under-test';

const ME = '{ me { id email displayName } }';

describe('GraphQL authentication (built gateway over HTTP and graphql-ws)', () => {
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    gateway = await GatewayUnderTest.start();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  async function expectUnauthenticated(options: { token?: string; authorization?: string }, reason: string, query = ME) {
    const response = await gateway.graphql(query, options);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }]);
    return response;
  }

  it('refuses a request without a token', async () => {
    const response = await expectUnauthenticated({}, 'TOKEN_MISSING');
    expect(response.body.errors![0].message).toMatch(/Authorization: Bearer/);
  });

  it('refuses even introspection without a token', async () => {
    await expectUnauthenticated({}, 'TOKEN_MISSING', '{ __schema { queryType { name } } }');
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new jose.SignJWT({ sub: 'x', email: 'x@example.com', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('10m')
      .sign(Buffer.from('not-the-gateway-secret-0123456789-abcdef'));
    const response = await expectUnauthenticated({ token: forged }, 'TOKEN_INVALID');
    expect(response.body.errors![0].message).toBe('The access token is invalid.');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    await expectUnauthenticated({ token: `${part({ alg: 'none' })}.${part({ sub: 'x', email: 'x@example.com', roles: ['admin'] })}.` }, 'TOKEN_INVALID');
  });

  it('refuses a token signed with another algorithm', async () => {
    const hs512 = await new jose.SignJWT({ sub: 'x', email: 'x@example.com' }).setProtectedHeader({ alg: 'HS512' }).sign(Buffer.from(JWT_SECRET));
    await expectUnauthenticated({ token: hs512 }, 'TOKEN_INVALID');
  });

  it('refuses an expired token', async () => {
    const expired = await token({ sub: 'x', email: 'x@example.com', exp: Math.floor(Date.now() / 1000) - 120 });
    const response = await expectUnauthenticated({ token: expired }, 'TOKEN_EXPIRED');
    expect(response.body.errors![0].message).toMatch(/expired/);
  });

  it('refuses credentials that are not a bearer token', async () => {
    await expectUnauthenticated({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }, 'TOKEN_INVALID');
  });

  it('refuses a token without the email claim', async () => {
    const noEmail = await new jose.SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from(JWT_SECRET));
    await expectUnauthenticated({ token: noEmail }, 'TOKEN_INVALID');
  });

  it('serves a caller with a valid token', async () => {
    const response = await gateway.graphql(ME, { token: await token({ sub: 'valid-1', email: 'Valid@Example.com' }) });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { me: { id: 'valid-1', email: 'valid@example.com', displayName: 'valid' } } });
  });

  it('refuses an admin mutation to a caller without the admin role', async () => {
    const response = await gateway.graphql('mutation { upsertAccount(input: { email: "x@example.com", displayName: "X" }) { id } }', {
      token: await token({ sub: 'plain-1', email: 'plain@example.com', roles: ['support'] }),
    });
    expect(response.body.data).toBeNull();
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: 'This operation requires the admin role.',
        path: ['upsertAccount'],
        extensions: { code: 'FORBIDDEN', reason: 'ADMIN_ROLE_REQUIRED' },
      }),
    ]);
  });

  describe('over graphql-ws', () => {
    it('refuses a connection without a token', async () => {
      const refusal = await gateway.overWebSocket(undefined, ME).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toMatchObject({ code: 4403, reason: expect.stringMatching(/^Forbidden: Authentication required/) });
    });

    it('refuses a connection with a forged token', async () => {
      const forged = await new jose.SignJWT({ sub: 'x', email: 'x@example.com' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(Buffer.from('not-the-gateway-secret-0123456789-abcdef'));
      const refusal = await gateway.overWebSocket({ authorization: `Bearer ${forged}` }, ME).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ code: 4403, reason: 'Forbidden: The access token is invalid.' });
    });

    it('accepts a connection with a valid token in connectionParams.authorization or .Authorization', async () => {
      const valid = await token({ sub: 'ws-1', email: 'ws@example.com' });
      expect(await gateway.overWebSocket({ authorization: `Bearer ${valid}` }, ME)).toEqual({
        data: { me: { id: 'ws-1', email: 'ws@example.com', displayName: 'ws' } },
      });
      expect(await gateway.overWebSocket({ Authorization: `Bearer ${valid}` }, ME)).toEqual({
        data: { me: { id: 'ws-1', email: 'ws@example.com', displayName: 'ws' } },
      });
    });

    it('applies the admin rule to operations over the socket too', async () => {
      const plain = await token({ sub: 'ws-2', email: 'ws2@example.com' });
      const result = await gateway.overWebSocket({ authorization: `Bearer ${plain}` }, 'mutation { upsertAccount(input: { email: "y@example.com", displayName: "Y" }) { id } }');
      expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN', reason: 'ADMIN_ROLE_REQUIRED' } })]);
    });
  });
});
