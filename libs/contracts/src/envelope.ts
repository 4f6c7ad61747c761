/**
 * Every integration event on Kafka is a versioned envelope. Consumers switch on `type` and
 * `version`; a producer that changes a payload incompatibly bumps the version.
 */
export interface IntegrationEvent<TType extends string = string, TData = unknown> {
  /** Unique per event; consumers use it as their idempotency key. */
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  data: TData;
}
