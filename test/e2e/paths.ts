import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '../../src/server/storage/db.js';

/** The database of this run: vitest.e2e.config.ts runs the suite once per dialect. */
export const E2E_DIALECT: Dialect = process.env.HWT_E2E_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONSOLE_DIST = path.join(REPO_ROOT, 'dist/console');
/** Screenshots: test-artifacts/, and test-artifacts/postgres/ for the PostgreSQL run. */
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', E2E_DIALECT === 'sqlite' ? '' : E2E_DIALECT);
