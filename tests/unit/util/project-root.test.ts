import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../lib/util/project-root.ts';

test('the project root is the folder of the cellscope package.json; CELLSCOPE_ROOT overrides it', () => {
  const root = projectRoot();
  assert.ok(existsSync(join(root, 'package.json')));
  assert.equal((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name, 'cellscope');
  process.env.CELLSCOPE_ROOT = '/somewhere/else';
  try {
    assert.equal(projectRoot(), '/somewhere/else');
  } finally {
    delete process.env.CELLSCOPE_ROOT;
  }
});
