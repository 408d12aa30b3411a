/**
 * Structural feature tracks of a text, one value per character (code point), for finding the
 * cells that track them (issue 5's cell finder). A value at p describes the state after reading
 * character p, as a recorded state does: the opening quote itself is already "inside", the
 * closing one is not.
 *   quote          inside "..." (straight quotes toggle, not when escaped by a backslash) or “...”
 *   bracket        inside (), [] or {}            bracket-depth  their nesting depth
 *   line           position in the line (0 after a newline)
 *   indent         the current line's indentation in columns (tabs to the next multiple of 8)
 *   comment        inside a C/JS comment: /* ... *\/ or // to the end of the line (not in strings)
 *   if             inside an `if (...) {...}` statement, from the `i` to its closing brace (or ;)
 *   latex-env      inside \begin{x} ... \end{x}, nesting counted
 *   regex          inside a match of a user's regular expression
 * Binary features are 0/1; unclosed constructs stay open to the end of the text.
 */
import { RE2JS } from 're2js';
export const BINARY_FEATURES = ['quote', 'bracket', 'comment', 'if', 'latex-env', 'regex'] as const;
export const NUMERIC_FEATURES = ['bracket-depth', 'line', 'indent'] as const;
export type FeatureName = (typeof BINARY_FEATURES)[number] | (typeof NUMERIC_FEATURES)[number];
export const FEATURES: readonly FeatureName[] = [...BINARY_FEATURES, ...NUMERIC_FEATURES];

/** How each feature is named on screen. */
export const FEATURE_LABELS: Record<FeatureName, string> = {
  quote: 'inside quotes',
  bracket: 'inside brackets',
  'bracket-depth': 'bracket depth',
  line: 'position in the line',
  indent: 'indentation',
  comment: 'inside a comment',
  if: 'inside an if block',
  'latex-env': 'inside a LaTeX environment',
  regex: 'inside a regex match',
};

export function isBinaryFeature(f: FeatureName): boolean {
  return (BINARY_FEATURES as readonly string[]).includes(f);
}

/** The text's characters (code points), the unit of every track. */
function charsOf(text: string): string[] {
  return Array.from(text);
}

/**
 * Inside a quotation. Straight quotes toggle (not when escaped by a backslash, nor a C character
 * literal '"'); curly quotes open with “ and close with ”, without nesting, because prose that
 * continues a quotation into the next paragraph opens it again without closing it. A blank line
 * ends any quotation: no string literal spans one, and a paragraph's unclosed quote must not leave
 * the rest of a book "inside" (War and Peace has 33 such).
 */
export function quoteTrack(text: string): Uint8Array {
  const ch = charsOf(text);
  const out = new Uint8Array(ch.length);
  let straight = false;
  let curly = false;
  let backslashes = 0;
  let lineBlank = true;
  ch.forEach((c, p) => {
    if (c === '"' && backslashes % 2 === 0 && !(ch[p - 1] === "'" && ch[p + 1] === "'")) straight = !straight;
    else if (c === '“') curly = true;
    else if (c === '”') curly = false;
    if (c === '\n') {
      if (lineBlank && p > 0) {
        straight = false;
        curly = false;
      }
      lineBlank = true;
    } else if (c !== ' ' && c !== '\t' && c !== '\r') lineBlank = false;
    backslashes = c === '\\' ? backslashes + 1 : 0;
    out[p] = straight || curly ? 1 : 0;
  });
  return out;
}

export function bracketDepthTrack(text: string): Float32Array {
  const ch = charsOf(text);
  const out = new Float32Array(ch.length);
  let depth = 0;
  ch.forEach((c, p) => {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    out[p] = depth;
  });
  return out;
}

export function linePositionTrack(text: string): Float32Array {
  const ch = charsOf(text);
  const out = new Float32Array(ch.length);
  let col = 0;
  ch.forEach((c, p) => {
    col = c === '\n' ? 0 : col + 1;
    out[p] = col;
  });
  return out;
}

export function indentTrack(text: string): Float32Array {
  const ch = charsOf(text);
  const out = new Float32Array(ch.length);
  let lineStart = 0;
  for (let p = 0; p <= ch.length; p++) {
    if (p < ch.length && ch[p] !== '\n') continue;
    // The line [lineStart, p): its leading whitespace in columns applies to all of it.
    let cols = 0;
    for (let q = lineStart; q < p; q++) {
      if (ch[q] === ' ') cols++;
      else if (ch[q] === '\t') cols = (Math.floor(cols / 8) + 1) * 8;
      else break;
    }
    out.fill(cols, lineStart, p);
    if (p < ch.length) out[p] = 0; // the newline ends the line
    lineStart = p + 1;
  }
  return out;
}

export function commentTrack(text: string): Uint8Array {
  const ch = charsOf(text);
  const out = new Uint8Array(ch.length);
  let mode: 'code' | 'block' | 'line' | 'string' = 'code';
  for (let p = 0; p < ch.length; p++) {
    const c = ch[p];
    const prev = ch[p - 1];
    if (mode === 'code') {
      if (c === '"') mode = 'string';
      else if (c === '*' && prev === '/') {
        mode = 'block';
        out[p - 1] = 1;
      } else if (c === '/' && prev === '/') {
        mode = 'line';
        out[p - 1] = 1;
      }
    } else if (mode === 'string') {
      if (c === '"' && prev !== '\\') mode = 'code';
    } else if (mode === 'block') {
      if (c === '/' && prev === '*' && out[p - 2] === 1) {
        mode = 'code';
        out[p] = 0;
        continue;
      }
    } else if (c === '\n') mode = 'code';
    out[p] = mode === 'block' || mode === 'line' ? 1 : 0;
  }
  return out;
}

