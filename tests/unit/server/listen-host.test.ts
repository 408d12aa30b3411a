import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveListenHost } from '../../../lib/server/listen-host.ts';

// Issue 11, finding 2: the server listened on every interface with no login.
test('the server listens on loopback unless told otherwise, and refuses a public host without accounts', () => {
  assert.equal(resolveListenHost({ env: {} }), '127.0.0.1');
  assert.equal(resolveListenHost({ env: { HOST: 'localhost' } }), 'localhost');
  assert.equal(resolveListenHost({ host: '::1', env: { HOST: '0.0.0.0' } }), '::1', '--host wins over HOST');
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'lab.example.org']) {
    assert.throws(() => resolveListenHost({ host, env: {} }), new RegExp(`refusing to listen on ${host.replace(/\./g, '\\.')}: without CELLSCOPE_AUTH=on Cellscope has no login`));
  }
  assert.throws(() => resolveListenHost({ env: { HOST: '0.0.0.0' } }), /refusing to listen on 0\.0\.0\.0/);
  assert.throws(() => resolveListenHost({ host: 'a b', env: {} }), /must be a host name/);
});

test('shared mode may listen beyond loopback once it is told the host names clients use', () => {
  assert.equal(resolveListenHost({ env: { CELLSCOPE_AUTH: 'on' } }), '127.0.0.1', 'shared mode on loopback needs nothing more');
  assert.throws(() => resolveListenHost({ host: '0.0.0.0', env: { CELLSCOPE_AUTH: 'on' } }), /needs CELLSCOPE_ALLOWED_HOSTS/);
  assert.equal(resolveListenHost({ host: '0.0.0.0', env: { CELLSCOPE_AUTH: 'on', CELLSCOPE_ALLOWED_HOSTS: 'cellscope.lab.example' } }), '0.0.0.0');
});
