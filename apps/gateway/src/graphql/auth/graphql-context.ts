import type { IncomingMessage } from 'node:http';
import { Principal } from '@libs/auth';

/**
 * The context every resolver receives. Built once per operation (per HTTP request, or per
 * graphql-ws operation); it only exists for authenticated callers, so `principal` is always set.
 */
export interface GraphqlContext {
  /** The HTTP request, or for graphql-ws the upgrade request of the connection. */
  req: IncomingMessage;
  /** Correlates the response, the logs and, for HTTP, the `x-request-id` header. */
  requestId: string;
  principal: Principal;
  transport: 'http' | 'ws';
}
