import { MemoryReplayStore } from './memory-replay.store.js';

describe('MemoryReplayStore limits', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses maxEntries %p, saying what it takes', (max) => {
    expect(() => new MemoryReplayStore(max)).toThrow(
      new TypeError('MemoryReplayStore: maxEntries must be a positive whole number'),
    );
  });

  it('accepts a single entry', () => {
    const store = new MemoryReplayStore(1);
    store.consume('one', 10_000);
    store.consume('two', 10_000);
    expect(store.claim('two', 'y', 10_000)).toBe('consumed');
    expect(store.claim('one', 'x', 10_000)).toBe('claimed');
  });

  it('frees a consumed key for no token, not even an empty one', () => {
    const store = new MemoryReplayStore();
    store.consume('sig', 10_000);
    store.release('sig', '');
    store.release('sig', 'consumed');
    expect(store.claim('sig', 'next', 10_000)).toBe('consumed');
  });
});
