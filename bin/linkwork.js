#!/usr/bin/env node
// `npx linkwork …`: runs dist/cli.js (made by `npm run build`, which `npm start` runs) while it is newer than every
// source file, else the TypeScript CLI through tsx, so an edit to src/ is never run stale. It runs with a bounded
// heap, so a long import stays near its working set (an import of 100,000 services in ~250 MB) instead of
// growing until V8 feels like collecting.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=192'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'cli.js');

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= newestIn(path.join(root, 'src'));
if (fresh && !process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
  const run = spawnSync(process.execPath, [...CLI_NODE_FLAGS, bundle, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
} else if (fresh) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
