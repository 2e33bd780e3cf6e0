import crypto from 'node:crypto';
import type { HttpClient } from './http-client.js';

export const RFC4226_SECRET_HEX = Buffer.from('12345678901234567890').toString('hex');

let sequence = 0;
export const uniqueSerial = (prefix = 'HW') => `${prefix}${String(++sequence).padStart(6, '0')}${crypto.randomBytes(2).toString('hex')}`;

/** Adds a token over the API and returns its JSON (throws unless 201). */
export async function addToken(client: HttpClient, tenant: string, body: Record<string, unknown>): Promise<any> {
  const reply = await client.post(`/api/v1/tenants/${tenant}/hw-tokens`, { serial: uniqueSerial(), type: 'hotp', secretHex: RFC4226_SECRET_HEX, ...body });
  if (reply.status !== 201) throw new Error(`token not added: ${reply.text}`);
  return reply.body;
}

export async function addUser(client: HttpClient, tenant: string, username = `user${++sequence}`): Promise<any> {
  const reply = await client.post(`/api/v1/tenants/${tenant}/users`, { username, displayName: `User ${username}` });
  if (reply.status !== 201) throw new Error(`user not added: ${reply.text}`);
  return reply.body;
}

/** A user holding `count` active tokens (HOTP, the RFC 4226 secret unless given). */
export async function userWithTokens(client: HttpClient, tenant: string, count: number, tokenBody: Record<string, unknown> = {}) {
  const user = await addUser(client, tenant);
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const token = await addToken(client, tenant, tokenBody);
    const assigned = await client.post(`/api/v1/tenants/${tenant}/hw-tokens/${token.id}/assign`, { userId: user.id });
    if (assigned.status !== 200) throw new Error(`assign failed: ${assigned.text}`);
    tokens.push(assigned.body);
  }
  return { user, tokens };
}
