import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bracketDepthTrack, commentTrack, featureTrack, ifBlockTrack, indentTrack, latexEnvTrack, linePositionTrack, quoteTrack, regexTrack,
} from '../../../lib/corpus/feature-tracks.ts';

const bits = (t: ArrayLike<number>): string => Array.from(t, (v) => (v ? '1' : '0')).join('');

test('quote: inside from the opening quote to before the closing one; escapes; curly quotes; unclosed at the end', () => {
  assert.equal(bits(quoteTrack('a "bc" d')), '00111000');
  assert.equal(bits(quoteTrack('"a\\"b"c')), '1111100', 'an escaped quote does not close');
  assert.equal(bits(quoteTrack('x “y” z')), '0011000');
  assert.equal(bits(quoteTrack('he said "never')), '00000000111111', 'an unclosed quote stays open to the end');
  assert.equal(quoteTrack('😀"x"').length, 4, 'one value per code point');
  assert.equal(bits(quoteTrack("c = '\"'; d")), '0000000000', 'a C character literal is not a quote');
  assert.equal(bits(quoteTrack('“a\n\n“b” c')), '111011000', 'a blank line ends a paragraph\'s unclosed quote; the next opens again');
  assert.equal(bits(quoteTrack('“a “b” c')), '11111000', 'curly quotes do not nest');
  assert.equal(bits(quoteTrack('"a\nb"')), '11110', 'a quote spans a line break (hard-wrapped prose)');
});

test('brackets: depth after each character, all three kinds, never below zero', () => {
  assert.deepEqual(Array.from(bracketDepthTrack('a(b[c]{d})e)')), [0, 1, 1, 2, 2, 1, 2, 2, 1, 0, 0, 0]);
  assert.equal(bits(featureTrack('f(x) (', 'bracket')), '011001');
});

test('line position and indentation (tabs to the next multiple of 8)', () => {
  assert.deepEqual(Array.from(linePositionTrack('ab\ncd')), [1, 2, 0, 1, 2]);
  assert.deepEqual(Array.from(indentTrack('x\n  y\n\tz\n')), [0, 0, 2, 2, 2, 0, 8, 8, 0]);
});

test('comments: block and line comments, markers inside strings ignored', () => {
  assert.equal(bits(commentTrack('a/*b*/c')), '0111100');
  assert.equal(bits(commentTrack('x // y\nz')), '00111100');
  assert.equal(bits(commentTrack('s = "http://x"; // c')), `${'0'.repeat(16)}1111`);
  assert.equal(bits(commentTrack('/* open')), '1111111', 'unclosed to the end');
});

test('if blocks: from the keyword to the closing brace (or semicolon), nested braces, not inside identifiers', () => {
  const code = 'if (a) { b(); } c; diff (x) { y }';
  const t = ifBlockTrack(code);
  const inside = code.slice(0, code.indexOf('}'));
  assert.equal(bits(t.subarray(0, inside.length)), '1'.repeat(inside.length));
  assert.equal(t[code.indexOf('}')], 0, 'the closing brace ends it');
  assert.equal(bits(t.subarray(code.indexOf('c;'))), '0'.repeat(code.length - code.indexOf('c;')), '"diff" is no if');
  assert.equal(bits(ifBlockTrack('if (x) y = {1}; z')), `${'1'.repeat(14)}000`, 'without braces: to the semicolon');
  const nested = 'if (a) { if (b) { c } d } e';
  assert.equal(ifBlockTrack(nested)[nested.indexOf('d')], 1, 'the outer block continues after the inner one');
});

test('LaTeX environments: \\begin{x} ... \\end{x}, nested', () => {
  const tex = 'a\\begin{eq}x\\end{eq}b';
  const t = latexEnvTrack(tex);
  assert.equal(t[0], 0);
  assert.equal(t[tex.indexOf('x')], 1);
  assert.equal(t[tex.length - 2], 0, 'the closing brace of \\end{eq} is outside');
  assert.equal(t[tex.length - 1], 0);
  const nested = '\\begin{a}\\begin{b}x\\end{b}y\\end{a}z';
  assert.equal(latexEnvTrack(nested)[nested.indexOf('y')], 1);
  assert.equal(latexEnvTrack(nested)[nested.indexOf('z')], 0);
});

test('regex: characters inside matches; an invalid pattern is refused with a clear message', () => {
  assert.equal(bits(regexTrack('the cat sat', 'c.t')), '00001110000');
  assert.equal(bits(regexTrack('😀ab', 'b')), '001', 'code-point positions');
  assert.throws(() => regexTrack('x', '(unclosed'), /invalid regular expression "\(unclosed"/);
  assert.throws(() => featureTrack('x', 'regex'), /needs a pattern/);
});

test('regex: a catastrophic-backtracking pattern runs in linear time (RE2), not for minutes', () => {
  // V8's engine needs ~2^n steps for (\w+\s?)+$ on a word run ending in a non-word character.
  const text = `${'abcdefgh '.repeat(20_000)}!`;
  const t0 = performance.now();
  const t = regexTrack(text, '(\\w+\\s?)+$');
  assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
  assert.equal(t.reduce((a, b) => a + b, 0), 0, 'nothing before the final ! matches up to the end');
  assert.equal(bits(regexTrack('a😀bx😀', 'x😀|😀.')), '01111', 'matches after astral characters land on code points');
  assert.throws(() => regexTrack('aa', '(a)\\1'), /invalid regular expression.*RE2 syntax/);
  assert.throws(() => regexTrack('x', 'x'.repeat(501)), /longer than 500/);
});
