'use client';
import { tagColor } from './tag-colors';

/** Part-of-speech tags over the matched characters, most frequent first, as labelled bars. */
export function TagHistogram({ tags }: { tags: Record<string, number> }) {
  const rows = Object.entries(tags).filter(([t]) => t !== 'none').sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((n, [, c]) => n + c, 0) || 1;
  const max = Math.max(1, ...rows.map(([, c]) => c));
  return (
    <svg viewBox={`0 0 320 ${rows.length * 16 + 4}`} width="100%" style={{ maxWidth: 320 }} data-testid="tag-histogram" role="img" aria-label="part-of-speech tags at matched positions">
      {rows.map(([tag, count], i) => (
        <g key={tag} transform={`translate(0 ${i * 16 + 2})`}>
          <text x={52} y={10} textAnchor="end" fontSize={10} fill="#495057">{tag}</text>
          <rect x={58} y={2} width={(200 * count) / max} height={10} fill={tagColor(tag)} />
          <text x={62 + (200 * count) / max} y={10} fontSize={9} fill="#868e96">{`${((100 * count) / total).toFixed(0)}%`}</text>
        </g>
      ))}
    </svg>
  );
}
