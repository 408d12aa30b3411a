import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wrangleMemory } from '../../../components/views/memory-chart.wrangle.ts';

test('memory chart: one series per architecture in the given order, points by gap, unmeasured cells left out', () => {
  const data = wrangleMemory(
    [
      { arch: 'lstm', gap: 20, accuracy: 0.5 },
      { arch: 'lstm', gap: 5, accuracy: 0.9 },
      { arch: 'irnn', gap: 5, accuracy: null },
      { arch: 'irnn', gap: 20 },
      { arch: 'lstm', gap: 10, accuracy: Number.NaN },
    ],
    ['irnn', 'lstm'],
  );
  assert.deepEqual(data.gaps, [5, 10, 20]);
  assert.deepEqual(data.series.map((s) => s.arch), ['irnn', 'lstm']);
  assert.deepEqual(data.series[0]?.points, []);
  assert.deepEqual(data.series[1]?.points, [[5, 0.9], [20, 0.5]]);
  assert.equal(data.series[1]?.label, 'LSTM');
});
