#!/usr/bin/env node
// The `cellscope` command: runs the TypeScript CLI (lib/cli/main.ts) through tsx's loader, so the
// CLI and the web app share one copy of the library code.
import { register } from 'tsx/esm/api';
register();
await import('../lib/cli/main.ts');
