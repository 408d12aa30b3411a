import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intFlag, numberFlag, parseFlags, UsageError } from '../../../lib/cli/args.ts';

test('flags are parsed strictly and numbers validated with the flag named', () => {
  const { values, positionals } = parseFlags(['x.txt', '--steps', '10', '--lr', '0.01', '--json'], { steps: { type: 'string' }, lr: { type: 'string' }, json: { type: 'boolean' } });
  assert.deepEqual(positionals, ['x.txt']);
  assert.equal(intFlag(values, 'steps', { min: 1 }), 10);
  assert.equal(numberFlag(values, 'lr'), 0.01);
  assert.equal(values.json, true);
  assert.throws(() => parseFlags(['--nope'], {}), UsageError);
  assert.throws(() => intFlag({ steps: '1.5' }, 'steps'), /--steps must be a whole number/);
  assert.throws(() => intFlag({ steps: '0' }, 'steps', { min: 1 }), />= 1/);
  assert.throws(() => intFlag({}, 'run', { required: true }), /--run is required/);
  assert.throws(() => numberFlag({ lr: 'fast' }, 'lr'), /--lr must be a number/);
});
