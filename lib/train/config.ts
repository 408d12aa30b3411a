import { z } from 'zod';
import { ACTIVATIONS, ARCHITECTURE_SHORT, ARCHITECTURES, NORMS, RECURRENT_ACTIVATIONS, describeStack, quantitiesFor, stackOf, type CellOptions, type CharModelShape, type LayerSpec } from '../../models/architectures.ts';
import { DROPOUT_KINDS } from '../../models/dropout.ts';

/**
 * Everything that defines a training run. Validated at every edge (HTTP, CLI, job payloads read
 * back from the database); inside lib it is trusted.
 */
/**
 * One layer of an imported model whose layers differ (lib/import/): its cell kind, units and the
 * activations and GRU form it was trained with.
 */
/** Most classes an imported classifier may score. */
export const MAX_CLASSES = 1000;

export const stackLayerSchema = z
  .object({
    arch: z.enum(ARCHITECTURES),
    units: z.number().int().min(1).max(8192),
    recurrentActivation: z.enum(RECURRENT_ACTIVATIONS).default('sigmoid'),
    activation: z.enum(ACTIVATIONS).optional(),
    resetAfter: z.boolean().default(false),
    /** One direction of a bidirectional layer (backward: it reads right to left). */
    direction: z.enum(['forward', 'backward']).default('forward'),
    /** The layers whose h make its input ([]: the tokens); default the layer below. */
    inputs: z.array(z.number().int().min(0).max(15)).max(16).optional(),
  })
  .strict();

export type StackLayerConfig = z.infer<typeof stackLayerSchema>;

