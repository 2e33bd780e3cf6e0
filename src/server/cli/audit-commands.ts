import type { Command } from 'commander';
import { assertThat } from '../lib/app-error.js';
import { verifyAuditChain } from '../modules/audit/audit-verify.js';
import { TenantRepository } from '../modules/tenants/tenant-repository.js';
import { print } from './output.js';
import { withServices } from './with-services.js';

/** audit verify: checks each tenant's hash chain; exits 2 when a link is broken. */
export function auditCommands(program: Command): void {
  program.command('audit').description('Audit trail').command('verify').description('Check the hash chain and print the head hash')
    .option('--tenant <slug>', 'one tenant (default: all)')
    .action((options: { tenant?: string }) => withServices(async (services) => {
      const tenants = new TenantRepository(services.storage.db);
      const selected = options.tenant ? [await tenants.findByRef(options.tenant)] : await tenants.all();
      let broken = false;
      for (const tenant of selected) {
        assertThat(tenant, 'NOT_FOUND', `No tenant ${options.tenant}.`);
        const report = await verifyAuditChain(services.storage, tenant.id);
        const status = report.broken ? `BROKEN at event ${report.broken.seq}: ${report.broken.reason}` : 'ok';
        print(`${tenant.slug}: ${report.checked} events, head ${report.head.seq} ${report.head.hash}: ${status}`);
        broken ||= report.broken !== undefined;
      }
      if (broken) process.exitCode = 2;
    }));
}
