import { interpolateRdBu } from 'd3';

/**
 * Diverging colour for an activation in [-1, 1] (values outside are clamped): blue for negative,
 * white at 0, red for positive, as in Karpathy et al.'s figures.
 */
export function activationColor(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'transparent';
  const t = Math.max(-1, Math.min(1, v));
  return interpolateRdBu((1 - t) / 2);
}

/** Shade for a probability in [0, 1]: transparent to saturated blue. */
export function probabilityColor(p: number): string {
  const a = Math.max(0, Math.min(1, p));
  return `rgba(34, 87, 197, ${(0.08 + 0.82 * a).toFixed(3)})`;
}

/** Text colour that stays readable on an activation's background. */
export function inkOn(v: number | null | undefined): string {
  return v !== null && v !== undefined && Math.abs(v) > 0.75 ? '#fff' : '#111';
}

/** A feature's value in [0, 1]: transparent to green (kept apart from the activation colours). */
export function featureColor(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'transparent';
  const a = Math.max(0, Math.min(1, v));
  return `rgba(47, 158, 68, ${(0.06 + 0.94 * a).toFixed(3)})`;
}

/** A gate's value in [0, 1]: white (closed) to black (open), like Karpathy et al.'s gate plots. */
export function gateColor(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'transparent';
  const g = Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
  return `rgb(${g}, ${g}, ${g})`;
}

/**
 * An intervention's change of ln p(true next): orange-brown where the prediction got worse,
 * teal where better, white near 0; full colour at ±2 nats (kept apart from the activation reds
 * and blues, since the strip sits under text coloured by them).
 */
export function effectColor(d: number | null | undefined): string {
  if (d === null || d === undefined || Number.isNaN(d)) return 'transparent';
  const a = Math.min(1, Math.abs(d) / 2);
  return d < 0 ? `rgba(191, 91, 23, ${(0.04 + 0.96 * a).toFixed(3)})` : `rgba(17, 140, 132, ${(0.04 + 0.96 * a).toFixed(3)})`;
}
