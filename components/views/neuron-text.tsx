'use client';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type MouseEvent } from 'react';
import type { Prediction } from '@/lib/stores/neuron-view-store.ts';
import { activationColor, effectColor, featureColor, gateColor, inkOn, probabilityColor } from './activation-color';
import { displayChar, positionWidth, wrangleLines } from './neuron-text.wrangle';

export interface NeuronTextProps {
  start: number;
  chars: string[];
  /** The primary cell's activations, coloring the characters. */
  primary: number[];
  primaryLabel: string;
  /** Extra cells drawn as thin heat strips under each line. */
  strips: { label: string; values: number[] }[];
  predictions: Prediction[] | null;
  nextProb: (number | null)[];
  highlight: [number, number] | null;
  /** A feature track in [0, 1] drawn as a green strip under each line. */
  feature?: { label: string; values: number[] } | null;
  /** Gate traces in [0, 1] (grey to black), one strip per gate. */
  gates?: { label: string; values: number[] }[];
  /** Where a click on a character leads: the saliency of the prediction after it. */
  saliencyHref?: (pos: number) => string;
  /** Positions are words (word-level corpora): each is drawn as wide as it is. */
  words?: boolean;
  /** A corpus of sequences: positions where one starts (a rule is drawn before them). */
  sequenceStarts?: readonly number[];
  /**
   * A classifier's class names: its predictions are classes, drawn as one p(class) strip each
   * (when all fit among the top 5), and nextProb is p(the sequence's label).
   */
  classes?: readonly string[] | null;
  /**
   * An intervention's effect (lib/causal/intervene.ts): Δ ln p(true next) per position, drawn as
   * a strip under each line, with each position's top predictions before and after on hover.
   */
  effect?: EffectStrip | null;
}

export interface EffectStrip {
  label: string;
  deltaLogp: (number | null)[];
  tops?: { before: { token: string; p: number }[]; after: { token: string; p: number }[] }[] | undefined;
}

/** p(class) per position from the top predictions (classes outside a position's top 5: 0). */
function classValues(props: NeuronTextProps, name: string): number[] {
  return props.chars.map((_, k) => {
    const p = props.predictions?.[k];
    const j = p?.chars.indexOf(name) ?? -1;
    return j >= 0 ? (p?.probs[j] ?? 0) : 0;
  });
}

interface Hover {
  k: number;
  x: number;
  y: number;
}

/**
 * Karpathy-style neuron firing: each character's background is the cell's activation on a
 * diverging scale over [-1, 1]; under each line, one strip per extra cell and the prediction
 * strip (top-5 next characters, shaded by probability, the true next one underlined).
 */
