import { jest } from '@jest/globals';
import { ExpiringCache } from './expiring.cache.js';

/** A cache on a clock the test moves, in milliseconds. */
function cacheAt(maxEntries: number) {
  const clock = { now: 1_000_000 };
  const cache = new ExpiringCache<string, string>(maxEntries, () => clock.now);
  return { cache, clock };
}

/**
 * How many entries the cache holds, expired ones included. The class promises that memory never
 * grows past `maxEntries` and that expired entries are dropped as it goes; only the count shows it.
 */
const held = (cache: ExpiringCache<string, string>) => (cache as unknown as { entries: Map<string, unknown> }).entries.size;

/** The value of each key, `undefined` for an absent or expired one. */
const values = (cache: ExpiringCache<string, string>, ...keys: string[]) => keys.map((key) => cache.get(key));

describe('ExpiringCache', () => {
  it('answers a live entry, and undefined for a key it never had', () => {
    const { cache } = cacheAt(10);
    cache.set('a', 'value a', 1000);
    expect(cache.get('a')).toBe('value a');
    expect(cache.get('b')).toBeUndefined();
  });

  it('keeps an entry for exactly its ttl in milliseconds', () => {
    const { cache, clock } = cacheAt(10);
    cache.set('a', 'value a', 1000);
    clock.now += 999;
    expect(cache.get('a')).toBe('value a');
    clock.now += 1;
    expect(cache.get('a')).toBeUndefined();
    clock.now -= 1;
    expect(cache.get('a')).toBeUndefined(); // dropped when it was read expired
  });

  it('holds nothing for a ttl of 0', () => {
    const { cache } = cacheAt(10);
    cache.set('a', 'value a', 0);
    expect(cache.get('a')).toBeUndefined();
    expect(held(cache)).toBe(0);
  });

  it('replaces the value and the expiry of a key set again', () => {
    const { cache, clock } = cacheAt(10);
    cache.set('a', 'first', 1000);
    clock.now += 500;
    cache.set('a', 'second', 1000);
    clock.now += 999;
    expect(cache.get('a')).toBe('second');
    expect(held(cache)).toBe(1);
  });

  it('deletes a key', () => {
    const { cache } = cacheAt(10);
    cache.set('a', 'value a', 1000);
    cache.set('b', 'value b', 1000);
    cache.delete('a');
    cache.delete('never set');
    expect(values(cache, 'a', 'b')).toEqual([undefined, 'value b']);
  });

  describe('past maxEntries', () => {
    it('holds exactly maxEntries', () => {
      const { cache } = cacheAt(2);
      cache.set('a', 'value a', 1000);
      cache.set('b', 'value b', 1000);
      expect(values(cache, 'a', 'b')).toEqual(['value a', 'value b']);
    });

    it('drops the entries set longest ago first', () => {
      const { cache } = cacheAt(2);
      for (const key of ['a', 'b', 'c', 'd']) cache.set(key, `value ${key}`, 1000);
      expect(values(cache, 'a', 'b', 'c', 'd')).toEqual([undefined, undefined, 'value c', 'value d']);
      expect(held(cache)).toBe(2);
    });

    it('counts a key set again as the newest', () => {
      const { cache } = cacheAt(2);
      cache.set('a', 'value a', 1000);
      cache.set('b', 'value b', 1000);
      cache.set('a', 'value a again', 1000);
      cache.set('c', 'value c', 1000);
      expect(values(cache, 'a', 'b', 'c')).toEqual(['value a again', undefined, 'value c']);
    });

    it('makes room with an entry read after it expired, before dropping a live one', () => {
      const { cache, clock } = cacheAt(3);
      cache.set('a', 'value a', 10_000);
      cache.set('b', 'value b', 10);
      cache.set('c', 'value c', 10_000);
      clock.now += 50;
      expect(cache.get('b')).toBeUndefined();
      cache.set('d', 'value d', 10_000);
      expect(values(cache, 'a', 'c', 'd')).toEqual(['value a', 'value c', 'value d']);
    });
  });

  it('drops expired entries from the front whenever something is set, below maxEntries too', () => {
    const { cache, clock } = cacheAt(10);
    cache.set('a', 'value a', 10);
    cache.set('b', 'value b', 20);
    cache.set('c', 'value c', 10_000);
    cache.set('d', 'value d', 10);
    clock.now += 20;
    cache.set('e', 'value e', 10_000);
    // a and b are gone; d, expired behind the live c, waits for its turn.
    expect(held(cache)).toBe(3);
    expect(values(cache, 'c', 'e')).toEqual(['value c', 'value e']);
  });

  it('keeps an entry that expires later than now when something is set', () => {
    const { cache, clock } = cacheAt(10);
    cache.set('a', 'value a', 10);
    clock.now += 9;
    cache.set('b', 'value b', 10);
    expect(held(cache)).toBe(2);
    expect(cache.get('a')).toBe('value a');
  });

  it('runs on the system clock (Date.now) by default', () => {
    jest.useFakeTimers({ now: 1_715_000_000_000 });
    try {
      const cache = new ExpiringCache<string, string>(10);
      cache.set('a', 'value a', 1000);
      jest.advanceTimersByTime(999);
      expect(cache.get('a')).toBe('value a');
      jest.advanceTimersByTime(1);
      expect(cache.get('a')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
