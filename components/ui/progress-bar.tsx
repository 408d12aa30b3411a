/** A horizontal bar for a fraction in [0, 1]. */
export function ProgressBar({ value, label }: { value: number; label?: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 1000) / 10;
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={label ?? 'progress'}>
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}
