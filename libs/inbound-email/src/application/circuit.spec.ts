import { Circuit, CircuitOpenError } from './circuit';

describe('Circuit', () => {
  it('refuses calls for a while after a failure, then tries again', async () => {
    let now = 0;
    const circuit = new Circuit('MongoDB', 1_000, () => now);
    const work = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue('ok');

    await expect(circuit.run(work)).rejects.toThrow('down');
    now = 999;
    await expect(circuit.run(work)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(work).toHaveBeenCalledTimes(1);
    now = 1_000;
    await expect(circuit.run(work)).resolves.toBe('ok');
    await expect(circuit.run(work)).resolves.toBe('ok');
  });
});
