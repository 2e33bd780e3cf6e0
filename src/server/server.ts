import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp, loggerOptions } from './app.js';
import type { Config } from './config.js';
import { ensureFirstAdmin, openServices } from './services.js';
import { retryWhileBusy } from './storage/errors.js';

/** The project's root: the nearest folder above this file with a package.json (from src/ or dist/src/ alike). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const consoleRoot = path.join(projectRoot(), 'dist/console');

/** HTTPS when both HWT_TLS_CERT and HWT_TLS_KEY name PEM files. */
function tlsOf(config: Config): { cert: Buffer; key: Buffer } | undefined {
  if (!config.tlsCertFile && !config.tlsKeyFile) return undefined;
  if (!config.tlsCertFile || !config.tlsKeyFile) throw new Error('HWT_TLS_CERT and HWT_TLS_KEY go together: set both, or neither');
  return { cert: fs.readFileSync(config.tlsCertFile), key: fs.readFileSync(config.tlsKeyFile) };
}

/** `hwtokens serve`: the API and the console, until SIGINT or SIGTERM. */
export async function serve(config: Config): Promise<void> {
  let app: FastifyInstance | undefined;
  const services = await retryWhileBusy(() => openServices(config, {
    processMetrics: true, onCheckpointError: (message) => app?.log.error({ message }, 'background checkpoint of the SQLite database failed'),
  }));
  const admin = await retryWhileBusy(() => ensureFirstAdmin(services, config));
  app = await buildApp({ services, logger: loggerOptions(config.logLevel), bodyLimit: config.bodyLimit, importLimit: config.importLimit, trustProxy: config.trustProxy, consoleRoot, tls: tlsOf(config) });
  const address = await app.listen({ host: config.host, port: config.port });
  const lines = [
    `hwtokens is running on ${services.storage.dialect} (${services.storage.location})`,
    `  console:  ${address}/`,
    `  API docs: ${address}/docs`,
  ];
  if (admin?.generatedPassword) {
    lines.push(`  first superadmin: ${admin.username} / ${admin.generatedPassword}  (shown once: change it or keep it safe)`);
  } else if (admin) {
    lines.push(`  first superadmin: ${admin.username} (password from HWT_ADMIN_PASSWORD)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!fs.existsSync(consoleRoot)) process.stdout.write('  (console not built: run npm run build)\n');

  const stop = async () => {
    await app.close();
    await services.storage.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
