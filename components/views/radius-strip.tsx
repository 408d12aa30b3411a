'use client';
import { displayChar } from './neuron-text.wrangle';

/** Shade for a spectral radius: white at 0, darker towards 1, dark red past 1 (the state grows there). */
export function radiusColor(r: number): string {
  if (r > 1) return `rgba(192, 57, 43, ${Math.min(1, 0.55 + 0.45 * Math.min(1, r - 1)).toFixed(3)})`;
  return `rgba(40, 52, 70, ${(0.04 + 0.75 * Math.max(0, r)).toFixed(3)})`;
}

/**
 * The text with each character shaded by the spectral radius of the state Jacobian at it: dark
 * where the layer holds on to what it carries (radius near 1), light where it lets go.
 */
export function RadiusStrip({ start, chars, radius, onPick }: { start: number; chars: string[]; radius: number[]; onPick?: (pos: number) => void }) {
  return (
    <div className="neuron-text" data-testid="radius-strip">
      <div className="nt-row" style={{ flexWrap: 'wrap' }}>
        {chars.map((ch, k) => {
          const r = radius[k] ?? 0;
          return (
            <span key={k} className="nt-ch" style={{ background: radiusColor(r), color: r > 0.6 ? '#fff' : '#111', cursor: onPick ? 'pointer' : undefined }} title={`offset ${start + k} ${JSON.stringify(ch)}: spectral radius ${r.toFixed(3)}`} onClick={() => onPick?.(start + k)} data-testid="radius-char">
              {displayChar(ch)}
            </span>
          );
        })}
      </div>
    </div>
  );
}
