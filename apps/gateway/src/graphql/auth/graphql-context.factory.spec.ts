import { GraphQLError } from 'graphql';
import { signAccessToken } from '@libs/auth';
import { graphqlContextFactory } from './graphql-context.factory';

const SECRET = 'context-unit-secret-0123456789-abcdefghij';
const createContext = graphqlContextFactory(SECRET);
const http = (authorization?: string, id?: string) => ({ req: { headers: authorization ? { authorization } : {}, id }, res: {} });

describe('graphqlContextFactory over HTTP', () => {
  it('builds the context of an authenticated request, reusing the request id', async () => {
    const token = await signAccessToken({ sub: 'a1', email: 'a@example.com', roles: ['admin'] }, SECRET);
    const context = await createContext(http(`Bearer ${token}`, 'req-1'));
    expect(context).toMatchObject({ requestId: 'req-1', transport: 'http', principal: { accountId: 'a1', isAdmin: true } });
  });

  it('fails with a 401 UNAUTHENTICATED request error and a Bearer challenge', async () => {
    const error = (await createContext(http()).catch((e: unknown) => e)) as GraphQLError;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions.code).toBe('UNAUTHENTICATED');
    const httpHead = error.extensions.http as { status: number; headers: Map<string, string> };
    expect(httpHead.status).toBe(401);
    expect(httpHead.headers.get('www-authenticate')).toMatch(/^Bearer realm="graphql"/);
    expect(error.originalError).toMatchObject({ code: 'TOKEN_MISSING' });
  });
});
