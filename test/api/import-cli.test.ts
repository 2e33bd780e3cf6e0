// `hwtokens import` against an embedded (SQLite) data folder, as an operator runs it.
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/server/storage/db.js';
import { FIXTURES, K128 } from './import-support.js';

const run = promisify(execFile);

describe('hwtokens import (CLI)', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', ...args], { env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-cli-import-'));
    env = { ...process.env, HWT_DATA_DIR: dataDir, HWT_MASTER_KEY: crypto.randomBytes(32).toString('base64'), HWT_LOG_LEVEL: 'warn' };
    delete env.HWT_DATABASE_URL;
    const created = await cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme');
    expect(created.code, created.stderr).toBe(0);
  }, 60_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('imports a file and prints the report; a refused file prints every problem and exits 1', async () => {
    const ok = await cli('import', '--tenant', 'acme', '--key', K128, path.join(FIXTURES, 'pskc-aes128.pskcxml'));
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({ fileName: 'pskc-aes128.pskcxml', format: 'pskc', count: 4, assigned: 0 });

    const bad = await cli('import', '--tenant', 'acme', '--format', 'csv', path.join(FIXTURES, 'seeds-bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('IMPORT_INVALID: 6 problems; nothing was imported.');
    expect(bad.stderr).toContain('line 6: duplicate serial "BAD-1" (first at line 2)');
    expect(bad.stderr.trim().split('\n')).toHaveLength(7);

    const wrongKey = await cli('import', '--tenant', 'acme', '--key', 'ffeeddccbbaa99887766554433221100', path.join(FIXTURES, 'pskc-aes128.pskcxml'));
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('the pre-shared key or password is wrong');

    const storage = openSqlite(path.join(dataDir, 'hwtokens.db'));
    try {
      const tokens = await storage.db.selectFrom('hw_tokens').select(['serial', 'batch_id']).execute();
      expect(tokens).toHaveLength(4);
      expect(new Set(tokens.map((token) => token.batch_id))).toEqual(new Set([report.batchId]));
      const batch = await storage.db.selectFrom('import_batches').selectAll().executeTakeFirstOrThrow();
      expect(batch).toMatchObject({ id: report.batchId, created_by: 'cli', count: 4, format: 'pskc' });
      const events = await storage.db.selectFrom('audit_events').select(['actor', 'outcome']).where('action', '=', 'import').orderBy('seq').execute();
      expect(events).toEqual([{ actor: 'cli', outcome: 'success' }, { actor: 'cli', outcome: 'refused' }, { actor: 'cli', outcome: 'refused' }]);
    } finally {
      await storage.close();
    }
  }, 120_000);
});
