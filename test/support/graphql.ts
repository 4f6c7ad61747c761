import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signAccessToken } from '@libs/auth';

export const TEST_JWT_SECRET = 'e2e-jwt-secret-0123456789abcdef0123456789';

export interface GraphqlResponse<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
}

export async function tokenFor(claims: { sub: string; email: string; roles?: string[] }, expiresIn: string | null = '1h'): Promise<string> {
  return signAccessToken(claims, TEST_JWT_SECRET, expiresIn);
}

export async function graphql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphqlResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphqlResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** Like `graphql` but fails the test on any error, returning `data`. */
export async function graphqlOk<T = Record<string, any>>(baseUrl: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await graphql<T>(baseUrl, query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export function wsClient(baseUrl: string, token?: string): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}
