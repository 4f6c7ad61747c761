/** How a fake dependency misbehaves: answer normally, fail at once, or never answer. */
export type Fault = 'none' | 'fail' | 'hang';

export async function act<T>(fault: Fault, what: string, work: () => T | Promise<T>): Promise<T> {
  if (fault === 'fail') throw new Error(`${what} is down (fake)`);
  if (fault === 'hang') return new Promise<T>(() => undefined);
  return work();
}
