import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseInUseError, openDatabase } from './client.ts';

describe('embedded database (PGlite) in a data folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'linkwork-lock-'));
  const dataDir = path.join(dir, 'pglite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data between runs and turns a second process away with one clear line', async () => {
    const first = await openDatabase({ kind: 'pglite', dataDir }, { appRole: 'linkwork_app' });
    try {
      await expect(
        openDatabase({ kind: 'pglite', dataDir }, { appRole: 'linkwork_app' }),
      ).rejects.toBeInstanceOf(DatabaseInUseError);
      const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], {
        env: { ...process.env, LINKWORK_DATA_DIR: dataDir, DATABASE_URL: '' },
        encoding: 'utf8',
      });
      expect(cli.status).toBe(1);
      const lines = cli.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/in use by another Linkwork process \(pid \d+\)/);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const again = await openDatabase({ kind: 'pglite', dataDir }, { appRole: 'linkwork_app' });
    await again.close();
  });
});
