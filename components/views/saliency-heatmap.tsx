'use client';
import * as d3 from 'd3';
import type { SaliencyAt } from '@/lib/saliency/saliency.ts';
import { activationColor } from './activation-color';
import { displayChar, positionWidth, wrangleLines } from './neuron-text.wrangle';

export type SaliencyMode = 'grad' | 'gxi';

/** Decades a logarithmic colour scale spans below the largest value. */
export const LOG_DECADES = 4;

/**
 * Background for one input: gradient norm on a sequential scale, gradient × input diverging.
 * On a log scale a value shades by its decade below the largest one, so that the faint
 * dependencies far back (gradients fall off exponentially) stay visible.
 */
export function saliencyColor(mode: SaliencyMode, v: number, scale: number, log = false): string {
  if (scale <= 0) return 'transparent';
  const rel = Math.min(1, Math.abs(v) / scale);
  const shade = log ? (rel <= 0 ? 0 : Math.max(0, 1 + Math.log10(rel) / LOG_DECADES)) : rel;
  if (mode === 'grad') return d3.interpolateOranges(shade * 0.9);
  return activationColor(Math.sign(v) * shade);
}

/** Largest magnitude among the inputs for the mode (the colour scale's end). */
export function saliencyScale(s: SaliencyAt, mode: SaliencyMode): number {
  return Math.max(0, ...s.inputs.map((i) => Math.abs(mode === 'grad' ? i.grad : i.gradXInput)));
}

/**
 * Li et al.'s saliency heatmap: the window's characters, each shaded by how much the prediction
 * after the last one depends on it, then the predicted character; under the text, the same
 * values as bars against distance so that near and far inputs compare at a glance.
 */
export function SaliencyHeatmap({ saliency, mode, log = false, onPick, words = false }: { saliency: SaliencyAt; mode: SaliencyMode; log?: boolean; onPick?: (pos: number) => void; words?: boolean }) {
  const chars = saliency.inputs.map((i) => i.char);
  const lines = wrangleLines(chars, 64, words);
  const scale = saliencyScale(saliency, mode);
  const value = (k: number): number => {
    const i = saliency.inputs[k];
    return i ? (mode === 'grad' ? i.grad : i.gradXInput) : 0;
  };
  const ink = (k: number): string => {
    const rel = Math.abs(value(k)) / (scale || 1);
    return (log ? rel > 10 ** (-0.3 * LOG_DECADES) : rel > 0.7) ? '#fff' : '#111';
  };
  return (
    <div>
      <div className="neuron-text saliency-text" data-testid="saliency-heatmap">
        {lines.map((line, li) => (
          <div className="nt-line" key={line.indices[0]}>
            <div className="nt-row">
              {line.indices.map((k) => {
                const i = saliency.inputs[k];
                if (!i) return null;
                return (
                  <span
                    key={k}
                    className={`nt-ch${i.char === '\n' ? ' nl' : ''}`}
                    style={{ background: saliencyColor(mode, value(k), scale, log), color: i.char === '\n' ? undefined : ink(k), cursor: onPick ? 'pointer' : 'default', ...(words ? { width: positionWidth(i.char, true), minWidth: positionWidth(i.char, true) } : {}) }}
                    title={`position ${i.pos} ${JSON.stringify(i.char)} · distance ${saliency.pos - i.pos}\n‖grad‖ ${i.grad.toFixed(4)}\ngrad×input ${i.gradXInput.toFixed(4)}${onPick ? '\nclick: saliency of the prediction after this character' : ''}`}
                    onClick={onPick ? () => onPick(i.pos) : undefined}
                    data-testid="saliency-char"
                  >
                    {displayChar(i.char)}
                  </span>
                );
              })}
              {li === lines.length - 1 && (
                <span className="saliency-target" data-testid="saliency-target" title={`predicted: ${JSON.stringify(saliency.target)}, p = ${saliency.targetProb.toFixed(4)}`}>
                  {saliency.target === ' ' ? '␣' : displayChar(saliency.target)}
                </span>
              )}
            </div>
          </div>
        ))}
      </div>
      <SaliencyBars saliency={saliency} mode={mode} scale={scale} />
    </div>
  );
}

const BW = 720;
const BH = 110;
const M = { top: 8, right: 8, bottom: 24, left: 44 };

function SaliencyBars({ saliency, mode, scale }: { saliency: SaliencyAt; mode: SaliencyMode; scale: number }) {
  const n = saliency.inputs.length;
  const x = d3.scaleBand<number>().domain(d3.range(n)).range([M.left, BW - M.right]).padding(0.15);
  const lo = mode === 'grad' ? 0 : -scale;
  const y = d3.scaleLinear().domain([lo, Math.max(scale, 1e-9)]).nice().range([BH - M.bottom, M.top]);
  const zero = y(0);
  const step = Math.max(1, Math.ceil(n / 16));
  return (
    <svg viewBox={`0 0 ${BW} ${BH}`} width="100%" style={{ maxWidth: BW, marginTop: 8 }} role="img" aria-label="saliency per input" data-testid="saliency-bars">
      {y.ticks(3).map((t) => (
        <g key={t}>
          <line x1={M.left} x2={BW - M.right} y1={y(t)} y2={y(t)} stroke="#eef0f3" />
          <text x={M.left - 4} y={y(t)} dy="0.32em" textAnchor="end" fontSize={9} fill="#626873">{d3.format('.2~g')(t)}</text>
        </g>
      ))}
      {saliency.inputs.map((inp, k) => {
        const v = mode === 'grad' ? inp.grad : inp.gradXInput;
        return (
          <rect key={k} x={x(k)} width={x.bandwidth()} y={Math.min(y(v), zero)} height={Math.abs(y(v) - zero)} fill={saliencyColor(mode, mode === 'grad' ? Math.max(v, 0.35 * scale) : v, scale)} stroke="#c4c8cf" strokeWidth={0.3}>
            <title>{`${JSON.stringify(inp.char)} distance ${saliency.pos - inp.pos}: ${v.toFixed(4)}`}</title>
          </rect>
        );
      })}
      {d3.range(0, n, step).map((k) => (
        <text key={k} x={(x(n - 1 - k) ?? 0) + x.bandwidth() / 2} y={BH - 10} textAnchor="middle" fontSize={9} fill="#626873">{k}</text>
      ))}
      <text x={BW - M.right} y={BH - 1} textAnchor="end" fontSize={9} fill="#626873">distance from the prediction (characters back)</text>
    </svg>
  );
}
