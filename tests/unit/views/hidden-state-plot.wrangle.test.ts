import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wranglePlot } from '../../../components/views/hidden-state-plot.wrangle.ts';

test('hidden-state plot: selected lines drawn last, per-character count of selected cells on, extent covers [-1, 1]', () => {
  const values = [
    [0.1, 0.5, 0.6],
    [0.4, 0.4, -0.2],
    [1.5, 0.0, 0.3],
  ];
  const d = wranglePlot({ values, selected: [0, 2], threshold: 0.3 });
  assert.deepEqual(d.lines.map((l) => [l.cell, l.selected]), [[1, false], [0, true], [2, true]]);
  assert.deepEqual(d.onCounts, [1, 1, 2]);
  assert.deepEqual([d.yMin, d.yMax], [-1, 1.5]);
  assert.deepEqual(d.lines[1]?.points, [[0, 0.1], [1, 0.5], [2, 0.6]]);
});
