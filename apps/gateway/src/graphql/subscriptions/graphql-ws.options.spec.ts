import { buildSchema, GraphQLError } from 'graphql';
import { signAccessToken } from '@libs/auth';
import { graphqlWsOptions, principalOfConnection } from './graphql-ws.options';

const SECRET = 'ws-unit-secret-0123456789-abcdefghijklmn';
const schema = buildSchema('type Query { me: Account! } type Account { id: ID!, friends: [Account!]! }');
const options = graphqlWsOptions({ jwtSecret: SECRET, schema: () => schema });

function connection(connectionParams?: Record<string, unknown>) {
  const socket = { close: jest.fn() };
  const ctx = { connectionInitReceived: true, acknowledged: false, subscriptions: {}, connectionParams, extra: { socket, request: {} } };
  return { ctx, socket };
}

type Hook<K extends keyof typeof options> = NonNullable<(typeof options)[K]>;
const onConnect = (ctx: unknown) => (options.onConnect as Hook<'onConnect'>)(ctx as never);
const onSubscribe = (query: string) => (options.onSubscribe as Hook<'onSubscribe'>)({} as never, '1', { query } as never);

describe('graphql-ws options', () => {
  it('refuses a connection without a token, closing with 4403 and the reason', async () => {
    const { ctx, socket } = connection();
    expect(await onConnect(ctx)).toBe(false);
    expect(socket.close).toHaveBeenCalledWith(4403, expect.stringMatching(/^Forbidden: Authentication required/));
    expect(principalOfConnection(ctx)).toBeUndefined();
  });

  it('refuses a connection with an invalid token', async () => {
    const { ctx, socket } = connection({ authorization: 'Bearer not-a-token' });
    expect(await onConnect(ctx)).toBe(false);
    expect(socket.close).toHaveBeenCalledWith(4403, 'Forbidden: The access token is invalid.');
  });

  it('accepts a token under authorization or Authorization and remembers the principal', async () => {
    const token = await signAccessToken({ sub: 'a1', email: 'A@example.com' }, SECRET);
    for (const params of [{ authorization: `Bearer ${token}` }, { Authorization: `Bearer ${token}` }]) {
      const { ctx } = connection(params);
      expect(await onConnect(ctx)).toBe(true);
      expect(principalOfConnection(ctx)).toMatchObject({ accountId: 'a1', email: 'a@example.com' });
    }
  });

  it('applies the depth limit and the schema rules to each operation', async () => {
    const deep = `{ me { ${'friends { '.repeat(12)}id${' }'.repeat(12)} } }`;
    const errors = (await onSubscribe(deep)) as GraphQLError[];
    expect(errors.map((e) => e.message)).toEqual(['The operation is too deep: its fields nest 14 levels, the maximum is 10.']);
    expect(((await onSubscribe('{ nope }')) as GraphQLError[])[0].message).toMatch(/Cannot query field "nope"/);
    expect(((await onSubscribe('{ me { id ')) as GraphQLError[])[0].message).toMatch(/Syntax Error/);
  });

  it('lets a reasonable operation through with its execution arguments', async () => {
    expect(await onSubscribe('{ me { id } }')).toMatchObject({ schema, document: expect.any(Object) });
  });
});
