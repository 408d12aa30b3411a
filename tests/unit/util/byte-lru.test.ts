import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteLru, corpusCacheBytes } from '../../../lib/util/byte-lru.ts';

// Issue 11, finding 8: 11 uploads of 45 MB took the server from 1.3 to 4.6 GB; the caches kept all.
test('the cache holds at most its byte budget, evicting the least recently used; oversized entries are not kept', () => {
  const lru = new ByteLru<number, Uint8Array>({ maxBytes: 100, sizeOf: (v) => v.byteLength });
  for (let k = 0; k < 50; k++) {
    lru.set(k, new Uint8Array(30));
    assert.ok(lru.bytes <= 100, `holds ${lru.bytes} bytes after ${k + 1} entries`);
  }
  assert.equal(lru.size, 3);
  assert.deepEqual([47, 48, 49].map((k) => lru.get(k) !== undefined), [true, true, true]);
  lru.get(47); // now the most recent
  lru.set(50, new Uint8Array(30));
  assert.equal(lru.get(48), undefined, 'the least recently used went first');
  assert.ok(lru.get(47));
  lru.set(99, new Uint8Array(101));
  assert.equal(lru.get(99), undefined);
  lru.set(47, new Uint8Array(10));
  assert.equal(lru.bytes, 70, 'replacing an entry counts its new size only');
  let loads = 0;
  const load = (): Uint8Array => (loads++, new Uint8Array(5));
  lru.getOrSet(7, load);
  lru.getOrSet(7, load);
  assert.equal(loads, 1);
  assert.equal(corpusCacheBytes({}), 256 * 1024 ** 2);
  assert.equal(corpusCacheBytes({ CELLSCOPE_CORPUS_CACHE_MB: '8' }), 8 * 1024 ** 2);
});

test('deleteWhere drops the entries it is asked to, and their bytes', () => {
  const lru = new ByteLru<string, Uint8Array>({ maxBytes: 100, sizeOf: (v) => v.byteLength });
  for (const k of ['3:quote', '3:line', '31:quote', '4:quote']) lru.set(k, new Uint8Array(10));
  lru.deleteWhere((k) => k.startsWith('3:'));
  assert.deepEqual(['3:quote', '3:line', '31:quote', '4:quote'].map((k) => lru.get(k) !== undefined), [false, false, true, true]);
  assert.equal(lru.bytes, 20);
});
