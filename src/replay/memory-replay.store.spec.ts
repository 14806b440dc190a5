import { jest } from '@jest/globals';
import { MemoryReplayStore } from './memory-replay.store.js';

// The store runs on the system clock: fake timers move it. Stores are built after
// jest.useFakeTimers(), so that they read the fake clock.
beforeEach(() => jest.useFakeTimers({ now: 1_715_000_000_000 }));
afterEach(() => jest.useRealTimers());

describe('MemoryReplayStore', () => {
  it('claims a key once; a second claim sees it in flight, then consumed', () => {
    const store = new MemoryReplayStore();
    expect(store.claim('sig', 'a', 10_000)).toBe('claimed');
    expect(store.claim('sig', 'b', 10_000)).toBe('in-flight');
    store.consume('sig', 10_000);
    expect(store.claim('sig', 'c', 10_000)).toBe('consumed');
  });

  it('keeps keys apart', () => {
    const store = new MemoryReplayStore();
    store.consume('one', 10_000);
    expect(store.claim('two', 'a', 10_000)).toBe('claimed');
    expect(store.claim('one', 'b', 10_000)).toBe('consumed');
  });

  it("releases only its owner's lease, never a consumed key", () => {
    const store = new MemoryReplayStore();
    store.claim('sig', 'owner', 10_000);
    store.release('sig', 'someone-else');
    expect(store.claim('sig', 'x', 10_000)).toBe('in-flight');
    store.release('sig', 'owner');
    expect(store.claim('sig', 'next', 10_000)).toBe('claimed');
    store.consume('sig', 10_000);
    store.release('sig', 'next');
    expect(store.claim('sig', 'y', 10_000)).toBe('consumed');
  });

  it('frees a consumed key for no token, not even an empty one or the consumed marker itself', () => {
    const store = new MemoryReplayStore();
    store.consume('sig', 10_000);
    store.release('sig', '');
    store.release('sig', 'consumed');
    expect(store.claim('sig', 'next', 10_000)).toBe('consumed');
  });

  it('forgets a lease and a consumed key when they expire, to the millisecond', () => {
    const store = new MemoryReplayStore();
    store.claim('lease', 'a', 20);
    store.claim('done', 'b', 10_000);
    store.consume('done', 30);
    jest.advanceTimersByTime(19);
    expect(store.claim('lease', 'c', 10_000)).toBe('in-flight');
    jest.advanceTimersByTime(1);
    expect(store.claim('lease', 'c', 10_000)).toBe('claimed');
    jest.advanceTimersByTime(9);
    expect(store.claim('done', 'd', 10_000)).toBe('consumed');
    jest.advanceTimersByTime(1);
    expect(store.claim('done', 'd', 10_000)).toBe('claimed');
  });

  describe('renew', () => {
    it("extends its owner's lease by leaseMs from now", () => {
      const store = new MemoryReplayStore();
      store.claim('sig', 'owner', 1000);
      jest.advanceTimersByTime(900);
      store.renew('sig', 'owner', 1000);
      jest.advanceTimersByTime(999);
      expect(store.claim('sig', 'x', 1000)).toBe('in-flight');
      jest.advanceTimersByTime(1);
      expect(store.claim('sig', 'x', 1000)).toBe('claimed');
    });

    it("does not touch someone else's lease", () => {
      const store = new MemoryReplayStore();
      store.claim('sig', 'owner', 1000);
      jest.advanceTimersByTime(900);
      store.renew('sig', 'someone-else', 60_000);
      jest.advanceTimersByTime(100);
      expect(store.claim('sig', 'x', 1000)).toBe('claimed');
    });

    it('never shortens a consumed key, whatever the token', () => {
      const store = new MemoryReplayStore();
      store.consume('sig', 60_000);
      store.renew('sig', 'consumed', 10);
      store.renew('sig', 'owner', 10);
      jest.advanceTimersByTime(59_999);
      expect(store.claim('sig', 'x', 1000)).toBe('consumed');
    });

    it('does not bring back a lease that expired or was released', () => {
      const store = new MemoryReplayStore();
      store.claim('expired', 'owner', 100);
      store.claim('released', 'owner', 100_000);
      store.release('released', 'owner');
      jest.advanceTimersByTime(100);
      store.renew('expired', 'owner', 60_000);
      store.renew('released', 'owner', 60_000);
      expect(store.claim('expired', 'x', 1000)).toBe('claimed');
      expect(store.claim('released', 'x', 1000)).toBe('claimed');
    });
  });

  describe('limits', () => {
    it('stays within maxEntries, forgetting the oldest first', () => {
      const store = new MemoryReplayStore(2);
      ['one', 'two', 'three'].forEach((key) => store.consume(key, 10_000));
      expect(store.claim('three', 'y', 10_000)).toBe('consumed');
      expect(store.claim('two', 'x', 10_000)).toBe('consumed');
      expect(store.claim('one', 'x', 10_000)).toBe('claimed');
    });

    it('accepts a single entry', () => {
      const store = new MemoryReplayStore(1);
      store.consume('one', 10_000);
      store.consume('two', 10_000);
      expect(store.claim('two', 'y', 10_000)).toBe('consumed');
      expect(store.claim('one', 'x', 10_000)).toBe('claimed');
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses maxEntries %p, saying what it takes', (max) => {
      expect(() => new MemoryReplayStore(max)).toThrow(
        new TypeError('MemoryReplayStore: maxEntries must be a positive whole number'),
      );
    });

    it('holds 100,000 signatures by default', () => {
      const store = new MemoryReplayStore();
      for (let i = 0; i <= 100_000; i++) store.consume(`sig-${i}`, 10_000);
      expect(store.claim('sig-1', 'x', 10_000)).toBe('consumed');
      expect(store.claim('sig-0', 'x', 10_000)).toBe('claimed');
    });
  });
});
