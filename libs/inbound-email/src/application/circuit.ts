export class CircuitOpenError extends Error {
  constructor(what: string) {
    super(`${what} failed recently; not trying again yet`);
    this.name = 'CircuitOpenError';
  }
}

/**
 * After a failure, refuses calls for `openMs` without trying, then lets the next call try again.
 * A down MongoDB then costs an ingress request nothing instead of one timeout per record
 * operation. In-process and short-lived on purpose: it only saves time, it decides nothing.
 */
export class Circuit {
  private openUntil = 0;

  constructor(
    private readonly what: string,
    private readonly openMs: number,
    private readonly now: () => number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.now() < this.openUntil) throw new CircuitOpenError(this.what);
    try {
      return await work();
    } catch (error) {
      this.openUntil = this.now() + this.openMs;
      throw error;
    }
  }
}

/** One circuit for MongoDB, shared by everything of the lib that treats it as optional. */
export const RECORDS_CIRCUIT = Symbol('RECORDS_CIRCUIT');
