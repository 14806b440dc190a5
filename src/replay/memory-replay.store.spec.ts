import { MemoryReplayStore } from './memory-replay.store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MemoryReplayStore', () => {
  it('claims a key once; a second claim sees it in flight, then consumed', () => {
    const store = new MemoryReplayStore();
    expect(store.claim('sig', 'a', 10_000)).toBe('claimed');
    expect(store.claim('sig', 'b', 10_000)).toBe('in-flight');
    store.consume('sig', 10_000);
    expect(store.claim('sig', 'c', 10_000)).toBe('consumed');
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

  it('forgets a lease and a consumed key when they expire', async () => {
    const store = new MemoryReplayStore();
    store.claim('lease', 'a', 20);
    store.claim('done', 'b', 10_000);
    store.consume('done', 20);
    await sleep(60);
    expect(store.claim('lease', 'c', 10_000)).toBe('claimed');
    expect(store.claim('done', 'd', 10_000)).toBe('claimed');
  });

  it('stays within maxEntries, forgetting the least recently used first', () => {
    const store = new MemoryReplayStore(2);
    ['one', 'two', 'three'].forEach((key) => store.consume(key, 10_000));
    expect(store.claim('one', 'x', 10_000)).toBe('claimed');
    expect(store.claim('three', 'y', 10_000)).toBe('consumed');
  });
});
