import { memoryLabConfigSchema } from '../../train/memory-lab-config.ts';

/** Memory labs: architectures × gaps trained on a memory task. */

/** POST /api/labs: a memory lab's configuration (lib/train/memory-lab-config.ts). */
export const createLabBodySchema = memoryLabConfigSchema;
