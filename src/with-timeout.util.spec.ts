import { jest } from '@jest/globals';
import { withTimeout } from './with-timeout.util.js';

describe('withTimeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A promise that resolves with `value` after `ms` milliseconds. */
  const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

  it('answers what the operation answers, a plain value included, and leaves no timer behind', async () => {
    await expect(withTimeout(42, 1, 'label')).resolves.toBe(42);
    await expect(withTimeout(Promise.resolve('secrets'), 1, 'label')).resolves.toBe('secrets');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits for an operation that answers just within the time', async () => {
    const answer = withTimeout(after(1999, 'late but in time'), 2, 'label');
    await jest.advanceTimersByTimeAsync(1999);
    await expect(answer).resolves.toBe('late but in time');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with what the operation rejects with, and leaves no timer behind', async () => {
    const error = new Error('database unreachable');
    await expect(withTimeout(Promise.reject(error), 1, 'label')).rejects.toBe(error);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects, naming the label, once the seconds have passed without an answer', async () => {
    const outcome = withTimeout(new Promise(() => undefined), 2, 'secretResolverTimeout').catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(1999);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(await outcome).toEqual(new Error('no answer within 2 s (secretResolverTimeout)'));
    expect(jest.getTimerCount()).toBe(0);
  });

  it('takes fractions of a second', async () => {
    const outcome = withTimeout(after(5000, 'too late'), 0.25, 'replay.timeout').catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(249);
    let settled = false;
    void outcome.then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await outcome).toEqual(new Error('no answer within 0.25 s (replay.timeout)'));
  });
});