export function NeuronText(props: NeuronTextProps) {
  const words = props.words === true;
  const lines = useMemo(() => wrangleLines(props.chars, 100, words), [props.chars, words]);
  const starts = useMemo(() => new Set(props.sequenceStarts ?? []), [props.sequenceStarts]);
  // Every row draws position k equally wide, so strips stay under their word.
  const w = (k: number): { width?: number; minWidth?: number } => {
    const px = positionWidth(props.chars[k] ?? '', words);
    return px === undefined ? {} : { width: px, minWidth: px };
  };
  const [hover, setHover] = useState<Hover | null>(null);
  const onMove = (e: MouseEvent<HTMLDivElement>): void => {
    const target = (e.target as HTMLElement).closest('[data-k]');
    if (!target) return setHover(null);
    setHover({ k: Number(target.getAttribute('data-k')), x: e.clientX, y: e.clientY });
  };
  const router = useRouter();
  const onClick = (e: MouseEvent<HTMLDivElement>): void => {
    const target = (e.target as HTMLElement).closest('[data-k]');
    if (!target || !props.saliencyHref) return;
    router.push(props.saliencyHref(props.start + Number(target.getAttribute('data-k'))));
  };
  const tip = hover ? tooltipText(props, hover.k) : '';
  const gates = props.gates ?? [];
  // A classifier with up to 5 classes: a p(class) strip each instead of the top-5 rows.
  const classStrips = props.classes && props.classes.length <= 5 && props.predictions ? props.classes.map((name) => ({ name, values: classValues(props, name) })) : null;
  return (
    <div className="neuron-text" data-testid="neuron-text" onMouseMove={onMove} onMouseLeave={() => setHover(null)} onClick={onClick} style={props.saliencyHref ? { cursor: 'pointer' } : undefined}>
      {props.effect && (
        <p className="small muted nt-legend" data-testid="effect-legend">
          Under each line, {props.effect.label}: Δ ln p(true next), <span className="swatch" style={{ background: effectColor(-2) }} /> worse · <span className="swatch" style={{ background: effectColor(2) }} /> better (full colour at ±2); hover a position for the top predictions before and after.
        </p>
      )}
      {(props.feature || gates.length > 0 || classStrips) && (
        <p className="small muted nt-legend" data-testid="strip-legend">
          Under each line:{props.feature && <> <span className="swatch" style={{ background: featureColor(1) }} /> {props.feature.label}</>}
          {gates.length > 0 && <> · gates {gates.map((g) => g.label).join(', ')} (white 0 → black 1)</>}
          {classStrips && <>{props.feature || gates.length > 0 ? ' ·' : ''} the classifier&apos;s p({classStrips.map((c) => c.name).join('), p(')}) after each step, one strip each in that order (white 0 → dark blue 1)</>}
        </p>
      )}
      {lines.map((line) => (
        <div className="nt-line" key={line.indices[0]}>
          <div className="nt-row">
            {line.indices.map((k) => {
              const v = props.primary[k];
              const pos = props.start + k;
              const hit = props.highlight && pos >= props.highlight[0] && pos < props.highlight[1];
              return (
                <span
                  key={k}
                  data-k={k}
                  className={`nt-ch${props.chars[k] === '\n' ? ' nl' : ''}${hover?.k === k || hit ? ' hover' : ''}${starts.has(props.start + k) ? ' seq-start' : ''}`}
                  style={{ background: activationColor(v), color: props.chars[k] === '\n' ? undefined : inkOn(v), ...w(k) }}
                >
                  {displayChar(props.chars[k] ?? '')}
                </span>
              );
            })}
          </div>
          {props.effect && (
            <div className="nt-row nt-strip nt-effect" title={props.effect.label} data-testid="effect-strip">
              {line.indices.map((k) => <span key={k} data-k={k} className="nt-ch" style={{ background: effectColor(props.effect?.deltaLogp[k]), ...w(k) }} />)}
            </div>
          )}
          {props.feature && (
            <div className="nt-row nt-strip nt-feature" title={props.feature.label} data-testid="feature-strip">
              {line.indices.map((k) => <span key={k} data-k={k} className="nt-ch" style={{ background: featureColor(props.feature?.values[k]), ...w(k) }} />)}
            </div>
          )}
          {gates.map((g) => (
            <div className="nt-row nt-strip" key={g.label} title={g.label} data-testid="gate-strip">
              {line.indices.map((k) => <span key={k} data-k={k} className="nt-ch" style={{ background: gateColor(g.values[k]), ...w(k) }} />)}
            </div>
          ))}
          {props.strips.map((s) => (
            <div className="nt-row nt-strip" key={s.label} title={s.label}>
              {line.indices.map((k) => <span key={k} data-k={k} className="nt-ch" style={{ background: activationColor(s.values[k]), ...w(k) }} />)}
            </div>
          ))}
          {classStrips?.map((c) => (
            <div className="nt-row nt-strip nt-class" key={`class-${c.name}`} title={`p(${c.name})`} data-testid="class-strip">
              {line.indices.map((k) => <span key={k} data-k={k} className="nt-ch" style={{ background: probabilityColor(c.values[k] ?? 0), ...w(k) }} />)}
            </div>
          ))}
          {props.predictions && !classStrips &&
            [0, 1, 2, 3, 4].map((j) => (
              <div className="nt-row nt-pred" key={`p${j}`}>
                {line.indices.map((k) => {
                  const p = props.predictions?.[k];
                  const ch = p?.chars[j] ?? '';
                  const truth = props.chars[k + 1];
                  return (
                    <span key={k} data-k={k} className={`nt-ch${truth !== undefined && ch === truth ? ' hit' : ''}`} style={{ background: probabilityColor(p?.probs[j] ?? 0), color: (p?.probs[j] ?? 0) > 0.6 ? '#fff' : '#222', ...w(k) }}>
                      {displayChar(ch)}
                    </span>
                  );
                })}
              </div>
            ))}
        </div>
      ))}
      {hover && tip && (
        <div className="tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} data-testid="neuron-tooltip">
          {tip}
        </div>
      )}
    </div>
  );
}

function tooltipText(props: NeuronTextProps, k: number): string {
  const ch = props.chars[k];
  if (ch === undefined) return '';
  const rows = [`offset ${props.start + k}  ${JSON.stringify(ch)}`, `${props.primaryLabel}: ${fmt(props.primary[k])}`];
  for (const s of props.strips) rows.push(`${s.label}: ${fmt(s.values[k])}`);
  if (props.feature) rows.push(`${props.feature.label}: ${fmt(props.feature.values[k])}`);
  for (const g of props.gates ?? []) rows.push(`${g.label}: ${fmt(g.values[k])}`);
  const p = props.predictions?.[k];
  if (p) rows.push(`${props.classes ? 'classes' : 'next'}: ${p.chars.map((c, j) => `${JSON.stringify(c)} ${(p.probs[j] ?? 0).toFixed(2)}`).join('  ')}`);
  const np = props.nextProb[k];
  if (np !== null && np !== undefined) rows.push(props.classes ? `p(the sequence's label) = ${np.toFixed(3)}` : `p(true next ${JSON.stringify(props.chars[k + 1] ?? '')}) = ${np.toFixed(3)}`);
  const d = props.effect?.deltaLogp[k];
  if (props.effect && d !== null && d !== undefined) {
    rows.push(`${props.effect.label}: Δ ln p(true next) ${d >= 0 ? '+' : ''}${d.toFixed(3)}`);
    const t = props.effect.tops?.[k];
    const list = (xs: { token: string; p: number }[]): string => xs.map((x) => `${JSON.stringify(x.token)} ${x.p.toFixed(2)}`).join('  ');
    if (t) rows.push(`  before: ${list(t.before)}`, `  after:  ${list(t.after)}`);
  }
  if (props.saliencyHref) rows.push('click: which earlier characters this prediction depends on');
  return rows.join('\n');
}

function fmt(v: number | undefined): string {
  return v === undefined ? '–' : v.toFixed(3);
}
