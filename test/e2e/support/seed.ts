import { createHash } from 'node:crypto';
import type { HwToken, User } from '../../../src/contract/index.js';
import { ApiClient } from './api-client.js';
import { startServer, type RunningServer } from './server.js';

/** Every token's seed derives from its serial, so a test can compute its OTPs. */
export function seedOf(serial: string): Buffer {
  return createHash('sha1').update(`hwtokens-e2e:${serial}`).digest();
}

export const TENANT = 'acme';
export const OTHER_TENANT = 'globex';
export const PASSWORD = 'Corr3ct-Horse-Battery';

/** The operators of the procedures, one per role that matters. */
export const OPERATORS = {
  officer: { username: 'sofia.officer', displayName: 'Sofia Officer', roles: [{ tenant: TENANT, role: 'security-officer' }, { tenant: OTHER_TENANT, role: 'viewer' }] },
  helpdesk: { username: 'hugo.helpdesk', displayName: 'Hugo Helpdesk', roles: [{ tenant: TENANT, role: 'helpdesk' }] },
  viewer: { username: 'vera.viewer', displayName: 'Vera Viewer', roles: [{ tenant: TENANT, role: 'viewer' }] },
  tokenAdmin: { username: 'tom.admin', displayName: 'Tom Admin', roles: [{ tenant: TENANT, role: 'token-admin' }] },
} as const;

export interface Fixture {
  users: Record<'alice' | 'bob' | 'carol' | 'dave', User>;
  /** By serial. */
  tokens: Record<string, HwToken>;
  stockCount: number;
}

const hotp = (serial: string, extra: Record<string, unknown> = {}) => ({
  serial, type: 'hotp', secretHex: seedOf(serial).toString('hex'), vendor: 'Feitian', model: 'OTP c100', ...extra,
});
const totp = (serial: string, extra: Record<string, unknown> = {}) => ({
  serial, type: 'totp', secretHex: seedOf(serial).toString('hex'), vendor: 'Token2', model: 'C302', ...extra,
});

/**
 * The tenant the procedures run in ("acme", which the test app creates), and a
 * second one ("globex"):
 * - alice holds HT-1001 only (her last active token);
 * - bob holds HT-1002 and TT-2001, both active;
 * - carol and dave hold nothing; HT-1003..HT-1006 and YK-3001 are in stock;
 * - YK-3001's description names bob (free text finds it with bob's tokens);
 * - ST-0001… fill the list beyond one page.
 */
export async function seedTenant(admin: ApiClient, options: { stock?: number; tick?: () => void } = {}): Promise<Fixture> {
  const stockCount = options.stock ?? 60;
  // Each token a second younger than the one before, so that "newest first" has one answer.
  const tick = options.tick ?? (() => undefined);
  await admin.createTenant(OTHER_TENANT, 'Globex Industries');
  for (const operator of Object.values(OPERATORS)) {
    await admin.createOperator(operator.username, PASSWORD, [...operator.roles], operator.displayName);
  }
  const users = {
    alice: await admin.createUser(TENANT, 'alice', 'Alice Martin'),
    bob: await admin.createUser(TENANT, 'bob', 'Bob Keller'),
    carol: await admin.createUser(TENANT, 'carol', 'Carol Dupont'),
    dave: await admin.createUser(TENANT, 'dave', 'Dave Rossi'),
  };
  const tokens: Record<string, HwToken> = {};
  for (let i = 1; i <= stockCount; i++) {
    const serial = `ST-${String(i).padStart(4, '0')}`;
    tokens[serial] = await admin.addToken(TENANT, hotp(serial, { vendor: 'Vasco', model: 'DP 270' }));
    tick();
  }
  for (const spec of [
    hotp('HT-1001'), hotp('HT-1002'), hotp('HT-1003'), hotp('HT-1004'), hotp('HT-1005'), hotp('HT-1006'), totp('TT-2001'),
    { serial: 'YK-3001', type: 'yubico', publicId: 'ccccccbcgujh', privateId: '0123456789ab', aesKey: seedOf('YK-3001').subarray(0, 16).toString('hex'), vendor: 'Yubico', model: 'YubiKey 5', description: 'Spare for Bob at the branch office' },
  ]) {
    tokens[spec.serial] = await admin.addToken(TENANT, spec);
    tick();
  }
  tokens['HT-1001'] = await admin.act(TENANT, tokens['HT-1001']!.id, 'assign', { userId: users.alice.id });
  tokens['HT-1002'] = await admin.act(TENANT, tokens['HT-1002']!.id, 'assign', { userId: users.bob.id });
  tokens['TT-2001'] = await admin.act(TENANT, tokens['TT-2001']!.id, 'assign', { userId: users.bob.id });
  return { users, tokens, stockCount };
}

/** Wrong OTPs until the tenant's failure limit locks the token (SPEC §5). */
export async function lockToken(admin: ApiClient, username: string, serial: string, attempts = 10): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    await admin.request('POST', `/tenants/${TENANT}/verify`, { username, serial, otp: '000000' });
  }
}

/** The server, the superadmin's API session, and the fixture: what every e2e file starts from. */
export async function seededServer(stock?: number): Promise<{ server: RunningServer; admin: ApiClient; fixture: Fixture }> {
  const server = await startServer();
  const admin = await ApiClient.signIn(server.baseUrl, server.admin.username, server.admin.password);
  const fixture = await seedTenant(admin, { stock, tick: () => server.advance(1000) });
  return { server, admin, fixture };
}
