'use client';
import { displayChar } from './neuron-text.wrangle';

/**
 * Shade for a spectral radius within the stretch's range [lo, hi]: light at its lowest, dark at
 * its highest (an LSTM's radius stays near its forget gates, so the range is what tells); red
 * past 1, where the state grows.
 */
export function radiusColor(r: number, lo: number, hi: number): string {
  if (r > 1) return `rgba(192, 57, 43, ${Math.min(1, 0.55 + 0.45 * Math.min(1, r - 1)).toFixed(3)})`;
  const t = hi > lo ? (r - lo) / (hi - lo) : 0.5;
  return `rgba(40, 52, 70, ${(0.04 + 0.8 * Math.max(0, Math.min(1, t))).toFixed(3)})`;
}

/**
 * The text with each character shaded by the spectral radius of the state Jacobian at it: dark
 * where the layer holds on to what it carries (radius near 1), light where it lets go.
 */
export function RadiusStrip({ start, chars, radius, onPick }: { start: number; chars: string[]; radius: number[]; onPick?: (pos: number) => void }) {
  const lo = Math.min(...radius);
  const hi = Math.min(1, Math.max(...radius));
  return (
    <div className="neuron-text" data-testid="radius-strip">
      <p className="small muted">Shaded from {lo.toFixed(3)} (lightest) to {hi.toFixed(3)} (darkest){Math.max(...radius) > 1 ? '; red past 1' : ''}.</p>
      <div className="nt-row" style={{ flexWrap: 'wrap' }}>
        {chars.map((ch, k) => {
          const r = radius[k] ?? 0;
          const dark = r > 1 || (hi > lo && (r - lo) / (hi - lo) > 0.6);
          return (
            <span key={k} className="nt-ch" style={{ background: radiusColor(r, lo, hi), color: dark ? '#fff' : '#111', cursor: onPick ? 'pointer' : undefined }} title={`offset ${start + k} ${JSON.stringify(ch)}: spectral radius ${r.toFixed(3)}`} onClick={() => onPick?.(start + k)} data-testid="radius-char">
              {displayChar(ch)}
            </span>
          );
        })}
      </div>
    </div>
  );
}
