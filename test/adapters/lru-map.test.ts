import { LruMap } from '../../shared/lru-map.js';

describe('LruMap: in-process caches within a budget', () => {
  it('counts entries by default and drops the least recently used, a read counting as a use', () => {
    const cache = new LruMap<string, number>(3);
    for (const [index, key] of ['a', 'b', 'c'].entries()) cache.set(key, index);
    expect(cache.get('a')).toBe(0);
    cache.set('d', 3);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([0, 2, 3]);
  });

  it('keeps the sizes within the budget, replaces an entry without counting it twice, and keeps no entry larger than the budget', () => {
    const cache = new LruMap<string, Uint8Array>(10, (bytes) => bytes.byteLength);
    cache.set('a', new Uint8Array(4));
    cache.set('b', new Uint8Array(4));
    cache.set('a', new Uint8Array(4));
    expect(cache.size).toBe(2);
    cache.set('c', new Uint8Array(4));
    // 12 bytes: the least recently used (b) goes.
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.byteLength).toBe(4);
    expect(cache.get('c')?.byteLength).toBe(4);
    cache.set('huge', new Uint8Array(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(2);
    cache.delete('a');
    cache.delete('absent');
    cache.set('d', new Uint8Array(6));
    expect([cache.get('c')?.byteLength, cache.get('d')?.byteLength]).toEqual([4, 6]);
  });
});