export const trainConfigSchema = z
  .object({
    arch: z.enum(ARCHITECTURES).default('lstm'),
    /** Recurrent layers (imported models may have more than the app trains). */
    layers: z.number().int().min(1).max(16).default(1),
    /** Units per layer (imported models may be narrower than the app trains). */
    hidden: z.number().int().min(1).max(4096).default(128),
    batch: z.number().int().min(1).max(256).default(32),
    seq: z.number().int().min(2).max(512).default(64),
    steps: z.number().int().min(1).max(1_000_000).default(1000),
    learningRate: z.number().positive().max(1).default(0.002),
    clipNorm: z.number().positive().max(1000).default(5),
    dropout: z.number().min(0).max(0.9).default(0),
    /** Where the dropout goes (models/dropout.ts); in-cell kinds need a cell that has them. */
    dropoutKind: z.enum(DROPOUT_KINDS).default('feedforward'),
    /** RHN recurrence depth (micro-layers per step). */
    depth: z.number().int().min(1).max(10).default(3),
    /** RHN: couple the carry gate to the transform gate (c = 1 - t). */
    coupled: z.boolean().default(true),
    /** ESN: spectral radius of the fixed reservoir. */
    spectralRadius: z.number().positive().max(2).default(0.95),
    /** LSTM: layer normalisation (Ba et al. 2016) or recurrent batch normalisation (Cooijmans et al. 2016). */
    norm: z.enum(NORMS).default('none'),
    /** Save a checkpoint every this many steps (and always at the end). */
    checkpointEvery: z.number().int().min(1).max(1_000_000).default(200),
    /** Measure validation loss every this many steps (and at the end). */
    evalEvery: z.number().int().min(1).max(1_000_000).default(100),
    /** Validation characters scored per evaluation (the first ones of the split). */
    evalChars: z.number().int().min(16).max(10_000_000).default(100_000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /**
     * fused: the WebAssembly sequence kernels (models/fused) wherever they cover the model, else
     * the tfjs cells; tfjs: always the tfjs cells (the reference).
     */
    engine: z.enum(['fused', 'tfjs']).default('fused'),
    /**
     * Imported models (lib/import/) only: the activations and GRU form they were trained with
     * (models/architectures.ts CellOptions). Cellscope's own runs keep the defaults.
     */
    recurrentActivation: z.enum(RECURRENT_ACTIVATIONS).default('sigmoid'),
    activation: z.enum(ACTIVATIONS).optional(),
    resetAfter: z.boolean().default(false),
    /**
     * trained here; imported (an uploaded model: recorded and explored, not trained further); or
     * lstmvis (an imported LSTMVis project: states only, no model).
     */
    source: z.enum(['trained', 'imported', 'lstmvis']).default('trained'),
    /**
     * Imported models only: every layer, bottom first, when they are not all alike (a mixed or
     * differently sized stack). Then `arch` is the bottom layer's, `layers` the count and
     * `hidden` the widest layer's units; without it the stack is `layers` × `arch`(`hidden`).
     */
    stack: z.array(stackLayerSchema).min(1).max(16).optional(),
    /**
     * Imported classifiers only: the class names, in the read-out's order. The model scores them
     * after every step (the last step's is its answer) instead of the next token.
     */
    classes: z.array(z.string().min(1).max(200)).min(2).max(MAX_CLASSES).optional(),
  })
  .strict()
  .refine((c) => !(c.dropoutKind === 'recurrent-update' && !['lstm', 'gru'].includes(c.arch)), {
    message: 'recurrent-update dropout needs an LSTM or a GRU (it drops the cell update g or candidate n)',
    path: ['dropoutKind'],
  })
  .refine((c) => !(c.dropoutKind === 'cell' && c.arch !== 'lstm'), { message: 'cell dropout needs an LSTM (it drops the cell state c)', path: ['dropoutKind'] })
  .refine((c) => !(c.norm !== 'none' && c.arch !== 'lstm'), { message: 'layer and batch normalisation are available for the LSTM', path: ['norm'] })
  .refine((c) => !(c.norm === 'batch' && c.batch < 2), { message: 'batch normalisation needs a batch of at least 2', path: ['batch'] })
  // Imported LSTMVis projects may be wider; models trained here stay within what these machines train.
  .refine((c) => c.source !== 'trained' || c.hidden <= 1024, { message: 'Number must be less than or equal to 1024', path: ['hidden'] })
  .refine((c) => c.source !== 'trained' || c.hidden >= 16, { message: 'Number must be greater than or equal to 16', path: ['hidden'] })
  .refine((c) => c.source !== 'trained' || c.layers <= 3, { message: 'Number must be less than or equal to 3', path: ['layers'] })
  .refine((c) => c.source !== 'trained' || !c.classes, { message: 'runs trained here are language models; classifiers are imported', path: ['classes'] })
  .refine((c) => c.source !== 'trained' || !c.stack, { message: 'runs trained here are stacks of one cell kind and size: give arch, layers and hidden', path: ['stack'] })
  .refine((c) => !c.stack || (c.stack.length === c.layers && c.stack[0]?.arch === c.arch), { message: 'a stack must agree with arch (its bottom layer) and layers (its length)', path: ['stack'] });

export type TrainConfig = z.infer<typeof trainConfigSchema>;

export function parseTrainConfig(input: unknown): TrainConfig {
  return trainConfigSchema.parse(input);
}

export function cellOptionsOf(config: TrainConfig): CellOptions {
  return {
    depth: config.depth, coupled: config.coupled, spectralRadius: config.spectralRadius, norm: config.norm, normSteps: config.seq,
    recurrentActivation: config.recurrentActivation, resetAfter: config.resetAfter, ...(config.activation ? { activation: config.activation } : {}),
  };
}

/** The model shape a run's configuration describes. */
export function modelShapeOf(config: TrainConfig, vocabSize: number): CharModelShape {
  const classes = config.classes ? { classes: config.classes.length } : {};
  if (!config.stack) return { arch: config.arch, layers: config.layers, hidden: config.hidden, vocabSize, options: cellOptionsOf(config), ...classes };
  const base = cellOptionsOf(config);
  return {
    vocabSize,
    ...classes,
    stack: config.stack.map((l) => {
      const { activation: _uniform, ...rest } = base;
      return {
        arch: l.arch, units: l.units, options: { ...rest, recurrentActivation: l.recurrentActivation, resetAfter: l.resetAfter, ...(l.activation ? { activation: l.activation } : {}) },
        ...(l.direction === 'backward' ? { direction: 'backward' as const } : {}), ...(l.inputs ? { inputs: l.inputs } : {}),
      };
    }),
    // A bidirectional model predicts no next token: it has no read-out.
    ...(config.stack.some((l) => l.direction === 'backward') ? { readout: false } : {}),
  };
}

/** The run's recurrent layers, bottom first. */
export function configStack(config: TrainConfig): LayerSpec[] {
  return stackOf(modelShapeOf(config, 0));
}

/** What each layer of the run's model records (models/architectures.ts quantitiesFor). */
export function layerQuantities(config: TrainConfig): string[][] {
  return configStack(config).map((l) => [...quantitiesFor(l.arch, l.options)]);
}

/** The run's layers in a few words for lists: "LSTM 2×128", or each layer of a mixed stack. */
export function runShapeLabel(config: TrainConfig): string {
  return config.stack ? describeStack(configStack(config)) : `${ARCHITECTURE_SHORT[config.arch]} ${config.layers}×${config.hidden}`;
}
