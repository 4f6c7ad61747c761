import { Injectable, Logger } from '@nestjs/common';
import { InboundEmailProvider } from '@libs/contracts';
import { MetricsService } from '@libs/observability';
import { ingressStatusOf } from './inbound-exception.filter';

export type IngressOutcome = 'accepted' | 'duplicate' | 'invalid' | 'too_large' | 'unauthenticated' | 'forbidden' | 'unavailable' | 'error';

export interface IngressAccepted {
  id: string;
  duplicate: boolean;
  /** Bytes of the raw email. */
  size: number;
}

/**
 * Metrics of the ingresses (requests by provider and outcome, bytes accepted, latency) and one
 * log line per accepted email, with the request id that the relay's logs carry as trace id.
 * Refusals are logged by pino-http's request line and, when unexpected, by the filter.
 */
@Injectable()
export class IngressTelemetry {
  private readonly logger = new Logger('InboundIngress');
  private readonly requests;
  private readonly bytes;
  private readonly latency;

  constructor(metrics: MetricsService) {
    this.requests = metrics.counter('inbound_ingress_requests_total', 'Inbound email ingress requests by provider and outcome', ['provider', 'outcome']);
    this.bytes = metrics.counter('inbound_ingress_bytes_total', 'Bytes of raw email accepted by the ingresses', ['provider']);
    this.latency = metrics.histogram(
      'inbound_ingress_duration_seconds',
      'Time from an ingress request to its answer (storage and Kafka acknowledgements included)',
      ['provider', 'outcome'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
  }

  /** Runs one ingress request and records its outcome, also when it fails. */
  async observe(provider: InboundEmailProvider, handle: () => Promise<IngressAccepted>): Promise<IngressAccepted> {
    const stop = this.latency.startTimer({ provider });
    try {
      const result = await handle();
      const outcome = result.duplicate ? 'duplicate' : 'accepted';
      this.requests.inc({ provider, outcome });
      this.bytes.inc({ provider }, result.size);
      const seconds = stop({ outcome });
      this.logger.log({ msg: 'Inbound email accepted', inboundEmailId: result.id, provider, size: result.size, duplicate: result.duplicate, seconds });
      return result;
    } catch (error) {
      const outcome = outcomeOf(ingressStatusOf(error));
      this.requests.inc({ provider, outcome });
      stop({ outcome });
      throw error;
    }
  }
}

function outcomeOf(status: number): IngressOutcome {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 413) return 'too_large';
  if (status === 503) return 'unavailable';
  if (status >= 400 && status < 500) return 'invalid';
  return 'error';
}
