import './fast-passwords.js';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/contract/privileges.js';
import { buildApp } from '../../src/server/app.js';
import type { Services } from '../../src/server/lib/context.js';
import { Metrics } from '../../src/server/lib/metrics.js';
import { GroupCommit } from '../../src/server/modules/audit/group-commit.js';
import { createOperator } from '../../src/server/modules/operators/operator-admin.js';
import { Keyring } from '../../src/server/modules/secrets/keyring.js';
import { createTenant } from '../../src/server/modules/tenants/tenant-admin.js';
import type { Dialect } from '../../src/server/storage/db.js';
import { TestClock } from './clock.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { HttpClient } from './http-client.js';

export const ADMIN = { username: 'admin', password: 'correct-horse-battery-staple' };
export const OPERATOR_PASSWORD = 'operator-password-2026';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  clock: TestClock;
  database: TestDatabase;
  /** The seeded tenant's slug. */
  tenant: string;
  /** A client signed in as the superadmin. */
  admin: HttpClient;
  masterKey: string;
  /** A new operator with `role` in the seeded tenant, signed in. */
  operator(role: Role, username?: string): Promise<HttpClient>;
  /** A bearer client with an API key of `role` in the seeded tenant. */
  apiKey(role: Role): Promise<HttpClient>;
  close(): Promise<void>;
}

/**
 * The real app on a fresh database of `dialect`, with one tenant ("acme") and
 * a superadmin. Options: a console bundle to serve, a start time for the clock.
 */
export async function startTestApp(dialect: Dialect, options: { consoleRoot?: string; now?: number } = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const storage = database.open();
  const masterKey = crypto.randomBytes(32).toString('base64');
  const clock = new TestClock(options.now ?? Date.now());
  const services: Services = { storage, keyring: Keyring.fromKeys([Buffer.from(masterKey, 'base64')]), clock, metrics: new Metrics(), groupCommit: new GroupCommit(storage) };
  await createOperator(services, 'system', { username: ADMIN.username, password: ADMIN.password, superadmin: true }, []);
  const tenant = await createTenant(services, { slug: 'acme', name: 'Acme Bank' });
  const app = await buildApp({ services, consoleRoot: options.consoleRoot });
  const admin = new HttpClient(app);
  const login = await admin.login(ADMIN.username, ADMIN.password);
  if (login.status !== 200) throw new Error(`admin sign-in failed: ${login.text}`);
  let operators = 0;

  return {
    app, services, clock, database, tenant: tenant.slug, admin, masterKey,
    async operator(role, username = `${role}-${++operators}`) {
      const created = await admin.post('/api/v1/operators', { username, password: OPERATOR_PASSWORD, roles: [{ tenant: tenant.slug, role }] });
      if (created.status !== 201) throw new Error(`operator not created: ${created.text}`);
      const client = new HttpClient(app);
      await client.login(username, OPERATOR_PASSWORD);
      return client;
    },
    async apiKey(role) {
      const created = await admin.post(`/api/v1/tenants/${tenant.slug}/api-keys`, { name: `${role}-key-${++operators}`, role });
      if (created.status !== 201) throw new Error(`API key not created: ${created.text}`);
      return new HttpClient(app, created.body.secret);
    },
    async close() {
      await app.close();
      await storage.close();
      await database.drop();
    },
  };
}
