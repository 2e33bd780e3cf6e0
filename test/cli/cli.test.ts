// The hwtokens command line (SPEC §9) on the embedded database: directory
// commands, audit verification, key rotation, online backup and restore (never
// under a running server).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-cli-'));
// A folder that others may read, as a site might have made it.
fs.chmodSync(dataDir, 0o755);
const env = { ...process.env, HWT_DATA_DIR: dataDir, HWT_SCRYPT_LOG2N: '10', HWT_DATABASE_URL: '', HWT_MASTER_KEY: '' };

/** `hwtokens <args>` on a data folder (the test's own unless named). */
async function hwtokensIn(folder: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', ...args], { env: { ...env, HWT_DATA_DIR: folder }, timeout: 60_000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const hwtokens = (...args: string[]) => hwtokensIn(dataDir, ...args);

describe('hwtokens CLI', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a tenant, an operator and an API key', async () => {
    expect((await hwtokens('migrate')).code).toBe(0);
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    // Private even in a data folder that others may read.
    expect(fs.statSync(path.join(dataDir, 'hwtokens.db')).mode & 0o777).toBe(0o600);
    const tenant = await hwtokens('tenant', 'create', '--slug', 'acme', '--name', 'Acme Bank');
    expect(JSON.parse(tenant.stdout).slug).toBe('acme');
    const operator = await hwtokens('operator', 'create', '--username', 'alice', '--password', 'a-long-enough-password', '--grant', 'acme:helpdesk');
    expect(JSON.parse(operator.stdout).roles).toEqual([{ tenant: 'acme', role: 'helpdesk' }]);
    const weak = await hwtokens('operator', 'create', '--username', 'bob', '--password', 'short');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 12 characters');
    expect(weak.stderr).not.toMatch(/\n\s+at /);
    const key = await hwtokens('apikey', 'create', '--tenant', 'acme', '--name', 'login', '--role', 'verifier');
    expect(JSON.parse(key.stdout).secret).toMatch(/^hwt_/);
  }, 120_000);

  it('refuses what the API refuses: bad slugs and names, a slug shaped like an id, a username with a space', async () => {
    const refusals = await Promise.all([
      ['tenant', 'create', '--slug', 'a b', '--name', 'Spaced'],
      ['tenant', 'create', '--slug', '-lead', '--name', 'Dash'],
      ['tenant', 'create', '--slug', 'ok-slug', '--name', ''],
      ['tenant', 'create', '--slug', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', '--name', 'Impostor'],
      ['operator', 'create', '--username', 'has space', '--password', 'a-long-enough-password'],
      ['apikey', 'create', '--tenant', 'acme', '--name', '', '--role', 'verifier'],
    ].map((args) => hwtokens(...args)));
    for (const refused of refusals) {
      expect(refused.code, refused.stdout).toBe(1);
      expect(refused.stderr).toMatch(/^hwtokens: VALIDATION_FAILED: /);
    }
    // acme's trail holds the grant of alice's role and the API key, by the CLI; nothing of the refusals.
    expect((await hwtokens('audit', 'verify')).stdout).toMatch(/acme: 2 events/);
  }, 120_000);

  it('refuses to work on a data folder that holds no database (a mistyped HWT_DATA_DIR), creating nothing', async () => {
    const elsewhere = path.join(dataDir, 'mistyped');
    const refused = await hwtokensIn(elsewhere, 'audit', 'verify');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`No database at ${path.join(elsewhere, 'hwtokens.db')}`);
    expect(fs.existsSync(elsewhere)).toBe(false);
  }, 120_000);

  it('verifies the audit chain and rotates the master key', async () => {
    const audit = await hwtokens('audit', 'verify');
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/acme: \d+ events, head \d+ [0-9a-f]{64}: ok/);
    const rotate = await hwtokens('keys', 'rotate');
    expect(rotate.stdout).toContain('new master key');
    expect(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim().split('\n')).toHaveLength(2);
  }, 120_000);

  it('backs up online and restores', async () => {
    const file = path.join(dataDir, 'backup.db');
    expect((await hwtokens('backup', file)).code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await hwtokens('tenant', 'create', '--slug', 'later', '--name', 'After the backup')).code).toBe(0);
    expect((await hwtokens('restore', file)).code).toBe(0);
    const again = await hwtokens('tenant', 'create', '--slug', 'later', '--name', 'After the restore');
    expect(again.code).toBe(0);
    expect((await hwtokens('audit', 'verify')).code).toBe(0);
  }, 120_000);

  it('refuses to restore under a running server, and restores once it has stopped', async () => {
    const file = path.join(dataDir, 'backup-before-serving.db');
    expect((await hwtokens('backup', file)).code).toBe(0);
    const server = await startServerProcess({ databaseUrl: '', masterKey: '', dataDir, adminPassword: 'restore-under-a-server' });
    try {
      const refused = await hwtokens('restore', file);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('is in use: stop hwtokens serve');
      expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect((await hwtokens('restore', file)).code).toBe(0);
    expect((await hwtokens('audit', 'verify')).code).toBe(0);
  }, 120_000);

  it('restores over a database file that is damaged', async () => {
    const file = path.join(dataDir, 'backup-before-damage.db');
    expect((await hwtokens('backup', file)).code).toBe(0);
    fs.writeFileSync(path.join(dataDir, 'hwtokens.db'), 'not a database any more');
    expect((await hwtokens('restore', file)).code).toBe(0);
    expect((await hwtokens('audit', 'verify')).code).toBe(0);
  }, 120_000);
});
