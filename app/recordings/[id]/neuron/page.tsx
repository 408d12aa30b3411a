import Link from 'next/link';
import { Permalink } from '@/components/permalink';
import { PermalinkCheck } from '@/components/permalink-check';
import { getRecording } from '@/lib/db/recordings.ts';
import { getRun } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { FEATURE_LABELS, type FeatureName } from '@/lib/corpus/feature-tracks.ts';
import { neuronDetails, type NeuronDetails, EXAMPLE_BEFORE } from '@/lib/neurons/neuron-details.ts';
import { isGate, quantityLabel } from '@/models/architectures.ts';
import { ActivationHistogram } from '@/components/views/activation-histogram';
import { ExampleStrip } from '@/components/views/example-strip';
import { activationColor, inkOn } from '@/components/views/activation-color';
import { displayChar } from '@/components/views/neuron-text.wrangle';
import { readoutColumn } from '@/lib/causal/readout-column.ts';
import { editableQuantities } from '@/lib/causal/editable.ts';

export const dynamic = 'force-dynamic';

function intIn(raw: string | string[] | undefined, min: number, max: number, fallback: number): number {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= min && n <= max ? n : fallback;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));

/**
 * A neuron page (Neuroscope-style dataset examples): one cell's top-activating and most negative
 * stretches of the whole recording, its histogram and saturation, the features it correlates
 * with best and the characters after which it fires most — all computed when it was recorded.
 */
