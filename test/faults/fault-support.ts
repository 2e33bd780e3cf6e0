import crypto from 'node:crypto';
import type { Dialect } from '../../src/server/storage/db.js';
import type { TestDatabase } from '../helpers/databases.js';
import { RemoteClient, type ServerProcessOptions } from '../helpers/server-process.js';

/**
 * The fault suite runs on both databases whatever HWT_TEST_PG says: it is
 * its own CI step, next to the PostgreSQL that `npm test` uses.
 */
export const FAULT_DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export const ADMIN_PASSWORD = 'crash-and-recover-2026';
export const TENANT = 'acme';
export const BASE = `/api/v1/tenants/${TENANT}`;

/** How a server process reaches `database` (SQLite: its data folder; PostgreSQL: its URL). */
export function serverOptions(database: TestDatabase, masterKey = crypto.randomBytes(32).toString('base64'), env: Record<string, string> = {}): ServerProcessOptions {
  return { databaseUrl: database.url ?? '', masterKey, dataDir: database.dataDir, adminPassword: ADMIN_PASSWORD, env };
}

export interface SeededTenant {
  admin: RemoteClient;
  tokenAdmin: RemoteClient;
  verifier: RemoteClient;
  /** The secrets of those two keys. */
  keys: { tokenAdmin: string; verifier: string };
}

/** The superadmin signs in, creates the tenant and a token-admin and a verifier API key. */
export async function seedTenant(baseUrl: string): Promise<SeededTenant> {
  const admin = await RemoteClient.signIn(baseUrl, 'admin', ADMIN_PASSWORD);
  const tenant = await admin.post('/api/v1/tenants', { slug: TENANT, name: 'Acme Bank' });
  if (tenant.status !== 201) throw new Error(`tenant not created: ${JSON.stringify(tenant.body)}`);
  const key = async (role: string): Promise<string> => {
    const reply = await admin.post(`${BASE}/api-keys`, { name: `${role}-key`, role });
    if (reply.status !== 201) throw new Error(`API key not created: ${JSON.stringify(reply.body)}`);
    return reply.body.secret;
  };
  const keys = { tokenAdmin: await key('tenant-admin'), verifier: await key('verifier') };
  return { admin, keys, tokenAdmin: new RemoteClient(baseUrl, keys.tokenAdmin), verifier: new RemoteClient(baseUrl, keys.verifier) };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(label: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fetch that reports a lost connection as a value, not an exception. */
export async function attempt(url: string, init: RequestInit = {}): Promise<{ status: number; contentType: string; retryAfter: string | null; body: any } | { lost: string }> {
  try {
    const reply = await fetch(url, init);
    const text = await reply.text();
    const contentType = reply.headers.get('content-type') ?? '';
    return { status: reply.status, contentType, retryAfter: reply.headers.get('retry-after'), body: contentType.includes('json') && text ? JSON.parse(text) : text };
  } catch (error) {
    return { lost: (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message };
  }
}
