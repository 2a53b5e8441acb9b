#!/usr/bin/env node
// Bundles the server into dist/main.js so `npm start` runs plain Node: faster to start and lighter than
// compiling TypeScript on the fly. Dependencies stay in node_modules (native and WebAssembly parts load from there).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
