import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { embeddedDatabaseFile, openSqlite } from '../storage/db.js';
import { print } from './output.js';
import { withServices } from './with-services.js';

/**
 * backup / restore of the embedded database. PostgreSQL has its own tools
 * (pg_dump / pg_restore, or base backups with WAL archiving): see the README.
 */
export function backupCommands(program: Command): void {
  program.command('backup <file>').description('Online backup of the embedded SQLite database (the service may keep running)')
    .action((file: string) => withServices(async (services) => {
      if (!services.storage.backup) throw new Error('backup is for the embedded database; use pg_dump for PostgreSQL');
      if (fs.existsSync(file)) throw new Error(`${file} exists: choose a new file`);
      await services.storage.backup(path.resolve(file));
      print(`backup written to ${file}; keep the master key (${path.join(loadConfig().dataDir, 'master.key')} or HWT_MASTER_KEY) with it, apart`);
    }));

  program.command('restore <file>').description('Replace the embedded database by a backup (stop the service first)')
    .action(async (file: string) => {
      const config = loadConfig();
      if (config.databaseUrl) throw new Error('restore is for the embedded database; use pg_restore for PostgreSQL');
      const check = openSqlite(path.resolve(file));
      await check.db.selectFrom('hw_tokens').select('id').limit(1).execute().finally(() => check.close());
      const target = embeddedDatabaseFile(config.dataDir);
      if (fs.existsSync(target)) assertNotInUse(target);
      fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
      const temp = `${target}.restore-${process.pid}`;
      fs.copyFileSync(file, temp);
      fs.renameSync(temp, target);
      print(`restored ${file} to ${target}`);
    });
}

/**
 * A running server (or another command) has the database open: replacing the
 * file under it would lose what it writes next, into a log that is gone. Any
 * open connection keeps SQLite from taking the file's exclusive lock. A file
 * that is not a database any more is what a restore is for: it is replaced.
 */
function assertNotInUse(file: string): void {
  const database = new SQLite(file);
  try {
    database.pragma('busy_timeout = 0');
    database.pragma('locking_mode = EXCLUSIVE');
    database.exec('begin exclusive');
    database.exec('commit');
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new Error(`${file} is in use: stop hwtokens serve (and any other hwtokens command) first`);
  } finally {
    database.close();
  }
}
