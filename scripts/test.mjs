#!/usr/bin/env node
// The one test command: makes sure Chromium is there, then lint, typecheck, web build and every test in one
// Vitest run (unit, service and route tests on PGlite and, with TEST_DATABASE_URL, PostgreSQL; browser journeys).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

function step(name, cmd, args) {
  process.stdout.write(`\n▶ ${name}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stdout.write(`\n✖ ${name} failed. Fix the problems above and run npm test again.\n`);
    process.exit(r.status ?? 1);
  }
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      "Chromium is missing: install Debian's package with `sudo apt-get install -y chromium`, then run npm test again.",
    );
    process.exit(1);
  }
  process.stdout.write("▶ Installing Debian's chromium for the browser journeys (2–3 minutes, once)\n");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  }
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    console.error(
      'Chromium could not be installed: run `apt-get install -y chromium` as root and read its message.',
    );
    process.exit(1);
  }
}

ensureChromium();
step('Lint (biome)', 'npx', ['biome', 'check', '.']);
step('Typecheck (tsc)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
step('Build the web app (vite)', 'npx', [
  'vite',
  'build',
  '--config',
  'web/vite.config.ts',
  '--logLevel',
  'warn',
]);
process.stdout.write('\n▶ Tests (vitest)\n');
const run = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });

let summary = 'no test results were written';
try {
  const results = JSON.parse(readFileSync('.tmp/vitest-results.json', 'utf8'));
  const skipped = results.numPendingTests + results.numTodoTests;
  summary = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
  if (results.numFailedTestSuites && !results.numFailedTests)
    summary += ` (${results.numFailedTestSuites} test files failed to run)`;
} catch {}
process.stdout.write(`\n${summary}\n`);
process.exit(run.status ?? 1);
