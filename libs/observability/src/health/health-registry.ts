import { Injectable } from '@nestjs/common';

export type DependencyCheck = () => Promise<void>;

/**
 * Infrastructure modules (MongoDB, Kafka, blob store) register a check here when they are
 * imported, so each app's readiness reports exactly the dependencies it uses.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, DependencyCheck>();

  register(name: string, check: DependencyCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, DependencyCheck][] {
    return [...this.checks.entries()];
  }
}

/** Rejects when `promise` has not settled within `ms`: a dependency that hangs is down. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
