import { AppProcess } from '../support/app-process';
import { GatewayUnderTest, adminToken, token, uniqueEmail } from './support/gateway-under-test';

describe('GraphQL limits and error hygiene (built gateway)', () => {
  let gateway: GatewayUnderTest;
  let caller: string;

  beforeAll(async () => {
    gateway = await GatewayUnderTest.start();
    caller = await token({ sub: 'limits-1', email: 'limits@example.com' });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('refuses an operation nested too deep, saying so', async () => {
    // Until the conversation types land, only introspection types nest in this schema; they
    // have their own depth budget (20), enforced by the same rule as the budget of 10.
    const ofTypes = (levels: number) => `{ __type(name: "Account") { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} } }`;
    expect((await gateway.graphql(ofTypes(17), { token: caller })).status).toBe(200);

    const response = await gateway.graphql(`query TooDeep ${ofTypes(25)}`, { token: caller });
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: 'Operation "TooDeep" is too deep: its introspection fields nest 27 levels, the maximum is 20.',
        extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
      }),
    ]);
  });

  it('lets GraphiQL load the schema (the standard introspection query fits the limits)', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const response = await gateway.graphql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), { token: caller });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });

  it('refuses an operation whose estimated cost is too high (alias flooding)', async () => {
    const flood = `{ ${Array.from({ length: 700 }, (_, i) => `a${i}: me { id email displayName }`).join(' ')} }`;
    const response = await gateway.graphql(flood, { token: caller });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^The operation is too complex: its estimated cost is \d+, the maximum is 2000\./),
        extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
      }),
    ]);
  });

  it('multiplies the cost of list fields by first (DESIGN §6 connections)', async () => {
    const page = (first: number) =>
      `{ conversations(first: ${first}) { edges { cursor node { id messages(first: ${first}) { edges { node { id body } } } } } } }`;
    const small = await gateway.graphql(page(5), { token: caller });
    expect(small.body.errors).toBeUndefined();
    const large = await gateway.graphql(page(100), { token: caller });
    expect(large.status).toBe(400);
    expect(large.body.errors![0]).toMatchObject({
      message: expect.stringMatching(/^The operation is too complex/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('keeps Apollo codes for syntax and schema errors', async () => {
    const syntax = await gateway.graphql('{ me { id ', { token: caller });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors![0].extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED' });
    const unknown = await gateway.graphql('{ me { password } }', { token: caller });
    expect(unknown.body.errors![0]).toMatchObject({ message: expect.stringMatching(/password/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('answers BAD_USER_INPUT, naming the field, for oversized input', async () => {
    const admin = await adminToken();
    const response = await gateway.graphql('mutation($input: AccountInput!) { upsertAccount(input: $input) { id } }', {
      token: admin,
      variables: { input: { email: uniqueEmail('big'), displayName: 'x'.repeat(5_000), previousEmails: Array(51).fill('p@example.com') } },
    });
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^Invalid input: .*displayName must be shorter than or equal to 200 characters/),
        extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' },
      }),
    ]);
    expect(response.body.errors![0].message).toMatch(/previousEmails must contain no more than 50 elements/);
    expect(response.text).not.toContain('x'.repeat(100));
  });

  it('refuses a request body over 64 KiB with 413, before running anything', async () => {
    const response = await gateway.graphql(`{ me { id } } # ${'x'.repeat(70 * 1024)}`, { token: caller });
    expect(response.status).toBe(413);
    expect(response.body.errors).toEqual([{ message: 'The request body is larger than 65536 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }]);
    const huge = await gateway.graphql(`{ me { id } } # ${'x'.repeat(300 * 1024)}`, { token: caller });
    expect(huge.status).toBe(413);
    expect(huge.body.errors![0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers malformed JSON with a GraphQL-shaped 400, not an HTML page', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${caller}` },
      body: '{"query": "{ me { id } }"',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('hides an unexpected error behind "Internal server error" and logs it with the request id', async () => {
    // A corrupt record (a display name that is not a string) is an error no caller can cause
    // or fix: the client must learn nothing about it, the operator everything.
    const id = `corrupt-${Date.now()}`;
    await gateway.withDatabase((db) =>
      db.collection<{ _id: string }>('accounts').insertOne({ _id: id, email: uniqueEmail('corrupt'), displayName: { secret: 'db internals' }, previousEmails: [] } as never),
    );
    const response = await gateway.graphql('{ me { id displayName } }', { token: await token({ sub: id, email: 'corrupt@example.com' }) });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Internal server error',
          locations: [{ line: 1, column: 11 }],
          path: ['me', 'displayName'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        },
      ],
    });
    expect(response.text).not.toMatch(/db internals|stack|String cannot represent|at \w+ \(/);
    await expectLogged(gateway.app, requestId!, /String cannot represent value/);
  });
});

async function expectLogged(app: AppProcess, requestId: string, what: RegExp): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const line = app.output.split('\n').find((l) => l.includes(requestId) && what.test(l));
    if (line) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no log line with request id ${requestId} matching ${what}:\n${app.output.slice(-3000)}`);
}
