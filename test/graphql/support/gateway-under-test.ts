import { MongoClient } from 'mongodb';
import { createClient, Client } from 'graphql-ws';
import { AccessTokenClaims, signAccessToken } from '@libs/auth';
import { AppProcess } from '../../support/app-process';
import { appEnv, runId } from '../../support/env';

// `ws` has no bundled types and @types/ws is not installed; this is all the tests use of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WebSocket } = require('ws') as { WebSocket: unknown };

export const JWT_SECRET = 'e2e-graphql-jwt-secret-0123456789-abcdefghij';

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: { message: string; path?: string[]; locations?: unknown; extensions?: Record<string, unknown> }[];
  };
  text: string;
}

/**
 * The built gateway as a real process against the real servers, with its own database (so
 * suites never see each other's accounts) and a JWT secret the test signs tokens with.
 */
export class GatewayUnderTest {
  private constructor(
    readonly app: AppProcess,
    readonly mongoUrl: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<GatewayUnderTest> {
    const base = new URL(process.env.MONGO_URL!);
    base.pathname = `/${runId('graphql').replace(/-/g, '_')}`;
    const mongoUrl = base.toString();
    const app = await AppProcess.start('gateway', appEnv({ JWT_SECRET, MONGO_URL: mongoUrl, ...env }));
    return new GatewayUnderTest(app, mongoUrl);
  }

  get url(): string {
    return `${this.app.url}/graphql`;
  }

  async stop(): Promise<void> {
    await this.app.stop();
    const client = new MongoClient(this.mongoUrl, { serverSelectionTimeoutMS: 5_000 });
    try {
      await client.db().dropDatabase();
    } catch {
      // best effort: a leftover test database is harmless
    } finally {
      await client.close();
    }
  }

  async withDatabase<T>(use: (db: ReturnType<MongoClient['db']>) => Promise<T>): Promise<T> {
    const client = new MongoClient(this.mongoUrl, { serverSelectionTimeoutMS: 5_000 });
    try {
      return await use(client.db());
    } finally {
      await client.close();
    }
  }

  async graphql<T = Record<string, unknown>>(
    query: string,
    options: { variables?: Record<string, unknown>; token?: string; authorization?: string; headers?: Record<string, string> } = {},
  ): Promise<GraphqlResponse<T>> {
    const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...options.headers },
      body: JSON.stringify({ query, variables: options.variables }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as GraphqlResponse<T>['body'], text };
  }

  /** The data of a response that must have succeeded; otherwise fails with its errors and the log. */
  dataOf<T>(response: GraphqlResponse<T>): T {
    if (response.body.errors?.length || !response.body.data) {
      throw new Error(`GraphQL request failed (HTTP ${response.status}): ${response.text}\n--- gateway log ---\n${this.app.output.slice(-3000)}`);
    }
    return response.body.data;
  }

  /** A graphql-ws client that does not reconnect, so a refusal surfaces as an error. */
  wsClient(connectionParams?: Record<string, unknown>): Client {
    return createClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: true,
    });
  }

  /** Runs one operation over graphql-ws; rejects with the close event or the errors. */
  async overWebSocket<T>(connectionParams: Record<string, unknown> | undefined, query: string): Promise<{ data?: T; errors?: unknown[] }> {
    const client = this.wsClient(connectionParams);
    try {
      return await new Promise((resolve, reject) => {
        let result: { data?: T; errors?: unknown[] } = {};
        client.subscribe<T>({ query }, { next: (value) => (result = value as typeof result), error: reject, complete: () => resolve(result) });
      });
    } finally {
      await client.dispose();
    }
  }
}

export function token(claims: AccessTokenClaims, expiresIn: string | number | null = '10m'): Promise<string> {
  return signAccessToken(claims, JWT_SECRET, expiresIn);
}

export function adminToken(): Promise<string> {
  return token({ sub: `admin-${runId()}`, email: 'admin@example.com', roles: ['admin'] });
}

/** An address no other test (or run) uses. */
export function uniqueEmail(label: string): string {
  return `${label}.${runId()}@example.com`;
}
