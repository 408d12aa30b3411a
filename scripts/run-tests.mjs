// `npm test`: the type check and the lint (each counted as one test), the unit tests (node:test,
// tests/unit/**) and then the Playwright journeys (tests/e2e), with output streamed as it comes.
// Ends with one plain line that totals them: "tests: N passed, N failed". Exits non-zero if any
// failed.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2]; // 'unit' | 'e2e' | undefined (both)

function listTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// Every answer of every route, in the unit tests and the journeys' servers, is checked against
// its contract (lib/http/respond.ts): an answer that drifts from its schema fails the tests.
const env = { ...process.env, CELLSCOPE_CHECK_RESPONSES: '1' };

function run(cmd, args, tally) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let text = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      text += chunk.toString();
      if (text.length > 200_000) text = text.slice(-100_000);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, ...tally(text) }));
  });
}

const num = (text, re) => {
  const m = [...text.matchAll(re)].at(-1);
  return m ? Number(m[1]) : 0;
};

let passed = 0;
let failed = 0;
let exit = 0;
if (only === undefined) {
  // The gates that keep the house in shape, each counted as one test: types, then lint (type-aware
  // rules and the formatter's, scripts/eslint.config.js).
  const gates = [
    ['type check (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']],
    ['lint (eslint)', ['node_modules/eslint/bin/eslint.js', '--config', 'scripts/eslint.config.js', '--max-warnings', '0', 'app', 'components', 'lib', 'models', 'tests', 'scripts']],
  ];
  for (const [name, args] of gates) {
    console.log(`[tests] ${name}`);
    const r = await run(process.execPath, args, () => ({}));
    if (r.code === 0) passed++;
    else {
      failed++;
      exit = 1;
    }
  }
}
if (only !== 'e2e') {
  const files = listTests('tests/unit');
  const r = await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], (t) => ({
    passed: num(t, /^[#ℹ] pass (\d+)/gm),
    failed: num(t, /^[#ℹ] fail (\d+)/gm) + num(t, /^[#ℹ] cancelled (\d+)/gm),
  }));
  passed += r.passed;
  failed += r.failed + (r.code !== 0 && r.failed === 0 ? 1 : 0);
  if (r.code !== 0) exit = 1;
}
if (only !== 'unit') {
  const r = await run(process.execPath, ['node_modules/@playwright/test/cli.js', 'test'], (t) => ({
    passed: num(t, /^\s*(\d+) passed/gm),
    failed: num(t, /^\s*(\d+) failed/gm) + num(t, /^\s*(\d+) flaky/gm),
  }));
  passed += r.passed;
  failed += r.failed + (r.code !== 0 && r.failed === 0 ? 1 : 0);
  if (r.code !== 0) exit = 1;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(exit);
