import { expect } from 'vitest';
import type { AuditEvent } from '../../src/contract/directory.js';
import type { HttpClient, Reply } from './http-client.js';
import type { TestApp } from './test-app.js';

/** An RFC 9457 answer with this status and code, and nothing internal in it. */
export function expectProblem(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body?.code }, reply.text).toEqual({ status, code });
  expect(String(reply.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  expect(reply.body).not.toHaveProperty('stack');
  expect(reply.text).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|Error:/);
}

export const tokenUrl = (t: TestApp, id: string, action?: string) =>
  `/api/v1/tenants/${t.tenant}/hw-tokens/${id}${action ? `/${action}` : ''}`;

/** Every page of a token list query (its items), following nextCursor from `start`; a cursor that never ends fails. */
export async function tokenPages(t: TestApp, query: string, limit: number, start: string | null = null): Promise<any[][]> {
  const result: any[][] = [];
  let cursor = start;
  do {
    const reply = await t.admin.get(`/api/v1/tenants/${t.tenant}/hw-tokens?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(reply.status, reply.text).toBe(200);
    result.push(reply.body.items);
    cursor = reply.body.nextCursor;
    expect(result.length).toBeLessThan(50);
  } while (cursor);
  return result;
}

/** The token as the API shows it and its stored row (counters, drift, version, key material). */
export async function tokenState(t: TestApp, id: string): Promise<{ json: any; row: any }> {
  const reply = await t.admin.get(tokenUrl(t, id));
  expect(reply.status, reply.text).toBe(200);
  const row = await t.services.storage.db.selectFrom('hw_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return { json: reply.body, row };
}

/** An audit event as the API answers it. */
export type AuditItem = AuditEvent;

/** The token's audit events, newest first. */
export async function auditOfToken(t: TestApp, tokenId: string, client: HttpClient = t.admin): Promise<AuditItem[]> {
  const reply = await client.get(`/api/v1/tenants/${t.tenant}/audit?token=${tokenId}&limit=500`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body.items;
}

/**
 * Runs a refused request and checks the whole refusal: its problem answer,
 * the token untouched (API view and stored row), and an audit event
 * `refused` naming the code.
 */
export async function expectRefused(
  t: TestApp,
  tokenId: string,
  send: () => Promise<Reply>,
  expected: { status: number; code: string; action: string },
): Promise<Reply> {
  const before = await tokenState(t, tokenId);
  const reply = await send();
  expectProblem(reply, expected.status, expected.code);
  const after = await tokenState(t, tokenId);
  expect(after.json).toEqual(before.json);
  expect(after.row).toEqual(before.row);
  const [latest] = await auditOfToken(t, tokenId);
  expect(latest).toMatchObject({ action: expected.action, outcome: 'refused', tokenId });
  expect(latest!.detail).toContain(expected.code);
  return reply;
}

/** The latest audit event of a token is a success of `action`. */
export async function expectAuditedSuccess(t: TestApp, tokenId: string, action: string): Promise<AuditItem> {
  const [latest] = await auditOfToken(t, tokenId);
  expect(latest).toMatchObject({ action, outcome: 'success', tokenId, actor: 'admin' });
  return latest!;
}
