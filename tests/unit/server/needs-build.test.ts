import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needsBuild } from '../../../lib/server/needs-build.ts';

test('a build is needed when none exists or a source is newer than it, not otherwise', () => {
  const root = mkdtempSync(join(tmpdir(), 'cellscope-build-'));
  try {
    mkdirSync(join(root, 'app'), { recursive: true });
    mkdirSync(join(root, 'lib', 'db', 'generated'), { recursive: true });
    writeFileSync(join(root, 'app', 'page.tsx'), 'x');
    assert.equal(needsBuild(root), true, 'never built');
    mkdirSync(join(root, '.next'));
    writeFileSync(join(root, '.next', 'BUILD_ID'), 'id');
    const t = Date.now() / 1000;
    utimesSync(join(root, 'app', 'page.tsx'), t - 100, t - 100);
    utimesSync(join(root, '.next', 'BUILD_ID'), t - 50, t - 50);
    assert.equal(needsBuild(root), false, 'build newer than every source');
    // Generated client code is rewritten at every install and does not count.
    writeFileSync(join(root, 'lib', 'db', 'generated', 'client.ts'), 'y');
    assert.equal(needsBuild(root), false);
    utimesSync(join(root, 'app', 'page.tsx'), t, t);
    assert.equal(needsBuild(root), true, 'a source changed after the build');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