export function ifBlockTrack(text: string): Uint8Array {
  const ch = charsOf(text);
  const out = new Uint8Array(ch.length);
  const ident = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
  let p = 0;
  const marks: [number, number][] = [];
  while (p < ch.length) {
    if (ch[p] === 'i' && ch[p + 1] === 'f' && !ident(ch[p - 1]) && !ident(ch[p + 2])) {
      let q = p + 2;
      while (q < ch.length && /\s/.test(ch[q] ?? '')) q++;
      if (ch[q] === '(') {
        // The condition: to its matching parenthesis.
        let depth = 0;
        for (; q < ch.length; q++) {
          if (ch[q] === '(') depth++;
          else if (ch[q] === ')' && --depth === 0) break;
        }
        q++;
        while (q < ch.length && /\s/.test(ch[q] ?? '')) q++;
        let end = ch.length;
        if (ch[q] === '{') {
          let d = 0;
          for (let r = q; r < ch.length; r++) {
            if (ch[r] === '{') d++;
            else if (ch[r] === '}' && --d === 0) {
              end = r;
              break;
            }
          }
        } else {
          const semi = ch.indexOf(';', q);
          end = semi < 0 ? ch.length - 1 : semi;
        }
        // Inside from the `i` up to, not including, the closing brace or semicolon: after reading
        // it the statement is over.
        marks.push([p, end]);
      }
    }
    p++;
  }
  for (const [a, b] of marks) out.fill(1, a, b);
  return out;
}

export function latexEnvTrack(text: string): Uint8Array {
  const ch = charsOf(text);
  const out = new Uint8Array(ch.length);
  const joined = ch.join('');
  let depth = 0;
  for (let p = 0; p < ch.length; p++) {
    if (ch[p] === '\\') {
      const rest = joined.slice(p, p + 64);
      const begin = /^\\begin\{[^}\n]*\}/.exec(rest);
      const end = /^\\end\{[^}\n]*\}/.exec(rest);
      if (begin) depth++;
      if (end && depth > 0) {
        // Inside through the closing brace of \end{x}'s name, outside after it.
        const len = [...(end[0] ?? '')].length;
        out.fill(1, p, p + len - 1);
        p += len - 1;
        depth--;
        out[p] = depth > 0 ? 1 : 0;
        continue;
      }
    }
    out[p] = depth > 0 ? 1 : 0;
  }
  return out;
}

/** The most characters a user's pattern may have. */
export const MAX_PATTERN_LENGTH = 500;

/**
 * Characters inside matches of `pattern`, a user's regular expression. It runs on RE2's
 * linear-time engine (re2js), never on V8's backtracking one: a pattern such as `(\w+\s?)+$`
 * takes time linear in the text instead of hanging the server. RE2 syntax is JavaScript's
 * without backreferences and lookaround; a pattern it cannot compile is refused with its reason.
 */
export function regexTrack(text: string, pattern: string, opts: { caseInsensitive?: boolean } = {}): Uint8Array {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`the regular expression is longer than ${MAX_PATTERN_LENGTH} characters`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, opts.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (err) {
    throw new Error(`invalid regular expression ${JSON.stringify(pattern)} (RE2 syntax: no backreferences or lookaround): ${(err as Error).message}`);
  }
  const ch = charsOf(text);
  const out = new Uint8Array(ch.length);
  // Match offsets are UTF-16 units: map them to code points.
  const cp = new Int32Array(text.length + 1);
  let k = 0;
  for (let u = 0; u < text.length; u++) {
    cp[u] = k;
    const c = text.charCodeAt(u);
    if (!(c >= 0xd800 && c <= 0xdbff)) k++;
  }
  cp[text.length] = k;
  const m = re.matcher(text);
  while (m.find()) {
    const a = m.start();
    const b = m.end();
    if (b > a) out.fill(1, cp[a], cp[b]);
  }
  return out;
}

/** A feature's track over a text (`regex` needs its pattern). */
export function featureTrack(text: string, feature: FeatureName, regex?: string): Float32Array {
  switch (feature) {
    case 'quote':
      return Float32Array.from(quoteTrack(text));
    case 'bracket':
      return bracketDepthTrack(text).map((d) => (d > 0 ? 1 : 0));
    case 'bracket-depth':
      return bracketDepthTrack(text);
    case 'line':
      return linePositionTrack(text);
    case 'indent':
      return indentTrack(text);
    case 'comment':
      return Float32Array.from(commentTrack(text));
    case 'if':
      return Float32Array.from(ifBlockTrack(text));
    case 'latex-env':
      return Float32Array.from(latexEnvTrack(text));
    case 'regex':
      if (regex === undefined) throw new Error('the regex feature needs a pattern');
      return Float32Array.from(regexTrack(text, regex));
  }
}
