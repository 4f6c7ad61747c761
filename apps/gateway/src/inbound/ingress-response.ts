import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { IngressAccepted } from './ingress-telemetry';

/** The 202 body: the inbound email id, and whether this delivery had been accepted before. */
export interface IngressAcceptedBody {
  id: string;
  duplicate: boolean;
}

export function acceptedBody({ id, duplicate }: IngressAccepted): IngressAcceptedBody {
  return { id, duplicate };
}

/** The request id the logger gave this request (X-Request-Id when the caller sent one). */
export function traceIdOf(req: IncomingMessage & { id?: unknown }): string {
  return typeof req.id === 'string' && req.id.length > 0 ? req.id.slice(0, 128) : randomUUID();
}
