import { describe, expect, it } from 'vitest';
import { PageCache, type Loaded } from './page-cache.server';

type V = { stock: number };
function setup(options: { max?: number; ttlMs?: number } = {}) {
  let live = true;
  let clock = 0;
  const db = new Map<string, { id: number; stock: number }>([['a', { id: 1, stock: 5 }], ['b', { id: 2, stock: 7 }], ['c', { id: 3, stock: 9 }]]);
  let loads = 0;
  const cache = new PageCache<V>({ ...options, enabled: () => live, now: () => clock });
  const load = (key: string) => async (): Promise<Loaded<V>> => {
    loads++;
    const row = db.get(key);
    return row ? { productId: row.id, value: { stock: row.stock } } : null;
  };
  const get = (key: string) => cache.get(key, load(key));
  return { cache, db, get, load, loads: () => loads, setLive: (v: boolean) => (live = v), tick: (ms: number) => (clock += ms) };
}

describe('PageCache', () => {
  it('answers repeat reads from memory and reads again after a reported change of that product only', async () => {
    const t = setup();
    expect(await t.get('a')).toEqual({ stock: 5 });
    expect(await t.get('b')).toEqual({ stock: 7 });
    t.db.set('a', { id: 1, stock: 4 });
    expect(await t.get('a')).toEqual({ stock: 5 }); // not reported yet
    expect(t.loads()).toBe(2);
    t.cache.changed([1]);
    expect(await t.get('a')).toEqual({ stock: 4 });
    expect(await t.get('b')).toEqual({ stock: 7 });
    expect(t.loads()).toBe(3);
    t.cache.changed('all');
    await t.get('b');
    expect(t.loads()).toBe(4);
  });

  it('keeps nothing and reads the database every time while the feed is not live', async () => {
    const t = setup();
    await t.get('a');
    t.setLive(false);
    t.db.set('a', { id: 1, stock: 1 });
    expect(await t.get('a')).toEqual({ stock: 1 });
    expect(t.cache.size).toBe(0);
    await t.get('a');
    expect(t.loads()).toBe(3);
  });

  it('does not keep a load that a reported change overlapped', async () => {
    const t = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = t.cache.get('a', async () => {
      const value = { stock: t.db.get('a')!.stock }; // reads the old row…
      await gate; // …and the change commits and is reported meanwhile
      return { productId: 1, value };
    });
    t.db.set('a', { id: 1, stock: 0 });
    t.cache.changed([1]);
    release();
    expect(await slow).toEqual({ stock: 5 }); // its caller gets what it read
    expect(await t.get('a')).toEqual({ stock: 0 }); // but the next reader does not
  });

  it('shares one load between concurrent misses, and keeps neither errors nor not-found', async () => {
    const t = setup();
    const all = await Promise.all([t.get('a'), t.get('a'), t.get('a')]);
    expect(all).toEqual([{ stock: 5 }, { stock: 5 }, { stock: 5 }]);
    expect(t.loads()).toBe(1);
    expect(await t.get('missing')).toBeNull();
    t.db.set('missing', { id: 9, stock: 1 });
    expect(await t.get('missing')).toEqual({ stock: 1 });
    await expect(t.cache.get('x', async () => { throw new Error('db down'); })).rejects.toThrow('db down');
    expect(await t.cache.get('x', async () => ({ productId: 10, value: { stock: 2 } }))).toEqual({ stock: 2 });
  });

  it('expires entries after the TTL and drops the least recently used beyond the maximum', async () => {
    const t = setup({ ttlMs: 1_000, max: 2 });
    await t.get('a');
    t.tick(999);
    await t.get('a');
    expect(t.loads()).toBe(1);
    t.tick(2);
    await t.get('a');
    expect(t.loads()).toBe(2);
    await t.get('b');
    await t.get('a'); // a is now the most recently used
    await t.get('c'); // evicts b
    expect(t.cache.size).toBe(2);
    const before = t.loads();
    await t.get('a');
    expect(t.loads()).toBe(before);
    await t.get('b');
    expect(t.loads()).toBe(before + 1);
  });
});
