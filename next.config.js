// Native and wasm-backed packages are loaded from node_modules at run time rather than bundled:
// better-sqlite3 is a native addon, tfjs-backend-wasm reads its .wasm file from its own folder,
// h5wasm carries a 4 MB WebAssembly build of the HDF5 library (LSTMVis imports).
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: [
    'better-sqlite3',
    'pg',
    '@prisma/client',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-wasm',
    'h5wasm',
    'yaml',
  ],
  typescript: { ignoreBuildErrors: false },
  poweredByHeader: false,
};
export default nextConfig;
