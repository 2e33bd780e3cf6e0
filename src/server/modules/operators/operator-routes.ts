import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Id } from '../../../contract/common.js';
import { CreateOperatorBody, Operator, SetRolesBody } from '../../../contract/directory.js';
import { assertThat } from '../../lib/app-error.js';
import type { Services } from '../../lib/context.js';
import { principalOf } from '../../http/auth-hooks.js';
import { actorName, privilegesIn, type Principal } from '../../http/principal.js';
import { withProblems } from '../../http/route-schemas.js';
import { createOperator, replaceOperatorRoles, resolveGrants } from './operator-admin.js';
import { OperatorRepository, operatorJson } from './operator-repository.js';

const tags = ['Operators'];

/** Tenants whose operators the caller manages: all for a superadmin, else where it holds tenant:admin. */
function administeredTenants(principal: Principal): { all: boolean; ids: Set<string> } {
  assertThat(principal.kind === 'operator', 'FORBIDDEN', 'API keys cannot manage operators.');
  if (principal.superadmin) return { all: true, ids: new Set() };
  const ids = new Set(principal.roles.map((r) => r.tenantId).filter((id) => privilegesIn(principal, id)?.has('tenant:admin')));
  assertThat(ids.size > 0, 'FORBIDDEN', 'Managing operators needs superadmin or tenant:admin.');
  return { all: false, ids };
}

export function operatorRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const operators = new OperatorRepository(services.storage.db);
    const render = async (rows: Awaited<ReturnType<typeof operators.list>>, scope: { all: boolean; ids: Set<string> }) => {
      const roles = await operators.rolesOf(rows.map((r) => r.id));
      return rows.map((row) => operatorJson(row, (roles.get(row.id) ?? []).filter((r) => scope.all || scope.ids.has(r.tenantId))));
    };

    app.get('/operators', { schema: { tags, summary: 'Operators and their roles (in the tenants the caller administers)', response: withProblems({ 200: Type.Array(Operator) }) } },
      async (request) => {
        const scope = administeredTenants(principalOf(request));
        return render(await operators.list(scope.all ? undefined : [...scope.ids]), scope);
      });

    app.post('/operators', { schema: { tags, summary: 'Create an operator', body: CreateOperatorBody, response: withProblems({ 201: Operator }) } },
      async (request, reply) => {
        const principal = principalOf(request);
        const scope = administeredTenants(principal);
        assertThat(scope.all || !request.body.superadmin, 'FORBIDDEN', 'Only a superadmin may create a superadmin.');
        // An operator without a role in the caller's tenants would be out of the caller's sight at once.
        assertThat(scope.all || (request.body.roles ?? []).length > 0, 'VALIDATION_FAILED', 'Give the operator a role in a tenant you administer.');
        const roles = await resolveGrants(services, request.body.roles ?? [], (id) => scope.all || scope.ids.has(id));
        return reply.code(201).send(await createOperator(services, actorName(principal), request.body, roles));
      });

    app.put('/operators/:id/roles', { schema: { tags, summary: "Replace an operator's roles in the tenants the caller administers", params: Type.Object({ id: Id }), body: SetRolesBody, response: withProblems({ 200: Operator }) } },
      async (request) => {
        const principal = principalOf(request);
        const scope = administeredTenants(principal);
        const target = await operators.findById(request.params.id);
        const visible = target && (scope.all || (await operators.rolesOf([target.id])).get(target.id)!.some((r) => scope.ids.has(r.tenantId)));
        assertThat(target && visible, 'NOT_FOUND', 'No such operator.');
        const roles = await resolveGrants(services, request.body.roles, (id) => scope.all || scope.ids.has(id));
        const touched = scope.all ? (await operators.rolesOf([target.id])).get(target.id)!.map((r) => r.tenantId).concat(roles.map((r) => r.tenantId)) : [...scope.ids];
        await replaceOperatorRoles(services, actorName(principal), target, [...new Set(touched)], roles);
        return (await render([target], scope))[0]!;
      });
  };
}
