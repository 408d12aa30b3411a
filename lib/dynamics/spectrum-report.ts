import type { Db } from '../db/client.ts';
import { BadRequestError } from '../errors.ts';
import { saliencySourceOfRun } from '../saliency/saliency-source.ts';
import { eigenvalues, gershgorinDiscs, recurrentMatrix, spectralRadius, type Complex, type Disc } from './spectrum.ts';
import { sampledJacobianSpectra } from './jacobian-report.ts';
import type { JacobianSpectrum } from './state-jacobian.ts';

/** `cellscope dynamics --what spectrum` and GET /api/runs/:id/spectrum: every layer's recurrent spectrum at a checkpoint. */
export interface LayerSpectrum {
  layer: number;
  arch: string;
  /** Which matrix (lib/dynamics/spectrum.ts recurrentMatrix). */
  matrix: string;
  description: string;
  eigenvalues: Complex[];
  discs: Disc[];
  spectralRadius: number;
  /** The actual state Jacobian ∂s_t/∂s_{t−1} (h; an LSTM's h and c) at a few corpus positions. */
  jacobian: JacobianSpectrum[];
}

export interface SpectrumReport {
  runId: number;
  checkpointId: number;
  step: number;
  layers: LayerSpectrum[];
}

export async function runSpectrum(db: Db, runId: number, opts: { checkpointId?: number | undefined; layer?: number | undefined } = {}): Promise<SpectrumReport> {
  const source = await saliencySourceOfRun(db, runId, opts.checkpointId);
  const layers = source.model.layers;
  if (opts.layer !== undefined && (!Number.isInteger(opts.layer) || opts.layer < 0 || opts.layer >= layers.length)) throw new BadRequestError(`layer must be one of 0..${layers.length - 1}, got ${opts.layer}`, 'layer');
  const out: LayerSpectrum[] = [];
  for (const [l, layer] of layers.entries()) {
    if (opts.layer !== undefined && l !== opts.layer) continue;
    const m = recurrentMatrix(layer.spec.arch, layer.spec.units, layer.recurrentKernel.dataSync() as Float32Array);
    const eig = eigenvalues(m.a, m.n);
    out.push({
      layer: l, arch: layer.spec.arch, matrix: m.name, description: m.description, eigenvalues: eig, discs: gershgorinDiscs(m.a, m.n), spectralRadius: spectralRadius(eig),
      jacobian: sampledJacobianSpectra(source.model, source.ids, l),
    });
  }
  return { runId, checkpointId: source.checkpointId, step: source.step, layers: out };
}
