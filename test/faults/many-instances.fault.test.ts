// SPEC §9: any number of stateless instances on one PostgreSQL. Sessions, API keys, locks and throttles live in the database, not in a process.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/server/storage/db.js';
import { MIGRATION_NAMES } from '../../src/server/storage/migrate.js';
import { adminQuery, PG_ADMIN_URL } from '../helpers/databases.js';
import { hotpCode, wrongCode } from '../helpers/otp-codes.js';
import { RemoteClient, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { ADMIN_PASSWORD, attempt, BASE } from './fault-support.js';

describe('two instances on one PostgreSQL', () => {
  const name = `hwt_fault_${crypto.randomBytes(5).toString('hex')}`;
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-fault-instances-'));
  // The production password-hashing cost: the first superadmin's hash then takes long enough for two starting instances to overlap.
  const options = { databaseUrl: url, masterKey: crypto.randomBytes(32).toString('base64'), dataDir, adminPassword: ADMIN_PASSWORD, env: { HWT_SCRYPT_LOG2N: '17' } };
  let servers: ServerProcess[] = [];
  let a: string;
  let b: string;

  beforeAll(async () => {
    await adminQuery(`create database ${name}`);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await adminQuery(`drop database if exists ${name} with (force)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('start at the same moment on a fresh database: both migrate without error, each migration and the first superadmin once', async () => {
    servers = await Promise.all([startServerProcess(options), startServerProcess(options)]);
    [a, b] = servers.map((s) => s.baseUrl) as [string, string];
    const storage = openStorage({ databaseUrl: url, dataDir });
    try {
      const migrations = await storage.db.selectFrom('kysely_migration' as any).select('name' as any).execute();
      expect(migrations.map((m: any) => m.name)).toEqual(MIGRATION_NAMES);
      const operators = await storage.db.selectFrom('operators').select(['username', 'superadmin']).execute();
      expect(operators).toEqual([{ username: 'admin', superadmin: 1 }]);
    } finally {
      await storage.close();
    }
    for (const server of servers) {
      expect(server.output()).not.toMatch(/error/i);
      expect(await attempt(`${server.baseUrl}/readyz`)).toMatchObject({ status: 200 });
    }
  });

  it('a session made on A works on B, and a logout on A ends it on B at once', async () => {
    const onA = await RemoteClient.signIn(a, 'admin', ADMIN_PASSWORD);
    const onB = onA.on(b);
    expect((await onB.get('/api/v1/auth/me')).status).toBe(200);
    // A state-changing request on B with the CSRF token of the session made on A.
    expect((await onB.post('/api/v1/tenants', { slug: 'acme', name: 'Acme Bank' })).status).toBe(201);
    expect((await onA.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await onB.get('/api/v1/auth/me')).status).toBe(401);
    expect((await onA.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('an API key revoked on A is refused on B at once', async () => {
    const admin = await RemoteClient.signIn(a, 'admin', ADMIN_PASSWORD);
    const created = await admin.post(`${BASE}/api-keys`, { name: 'short-lived', role: 'viewer' });
    expect(created.status).toBe(201);
    const keyOnB = new RemoteClient(b, created.body.secret);
    expect((await keyOnB.get(`${BASE}/hw-tokens`)).status).toBe(200);
    expect((await admin.request('DELETE', `${BASE}/api-keys/${created.body.id}`)).status).toBe(204);
    const refused = await keyOnB.get(`${BASE}/hw-tokens`);
    expect(refused).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
  });

  it('a token locked by failures through A answers locked through B, even to the right OTP; an unlock on B frees it on A', async () => {
    const admin = await RemoteClient.signIn(a, 'admin', ADMIN_PASSWORD);
    const key = await admin.post(`${BASE}/api-keys`, { name: 'login-flow', role: 'verifier' });
    const verifierA = new RemoteClient(a, key.body.secret);
    const verifierB = verifierA.on(b);
    const secret = crypto.randomBytes(20);
    const user = await admin.post(`${BASE}/users`, { username: 'locked.out' });
    const token = await admin.post(`${BASE}/hw-tokens`, { serial: 'LOCK-1', type: 'hotp', secretHex: secret.toString('hex') });
    expect((await admin.post(`${BASE}/hw-tokens/${token.body.id}/assign`, { userId: user.body.id })).status).toBe(200);
    const { maxFailures } = (await admin.get(`${BASE}/settings`)).body;
    const wrong = wrongCode(Array.from({ length: 20 }, (_, i) => hotpCode(secret, i)));
    for (let i = 0; i < maxFailures; i++) {
      expect((await verifierA.post(`${BASE}/verify`, { username: 'locked.out', otp: wrong })).body.accepted).toBe(false);
    }
    expect((await verifierB.post(`${BASE}/verify`, { username: 'locked.out', otp: hotpCode(secret, 0) })).body).toEqual({ accepted: false, reason: 'locked' });
    expect((await admin.on(b).post(`${BASE}/hw-tokens/${token.body.id}/unlock`)).status).toBe(200);
    expect((await verifierA.post(`${BASE}/verify`, { username: 'locked.out', otp: hotpCode(secret, 0) })).body).toMatchObject({ accepted: true });
  });

  it('sign-in throttling counts failures made on both instances together', async () => {
    const admin = await RemoteClient.signIn(a, 'admin', ADMIN_PASSWORD);
    const created = await admin.post('/api/v1/operators', { username: 'throttled', password: 'a-long-enough-password-2026' });
    expect(created.status).toBe(201);
    const wrongSignIn = (baseUrl: string) => attempt(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'throttled', password: 'wrong password' }),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(((await wrongSignIn(i % 2 ? b : a)) as { status: number }).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Even the right password is held back on either instance until the window passes.
    const right = await attempt(`${b}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'throttled', password: 'a-long-enough-password-2026' }),
    });
    expect(right).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
  });
});
