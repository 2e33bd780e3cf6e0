import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { SEED_FORMATS } from '../../contract/tokens.js';
import { AppError, assertThat } from '../lib/app-error.js';
import { pskcKeyFromHex } from '../modules/import/import-input.js';
import { SeedImport } from '../modules/import/seed-import.js';
import type { SeedFormat } from '../modules/import/seed-file.js';
import { print } from './output.js';
import { cliTenantContext, withServices } from './with-services.js';

interface ImportOptions {
  tenant: string;
  format?: SeedFormat;
  key?: string;
  password?: string;
}

/**
 * import: a seed file into a tenant, all-or-nothing, as the actor `cli`.
 * Prints the report; a refused file prints every problem and exits 1.
 */
export function importCommand(program: Command): void {
  program.command('import').description('Import a seed file (PSKC, CSV, Yubico CSV, otpauth URIs) into a tenant; nothing is imported if any entry is bad')
    .argument('<file>', 'the seed file')
    .requiredOption('--tenant <slug>', 'the tenant that receives the tokens')
    .addOption(new Option('--format <format>', 'seed file format (detected from the content when left out)').choices([...SEED_FORMATS]))
    .addOption(new Option('--key <hex>', 'PSKC pre-shared AES key in hex').conflicts('password'))
    .addOption(new Option('--password <password>', 'PSKC password (or set HWT_IMPORT_PASSWORD)').env('HWT_IMPORT_PASSWORD'))
    .action((file: string, options: ImportOptions) => withServices(async (services) => {
      const ctx = await cliTenantContext(services, options.tenant);
      assertThat(!(options.key && options.password), 'VALIDATION_FAILED', 'Give --key or --password, not both.');
      const key = options.key ? pskcKeyFromHex(options.key) : undefined;
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        throw new AppError('NOT_FOUND', `No file ${file}.`);
      }
      assertThat(stat.isFile(), 'VALIDATION_FAILED', `${file} is not a file.`);
      const report = await new SeedImport(ctx).importFile(fs.createReadStream(file, { highWaterMark: 64 * 1024 }), path.basename(file), {
        format: options.format, key, password: options.password,
      });
      print(report);
    }));
}
