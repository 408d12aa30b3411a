// Compiles the fused recurrent kernels (models/fused/assembly, AssemblyScript) to WebAssembly with
// SIMD and a shared, imported memory so that worker threads can run them on the same buffers.
// Two binaries: kernels.wasm (SIMD) and kernels-relaxed.wasm (SIMD plus relaxed SIMD's fused
// multiply-add, which Node 20 runs behind a V8 flag; models/fused/kernels.ts picks it when valid).
// Run by postinstall; models/fused/kernels.ts also calls it when the sources are newer than the
// binary. Usage: node scripts/build-kernels.mjs [--if-stale]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'models/fused/assembly');
const outputs = [
  { file: join(root, 'models/fused/build/kernels.wasm'), features: 'simd,threads' },
  { file: join(root, 'models/fused/build/kernels-relaxed.wasm'), features: 'simd,threads,relaxed-simd' },
];

function stale(output) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return [...readdirSync(sourceDir).map((f) => join(sourceDir, f)), __filename].some((f) => statSync(f).mtimeMs > built);
}

const __filename = fileURLToPath(import.meta.url);
for (const { file, features } of outputs) {
  if (process.argv.includes('--if-stale') && !stale(file)) continue;
  mkdirSync(dirname(file), { recursive: true });
  const asc = join(root, 'node_modules/assemblyscript/bin/asc.js');
  execFileSync(
    process.execPath,
    [asc, join(sourceDir, 'index.ts'), '-O3', ...(process.env.CELLSCOPE_KERNELS_DEBUG ? ['--debug'] : []), '--runtime', 'stub', '--noAssert', '--enable', features,
      '--importMemory', '--sharedMemory', '--initialMemory', '32', '--maximumMemory', '65536', '-o', file],
    { stdio: 'inherit', cwd: root },
  );
  console.log(`[cellscope] built ${file.slice(root.length + 1)}`);
}
