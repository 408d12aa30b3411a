import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paramsFromSelection, selectionFromParams } from '../../../lib/stores/neuron-url.ts';
import { resetNeuronView, useNeuronView } from '../../../lib/stores/neuron-view-store.ts';

const lstm = { name: '0', kind: 'lstm', units: 64, quantities: ['c', 'h', 'i', 'f', 'o', 'g'] };
const rec = { start: 0, end: 5000, stack: [lstm, { ...lstm, name: '1' }] };

test('the URL round-trips the view state', () => {
  const sel = selectionFromParams(new URLSearchParams('layer=1&q=h&cell=17&cells=3,9&offset=1200&len=500&preds=0'), rec);
  assert.deepEqual(sel, { layer: 1, quantity: 'h', cell: 17, extraCells: [3, 9], offset: 1200, length: 500, showPredictions: false, highlight: null, feature: null, regex: '', gates: false, tanh: false, intervene: null });
  assert.deepEqual(selectionFromParams(paramsFromSelection(sel), rec), sel);
});

test('the URL carries the feature drawn under the text, its regex, and the gate traces', () => {
  const sel = selectionFromParams(new URLSearchParams('cell=4&feature=regex&regex=%5Cd%2B&gates=1'), rec);
  assert.equal(sel.feature, 'regex');
  assert.equal(sel.regex, '\\d+');
  assert.equal(sel.gates, true);
  assert.deepEqual(selectionFromParams(paramsFromSelection(sel), rec), sel);
  assert.equal(selectionFromParams(new URLSearchParams('feature=quote&regex=x'), rec).regex, '', 'a regex only goes with the regex feature');
  assert.equal(selectionFromParams(new URLSearchParams('feature=regex'), rec).feature, null, 'the regex feature without a regex draws nothing');
  assert.equal(selectionFromParams(new URLSearchParams('feature=sarcasm'), rec).feature, null);
});

test('the URL carries an intervention on the shown cells; one it cannot draw is dropped', () => {
  const sel = selectionFromParams(new URLSearchParams('cell=4&intervene=scale:-2.5'), rec);
  assert.equal(sel.intervene, 'scale:-2.5');
  assert.deepEqual(selectionFromParams(paramsFromSelection(sel), rec), sel);
  for (const bad of ['position:5', 'value:abc', 'zero;drop', 'clamp']) assert.equal(selectionFromParams(new URLSearchParams(`intervene=${encodeURIComponent(bad)}`), rec).intervene, null, bad);
});

test('malformed or out-of-range parameters fall back to defaults', () => {
  const sel = selectionFromParams(new URLSearchParams('layer=7&q=z&cell=-1&cells=1,x,999&offset=99999&len=3'), rec);
  assert.deepEqual(sel, { layer: 0, quantity: 'c', cell: 0, extraCells: [1], offset: 0, length: 1000, showPredictions: true, highlight: null, feature: null, regex: '', gates: false, tanh: false, intervene: null });
});

test('store: stepping cells wraps around, strips toggle, reset restores defaults', () => {
  resetNeuronView({ cell: 63 });
  useNeuronView.getState().stepCell(1, 64);
  assert.equal(useNeuronView.getState().cell, 0);
  useNeuronView.getState().stepCell(-1, 64);
  assert.equal(useNeuronView.getState().cell, 63);
  useNeuronView.getState().toggleExtraCell(5);
  useNeuronView.getState().toggleExtraCell(6);
  useNeuronView.getState().toggleExtraCell(5);
  assert.deepEqual(useNeuronView.getState().extraCells, [6]);
  resetNeuronView();
  assert.equal(useNeuronView.getState().cell, 0);
  assert.deepEqual(useNeuronView.getState().extraCells, []);
});

test('a mixed stack: each layer clamps the URL to its own cells and quantities, and moving to another layer keeps what it can', async () => {
  const { selectionOnLayer } = await import('../../../lib/stores/neuron-url.ts');
  const mixed = { start: 0, end: 100, stack: [lstm, { name: '1', kind: 'gru', units: 16, quantities: ['h', 'z', 'r', 'n'] }] };
  const sel = selectionFromParams(new URLSearchParams('layer=1&q=c&cell=40&cells=3,20'), mixed);
  assert.deepEqual([sel.layer, sel.quantity, sel.cell, sel.extraCells], [1, 'h', 0, [3]], 'the GRU layer has no c and 16 cells');
  assert.deepEqual(selectionFromParams(new URLSearchParams('layer=1&q=z&cell=15'), mixed).quantity, 'z');
  assert.deepEqual(selectionOnLayer(mixed, 1, { quantity: 'c', cell: 40, extraCells: [3, 20] }), { layer: 1, quantity: 'h', cell: 15, extraCells: [3] });
  assert.deepEqual(selectionOnLayer(mixed, 0, { quantity: 'h', cell: 15, extraCells: [3] }), { layer: 0, quantity: 'h', cell: 15, extraCells: [3] });
});

test('tanh(c) colouring travels in the URL', () => {
  const sel = selectionFromParams(new URLSearchParams('q=c&cell=3&tanh=1'), rec);
  assert.equal(sel.tanh, true);
  assert.equal(paramsFromSelection(sel).get('tanh'), '1');
  assert.deepEqual(selectionFromParams(paramsFromSelection(sel), rec), sel);
  assert.equal(selectionFromParams(new URLSearchParams('q=c&tanh=yes'), rec).tanh, false);
});
