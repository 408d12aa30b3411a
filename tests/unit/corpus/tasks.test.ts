import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyTaskTargets, copyTaskText } from '../../../lib/corpus/tasks/copy-task.ts';
import { addingTaskTargets, addingTaskText } from '../../../lib/corpus/tasks/adding-task.ts';

test('copy task: each line is letters, the gap of blanks, the marker and the same letters', () => {
  const text = copyTaskText({ gap: 7, examples: 50, seed: 3 });
  const lines = text.split('\n').filter(Boolean);
  assert.equal(lines.length, 50);
  for (const line of lines) {
    const m = /^([a-h]{10})(-{7}):([a-h]{10})$/.exec(line);
    assert.ok(m, line);
    assert.equal(m[1], m[3]);
  }
  assert.equal(copyTaskText({ gap: 7, examples: 5, seed: 3 }), copyTaskText({ gap: 7, examples: 5, seed: 3 }));
  // Targets: the marker and the first 9 recalled letters of each line predict a recalled letter.
  const targets = copyTaskTargets(text);
  assert.equal(targets.length, 50 * 10);
  for (const t of targets) assert.match(text[t + 1] ?? '', /[a-h]/);
  assert.equal(text[targets[0] ?? 0], ':');
});

test('adding task: two marked digits, one in each half, and their sum after "="', () => {
  const text = addingTaskText({ length: 12, examples: 200, seed: 5 });
  const lines = text.split('\n').filter(Boolean);
  assert.equal(lines.length, 200);
  for (const line of lines) {
    const [body, sum] = line.split('=') as [string, string];
    assert.equal(body.length, 12);
    const marked = [...body].map((ch, k) => [ch, k] as const).filter(([ch]) => /[A-J]/.test(ch));
    assert.equal(marked.length, 2, line);
    assert.ok((marked[0]?.[1] ?? 99) < 6 && (marked[1]?.[1] ?? 0) >= 6, `one marked digit per half: ${line}`);
    const value = marked.reduce((s, [ch]) => s + (ch.charCodeAt(0) - 65), 0);
    assert.equal(sum, String(value).padStart(2, '0'));
  }
  const targets = addingTaskTargets(text);
  assert.equal(targets.length, 400);
  for (const t of targets) assert.match(text[t + 1] ?? '', /\d/);
});

test('bad task parameters are refused', () => {
  assert.throws(() => copyTaskText({ gap: -1, examples: 1 }), /gap/);
  assert.throws(() => addingTaskText({ length: 1, examples: 1 }), /length/);
});
