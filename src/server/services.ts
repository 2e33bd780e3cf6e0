import crypto from 'node:crypto';
import { CreateOperatorBody } from '../contract/directory.js';
import type { Config } from './config.js';
import { validBody } from './http/validation.js';
import { AppError } from './lib/app-error.js';
import type { Services } from './lib/context.js';
import { Metrics } from './lib/metrics.js';
import { GroupCommit } from './modules/audit/group-commit.js';
import { systemClock } from './lib/time.js';
import { createOperator } from './modules/operators/operator-admin.js';
import { OperatorRepository } from './modules/operators/operator-repository.js';
import { Keyring } from './modules/secrets/keyring.js';
import { openStorage } from './storage/db.js';
import { migrateToLatest } from './storage/migrate.js';

/**
 * Storage (migrated), master keys, clock and metrics, as configured. A serving
 * process passes `onCheckpointError`: its SQLite database checkpoints in the
 * background (see SqliteCheckpointer).
 */
export async function openServices(config: Config, options: { processMetrics?: boolean; onCheckpointError?: (message: string) => void } = {}): Promise<Services> {
  const storage = openStorage({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir,
    backgroundCheckpoints: options.onCheckpointError && { onError: options.onCheckpointError },
  });
  try {
    await migrateToLatest(storage);
    const keyring = Keyring.fromEnvironment({
      masterKey: config.masterKey,
      masterKeyFile: config.masterKeyFile,
      // Only the embedded default generates its key file; a shared PostgreSQL needs a key given to every instance.
      generateIn: storage.dialect === 'sqlite' ? config.dataDir : undefined,
    });
    return { storage, keyring, clock: systemClock, metrics: new Metrics(options), groupCommit: new GroupCommit(storage) };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/**
 * The first superadmin, on first start: the password from HWT_ADMIN_PASSWORD
 * or generated, and returned so that it is printed once.
 */
export async function ensureFirstAdmin(services: Services, config: Config): Promise<{ username: string; generatedPassword?: string } | undefined> {
  if ((await new OperatorRepository(services.storage.db).count()) > 0) return undefined;
  const generatedPassword = config.adminPassword ? undefined : crypto.randomBytes(18).toString('base64url');
  try {
    const body = validBody(CreateOperatorBody, { username: config.adminUsername, password: config.adminPassword ?? generatedPassword!, superadmin: true });
    await createOperator(services, 'system', body, []);
  } catch (error) {
    // Another instance, started at the same moment on the same database, created it first.
    if (error instanceof AppError && error.code === 'CONFLICT') return undefined;
    throw error;
  }
  return { username: config.adminUsername, generatedPassword };
}
