import { KeyedMutex } from './keyed-mutex';

describe('KeyedMutex', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('serialises tasks of one key and keeps their order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let running = 0;
    await Promise.all(
      [1, 2, 3].map((n) =>
        mutex.run('a', async () => {
          running++;
          expect(running).toBe(1);
          log.push(`start ${n}`);
          await tick();
          log.push(`end ${n}`);
          running--;
        }),
      ),
    );
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys concurrently and survives a failing task', async () => {
    const mutex = new KeyedMutex();
    let concurrent = 0;
    let peak = 0;
    const task = async () => {
      peak = Math.max(peak, ++concurrent);
      await tick();
      concurrent--;
    };
    await Promise.all([mutex.run('a', task), mutex.run('b', task)]);
    expect(peak).toBe(2);
    await expect(mutex.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('a', async () => 'next')).resolves.toBe('next');
  });
});
