import { activationColor } from './activation-color';

/** The diverging scale's key: -1 … 0 … +1. */
export function ActivationLegend() {
  const stops = Array.from({ length: 11 }, (_, k) => `${activationColor(-1 + k / 5)} ${k * 10}%`).join(', ');
  return (
    <div className="legend">
      <span>−1</span>
      <div className="bar" style={{ background: `linear-gradient(to right, ${stops})` }} />
      <span>+1</span>
    </div>
  );
}
