'use client';
import type { MatchStrip } from '@/lib/search/strips.ts';
import type { Match } from '@/lib/search/match-types.ts';
import { MatchStripView } from './match-strip';

/** A match as the API returns it (lib/search/match-types.ts), with its text and strip. */
export type MatchRow = Match & { text: string; strip?: MatchStrip };

/** At most 48 characters: long matches keep both ends. */
export function abridge(text: string): string {
  const chars = [...text];
  return chars.length <= 48 ? text : `${chars.slice(0, 22).join('')}…${chars.slice(-22).join('')}`;
}

/**
 * Match results (LSTMVis's ranking: most selected cells on throughout, then fewest other cells,
 * then length closest to the selection; in soft mode, cosine similarity first), each with its
 * text and scores; a click shows it in the hidden-state plot.
 */
export function MatchList({ matches, selectedCount, soft = false, onOpen }: { matches: MatchRow[]; selectedCount: number; soft?: boolean; onOpen: (m: MatchRow) => void }) {
  return (
    <table className="matches" data-testid="match-list">
      <thead>
        <tr><th className="num">#</th><th>text</th><th className="num">position</th><th className="num">length</th><th className="num">cells on (of {selectedCount})</th><th className="num">others on</th><th className="num">Jaccard</th>{soft && <th className="num">cosine</th>}</tr>
      </thead>
      <tbody>
        {matches.map((m, i) => (
          <tr key={`${m.start}-${m.end}`} data-testid="match-row" onClick={() => onOpen(m)} style={{ cursor: 'pointer' }}>
            <td className="num">{i + 1}</td>
            <td>{m.strip ? <MatchStripView strip={m.strip} truncated={m.end - m.start > m.strip.chars.length} /> : <code className="snippet">{abridge(m.text).replace(/\n/g, '⏎').replace(/ /g, '·')}</code>}</td>
            <td className="num">{m.start.toLocaleString('en-US')}</td>
            <td className="num">{m.end - m.start}</td>
            <td className="num">{m.intersection}</td>
            <td className="num">{m.union - selectedCount}</td>
            <td className="num">{m.jaccard.toFixed(2)}</td>
            {soft && <td className="num" data-testid="match-cosine">{(m.score ?? 0).toFixed(3)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