export default async function NeuronPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, entity: rec } = await loadPageEntity(params, { kind: 'recording', load: getRecording });
  const run = await getRun(db, rec.runId);
  const sp = await searchParams;
  const layer = intIn(sp.layer, 0, rec.stack.length - 1, 0);
  // Each layer its own cells and quantities (a mixed stack's GRU layer has no c).
  const { units: H, quantities } = rec.stack[layer] ?? { units: rec.hidden, quantities: rec.quantities };
  const quantity = typeof sp.q === 'string' && quantities.includes(sp.q) ? sp.q : (quantities[0] ?? 'h');
  const cell = intIn(sp.cell, 0, H - 1, 0);
  let details: NeuronDetails | null = null;
  let problem: string | null = null;
  try {
    details = await neuronDetails(db, rec.id, { layer, quantity, cell });
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  const self = (c: number): string => `/recordings/${rec.id}/neuron?layer=${layer}&q=${quantity}&cell=${c}`;
  const view = (offset: number): string => `/recordings/${rec.id}?layer=${layer}&q=${quantity}&cell=${cell}&offset=${Math.max(rec.start, offset)}`;
  const scale = details ? Math.max(1e-6, Math.abs(details.min), Math.abs(details.max)) : 1;
  // Cause beside correlation: the read-out weights of a top-layer h, and a link to ablate the cell.
  const readout = details ? await readoutColumn(db, rec.id, { layer, quantity, cell }).catch(() => null) : null;
  const ablatable = rec.predictions && rec.origin !== 'lstmvis' && !run.config.classes && rec.unit !== 'word' && editableQuantities(rec.stack[layer]?.kind ?? '').includes(quantity);
  const show = (token: string): string => JSON.stringify(token).slice(1, -1);
  return (
    <>
      <h1 data-testid="neuron-title">Layer {layer} · {quantityLabel(quantity)} · cell {cell}</h1>
      <p className="muted small">
        Recording #{rec.id} of <Link href={`/runs/${run.id}`}>{run.name}</Link> at step {rec.checkpointStep} · {rec.corpusName} characters {rec.start.toLocaleString('en-US')}–{rec.end.toLocaleString('en-US')} ·{' '}
        <Link href={self((cell + H - 1) % H)} data-testid="neuron-prev">← cell {(cell + H - 1) % H}</Link> ·{' '}
        <Link href={self((cell + 1) % H)} data-testid="neuron-next">cell {(cell + 1) % H} →</Link> ·{' '}
        <Link href={view(details?.top[0] ? details.top[0].pos - 200 : rec.start)}>neuron firing view</Link> · <Link href={`/recordings/${rec.id}/gates`}>gate saturation</Link> · <Permalink run={rec.runId} checkpoint={rec.checkpointId} corpus={rec.corpusId} />
      </p>
      <PermalinkCheck params={sp} rec={rec} />
      {problem || !details ? (
        <section className="panel"><p className="error" data-testid="neuron-problem">{problem}</p></section>
      ) : (
        <>
          <section className="panel grid2">
            <div>
              <div className="stats">
                <div className="stat"><div className="v">{fmt(details.mean)}</div><div className="k">mean</div></div>
                <div className="stat"><div className="v">{fmt(details.std)}</div><div className="k">std</div></div>
                <div className="stat"><div className="v">{fmt(details.min)}</div><div className="k">min</div></div>
                <div className="stat"><div className="v">{fmt(details.max)}</div><div className="k">max</div></div>
                <div className="stat" data-testid="neuron-saturation"><div className="v">{(100 * details.low).toFixed(1)}% / {(100 * details.high).toFixed(1)}%</div><div className="k">{isGate(quantity) ? 'below 0.1 / above 0.9' : 'below −0.9 / above 0.9'}</div></div>
              </div>
              <ActivationHistogram hist={details.hist} low={details.low} high={details.high} />
            </div>
            <div>
              {details.features.length > 0 && (
                <>
                  <h2>Features it tracks best</h2>
                  <table data-testid="neuron-features">
                    <thead><tr><th>feature</th><th className="num">correlation r</th></tr></thead>
                    <tbody>
                      {details.features.slice(0, 5).map((f) => (
                        <tr key={f.feature}>
                          <td><Link href={`${view(details.top[0] ? details.top[0].pos - 200 : rec.start)}&feature=${f.feature}`}>{FEATURE_LABELS[f.feature as FeatureName] ?? f.feature}</Link></td>
                          <td className="num">{f.r.toFixed(3)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
              <h2 style={{ marginTop: 12 }}>Fires most after</h2>
              <div className="chips" data-testid="neuron-chars-high">
                {details.charsHigh.map((c) => <span key={c.char} className="chip" style={{ background: activationColor(c.mean / scale), color: inkOn(c.mean / scale) }} title={`mean ${c.mean.toFixed(3)} over ${c.count} steps`}>{displayChar(c.char) === '\u00a0' ? '␣' : displayChar(c.char)} {c.mean.toFixed(2)}</span>)}
              </div>
              <h2 style={{ marginTop: 12 }}>Lowest after</h2>
              <div className="chips">
                {details.charsLow.map((c) => <span key={c.char} className="chip" style={{ background: activationColor(c.mean / scale), color: inkOn(c.mean / scale) }} title={`mean ${c.mean.toFixed(3)} over ${c.count} steps`}>{displayChar(c.char) === '\u00a0' ? '␣' : displayChar(c.char)} {c.mean.toFixed(2)}</span>)}
              </div>
            </div>
          </section>
          {(readout || ablatable) && (
            <section className="panel" data-testid="neuron-cause">
              <h2>Does the model use it?</h2>
              {ablatable && (
                <p className="small">
                  <Link href={`${view(details.top[0] ? details.top[0].pos - 200 : rec.start)}&intervene=zero`} data-testid="neuron-ablate">The effect of ablating this cell</Link>: the neuron view around its strongest example with the cell zeroed, the change of ln p(next) under each line.
                  {' '}<Link href={`/recordings/${rec.id}/causal`}>Rank every cell of the layer by it</Link>.
                </p>
              )}
              {readout && (
                <div data-testid="neuron-readout">
                  <p className="small muted">Its direct effect on the output: its row of the read-out W_out (logits = h W_out + b). When the cell is positive it pushes up the first row and down the second; negative, the reverse.</p>
                  {([['up', readout.up], ['down', readout.down]] as const).map(([way, entries]) => {
                    const top = Math.max(1e-6, Math.abs(entries[0]?.weight ?? 1));
                    return (
                      <div className="chips" key={way} style={{ marginTop: 6 }}>
                        pushes {way}: {entries.map((r) => <span key={r.token} className="chip" style={{ background: activationColor(r.weight / top), color: inkOn(r.weight / top) }} title={`weight ${r.weight.toFixed(3)}`}>{show(r.token)} {r.weight.toFixed(2)}</span>)}
                      </div>
                    );
                  })}
                </div>
              )}
            </section>
          )}
          <section className="panel">
            <h2>Top-activating examples</h2>
            <p className="small muted">The {details.top.length} highest values over the whole recording, at least 24 characters apart; {EXAMPLE_BEFORE} characters of context before each peak (outlined). Click one to open it in the neuron view.</p>
            <div data-testid="neuron-top">{details.top.map((e) => <ExampleStrip key={e.pos} example={e} scale={scale} href={view(e.pos - 100)} words={rec.unit === 'word'} />)}</div>
          </section>
          <section className="panel">
            <h2>Most negative examples</h2>
            <div data-testid="neuron-bottom">{details.bottom.map((e) => <ExampleStrip key={e.pos} example={e} scale={scale} href={view(e.pos - 100)} words={rec.unit === 'word'} />)}</div>
          </section>
        </>
      )}
    </>
  );
}
