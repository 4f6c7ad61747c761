import type { Kafka, ProducerRecord } from 'kafkajs';
import { EventPublisher } from './event-publisher';

/** A producer whose sends complete when the test says so. */
function fakeKafka() {
  const sends: { record: ProducerRecord; finish: (error?: Error) => void }[] = [];
  const producer = {
    connect: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    send: jest.fn(
      (record: ProducerRecord) =>
        new Promise((resolve, reject) => {
          sends.push({ record, finish: (error) => (error ? reject(error) : resolve([])) });
        }),
    ),
  };
  return { kafka: { producer: () => producer } as unknown as Kafka, sends };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const values = (record: ProducerRecord) => record.messages.map((m) => String(m.value));

describe('EventPublisher', () => {
  it('sends a call at once when nothing is in flight, with acks=all', async () => {
    const { kafka, sends } = fakeKafka();
    const publisher = new EventPublisher(kafka);
    const done = publisher.publish('t', [{ key: 'k', value: 'a' }]);
    await tick();
    expect(sends).toHaveLength(1);
    expect(sends[0].record).toMatchObject({ topic: 't', acks: -1 });
    expect(values(sends[0].record)).toEqual(['a']);
    sends[0].finish();
    await expect(done).resolves.toBeUndefined();
  });

  it('sends the calls that arrived during a request together, in arrival order, and resolves each only after its request', async () => {
    const { kafka, sends } = fakeKafka();
    const publisher = new EventPublisher(kafka);
    const first = publisher.publish('t', [{ key: 'k1', value: 'a' }]);
    await tick();
    let secondDone = false;
    const second = publisher.publish('t', [{ key: 'k2', value: 'b' }]).then(() => (secondDone = true));
    const third = publisher.publish('t', [{ key: 'k1', value: 'c' }, { key: 'k3', value: 'd' }]);
    await tick();
    expect(sends).toHaveLength(1);
    sends[0].finish();
    await first;
    await tick();
    expect(sends).toHaveLength(2);
    expect(values(sends[1].record)).toEqual(['b', 'c', 'd']);
    expect(secondDone).toBe(false);
    sends[1].finish();
    await Promise.all([second, third]);
    expect(secondDone).toBe(true);
  });

  it('fails every call of a failed request and keeps serving later ones', async () => {
    const { kafka, sends } = fakeKafka();
    const publisher = new EventPublisher(kafka);
    const first = publisher.publish('t', [{ key: 'k', value: 'a' }]);
    await tick();
    const second = publisher.publish('t', [{ key: 'k', value: 'b' }]);
    const third = publisher.publish('t', [{ key: 'k', value: 'c' }]);
    await tick();
    sends[0].finish();
    await first;
    await tick();
    sends[1].finish(new Error('broker gone'));
    await expect(second).rejects.toThrow('broker gone');
    await expect(third).rejects.toThrow('broker gone');
    const fourth = publisher.publish('t', [{ key: 'k', value: 'e' }]);
    await tick();
    expect(values(sends[2].record)).toEqual(['e']);
    sends[2].finish();
    await expect(fourth).resolves.toBeUndefined();
  });

  it('keeps topics apart: a request in flight on one topic does not hold back another', async () => {
    const { kafka, sends } = fakeKafka();
    const publisher = new EventPublisher(kafka);
    void publisher.publish('a', [{ key: null, value: '1' }]);
    await tick();
    const other = publisher.publish('b', [{ key: null, value: '2' }]);
    await tick();
    expect(sends.map((s) => s.record.topic)).toEqual(['a', 'b']);
    sends[1].finish();
    await expect(other).resolves.toBeUndefined();
  });
});
