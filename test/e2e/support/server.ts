import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app.js';
import { loadConfig } from '../../../src/server/config.js';
import { ensureFirstAdmin, openServices } from '../../../src/server/services.js';
import { CONSOLE_DIST } from '../paths.js';

export interface RunningServer {
  baseUrl: string;
  admin: { username: string; password: string };
  close: () => Promise<void>;
}

/** The real service on a fresh SQLite database, serving the built console, on 127.0.0.1 and a free port. */
export async function startServer(options: { port?: number } = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hwt-e2e-data-'));
  const admin = { username: 'admin', password: `Adm1n-${randomBytes(9).toString('base64url')}` };
  const config = loadConfig({
    HWT_DATA_DIR: dataDir,
    HWT_MASTER_KEY: randomBytes(32).toString('base64'),
    HWT_ADMIN_USERNAME: admin.username,
    HWT_ADMIN_PASSWORD: admin.password,
  });
  const services = await openServices(config);
  await ensureFirstAdmin(services, config);
  const app: FastifyInstance = await buildApp({ services, consoleRoot: CONSOLE_DIST });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    admin,
    close: async () => {
      await app.close();
      await services.storage.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
