import type { AddressInfo } from 'node:net';
import { ADMIN, startTestApp, type TestApp } from '../../helpers/test-app.js';
import { CONSOLE_DIST, E2E_DIALECT } from '../paths.js';

export interface RunningServer {
  baseUrl: string;
  admin: { username: string; password: string };
  /** The server's clock (a test clock: it moves only when told). */
  now: () => number;
  advance: (ms: number) => void;
  testApp: TestApp;
  close: () => Promise<void>;
}

/**
 * The real service (the shared test helper: a fresh database of E2E_DIALECT, tenant
 * "acme", a superadmin) serving the built console, listening on 127.0.0.1
 * and a free port.
 */
export async function startServer(options: { port?: number } = {}): Promise<RunningServer> {
  const testApp = await startTestApp(E2E_DIALECT, { consoleRoot: CONSOLE_DIST });
  await testApp.app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = testApp.app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    admin: ADMIN,
    now: () => testApp.clock.now(),
    advance: (ms) => testApp.clock.advance(ms),
    testApp,
    close: () => testApp.close(),
  };
}
