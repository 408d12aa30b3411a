// Entry of a web-process compute thread (lib/server/off-thread.ts): registers tsx's loader in
// this thread (workers do not reliably inherit a parent's --import hooks, and the web server is
// a Next.js bundle without it), then runs the TypeScript implementation.
import { register } from 'tsx/esm/api';

register();
await import('./off-thread-worker.ts');
