import { Command, Option } from 'commander';
import { CreateApiKeyBody, CreateOperatorBody, CreateTenantBody } from '../../contract/directory.js';
import { ROLES, type Role } from '../../contract/privileges.js';
import { validBody } from '../http/validation.js';
import { assertThat } from '../lib/app-error.js';
import { createApiKey } from '../modules/api-keys/api-key-admin.js';
import { createOperator, resolveGrants } from '../modules/operators/operator-admin.js';
import { createTenant } from '../modules/tenants/tenant-admin.js';
import { print } from './output.js';
import { cliTenantContext, withServices } from './with-services.js';

const roleChoice = () => new Option('--role <role>', 'role').choices([...ROLES]);

/** tenant create, operator create, apikey create: each input checked as the API checks its body. */
export function directoryCommands(program: Command): void {
  program.command('tenant').description('Tenants').command('create').description('Create a tenant')
    .requiredOption('--slug <slug>', 'short name used in URLs').requiredOption('--name <name>', 'display name')
    .action((options: { slug: string; name: string }) => withServices(async (services) => print(await createTenant(services, validBody(CreateTenantBody, options))), { createsDatabase: true }));

  program.command('operator').description('Operators').command('create').description('Create an operator')
    .requiredOption('--username <username>')
    .addOption(new Option('--password <password>', 'password (or set HWT_OPERATOR_PASSWORD)').env('HWT_OPERATOR_PASSWORD').makeOptionMandatory())
    .option('--display-name <name>')
    .option('--superadmin', 'manages tenants and operators', false)
    .option('--grant <tenant:role...>', 'roles, e.g. acme:helpdesk', [])
    .action((options: { username: string; password: string; displayName?: string; superadmin: boolean; grant: string[] }) =>
      withServices(async (services) => {
        const grants = options.grant.map((g) => {
          const [tenant, role] = g.split(':');
          assertThat(tenant && ROLES.includes(role as Role), 'VALIDATION_FAILED', `--grant ${g}: use tenant:role with a role of ${ROLES.join(', ')}`);
          return { tenant, role: role as Role };
        });
        const body = validBody(CreateOperatorBody, { username: options.username, password: options.password, displayName: options.displayName, superadmin: options.superadmin });
        const roles = await resolveGrants(services, grants, () => true);
        print(await createOperator(services, 'cli', body, roles));
      }, { createsDatabase: true }));

  program.command('apikey').description('API keys').command('create').description('Create an API key; the secret is printed once')
    .requiredOption('--tenant <slug>').requiredOption('--name <name>').addOption(roleChoice().makeOptionMandatory())
    .action((options: { tenant: string; name: string; role: Role }) => withServices(async (services) => {
      const body = validBody(CreateApiKeyBody, { name: options.name, role: options.role });
      print(await createApiKey(await cliTenantContext(services, options.tenant), body));
    }));
}
