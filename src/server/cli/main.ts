import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { serve } from '../server.js';
import { openServices } from '../services.js';
import { retryWhileBusy } from '../storage/errors.js';
import { auditCommands } from './audit-commands.js';
import { backupCommands } from './backup-commands.js';
import { directoryCommands } from './directory-commands.js';
import { importCommand } from './import-command.js';
import { keyCommands } from './key-commands.js';
import { fail } from './output.js';

// Whatever hwtokens creates (the database and its log, backups, the key file)
// is its user's alone, even in a data folder that others may read: the
// database holds password hashes, users' details and the audit trail.
process.umask(0o077);

/** The `hwtokens` command line (SPEC.md §9). */
const program = new Command('hwtokens').description('Hardware OTP token management').showHelpAfterError();

program.command('serve').description('Run the API and the console').action(() => serve(loadConfig()));

program.command('migrate').description('Bring the database schema up to date').action(async () => {
  const services = await retryWhileBusy(() => openServices(loadConfig()));
  process.stdout.write(`schema is up to date (${services.storage.dialect})\n`);
  await services.storage.close();
});

directoryCommands(program);
auditCommands(program);
keyCommands(program);
backupCommands(program);
importCommand(program);

program.parseAsync().catch(fail);
