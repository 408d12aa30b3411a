// Entry of the chunk writer's thread (lib/record/chunk-writer.ts): registers tsx's loader in this
// thread (workers do not reliably inherit a parent's --import hooks), then runs the TypeScript
// implementation.
import { register } from 'tsx/esm/api';

register();
await import('./chunk-writer-thread.ts');
