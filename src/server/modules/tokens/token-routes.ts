import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TenantIdParams, TenantParams } from '../../../contract/common.js';
import { AuditPage } from '../../../contract/directory.js';
import {
  AddTokenBody, AssignBody, CompromiseBody, EmptyBody, HwToken, HwTokenPage, ResetBody, TokenExportQuery, TokenListQuery, TokenStats,
} from '../../../contract/tokens.js';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Privilege } from '../../../contract/privileges.js';
import type { Services } from '../../lib/context.js';
import { tenantContext } from '../../http/auth-hooks.js';
import { withProblems } from '../../http/route-schemas.js';
import { AuditQueries } from '../audit/audit-queries.js';
import { tokensCsv } from './token-csv.js';
import { TokenInventory } from './token-inventory.js';
import { TokenLifecycle } from './token-lifecycle.js';

const tags = ['HW tokens'];
const HistoryQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), cursor: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });

export function tokenRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const base = '/tenants/:tenant/hw-tokens';

    app.get(base, { schema: { tags, summary: 'List, filter, sort and page tokens', params: TenantParams, querystring: TokenListQuery, response: withProblems({ 200: HwTokenPage }) } },
      async (request) => new TokenInventory(await tenantContext(request, services, 'hwtoken:read')).list(request.query));

    app.get(`${base}.csv`, { schema: { tags, summary: 'Export the filtered list as CSV (every match, in the sort asked for)', params: TenantParams, querystring: TokenExportQuery } },
      async (request, reply) => {
        const inventory = new TokenInventory(await tenantContext(request, services, 'hwtoken:read'));
        const name = `hw-tokens-${request.params.tenant}-${new Date(services.clock.now()).toISOString().slice(0, 10)}.csv`;
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`)
          .send(tokensCsv(inventory.all(request.query)));
      });

    app.get(`${base}/stats`, { schema: { tags, summary: 'Exact counts by status and by assigned / in stock', params: TenantParams, response: withProblems({ 200: TokenStats }) } },
      async (request) => new TokenInventory(await tenantContext(request, services, 'hwtoken:read')).stats());

    app.post(base, { schema: { tags, summary: 'Add one token with its key', params: TenantParams, body: AddTokenBody, response: withProblems({ 201: HwToken }) } },
      async (request, reply) => {
        const token = await new TokenInventory(await tenantContext(request, services, 'hwtoken:import')).add(request.body);
        return reply.code(201).send(token);
      });

    app.get(`${base}/:id`, { schema: { tags, summary: 'One token', params: TenantIdParams, response: withProblems({ 200: HwToken }) } },
      async (request) => new TokenInventory(await tenantContext(request, services, 'hwtoken:read')).get(request.params.id));

    app.get(`${base}/:id/history`, { schema: { tags, summary: "The token's audit events, newest first", params: TenantIdParams, querystring: HistoryQuery, response: withProblems({ 200: AuditPage }) } },
      async (request) => {
        const ctx = await tenantContext(request, services, 'hwtoken:read');
        const token = await new TokenInventory(ctx).get(request.params.id);
        return new AuditQueries(ctx).list({ tokenId: token.id, limit: request.query.limit, cursor: request.query.cursor });
      });

    const action = (path: string, summary: string) => ({ path: `${base}/:id/${path}`, summary });
    const lifecycle = async (request: FastifyRequest, privilege: Privilege) => new TokenLifecycle(await tenantContext(request, services, privilege));

    const assign = action('assign', 'Assign to a user ({userId} or {username}; an optional otp proves possession)');
    app.post(assign.path, { schema: { tags, summary: assign.summary, params: TenantIdParams, body: AssignBody, response: withProblems({ 200: HwToken }) } },
      async (request) => (await lifecycle(request, 'hwtoken:assign')).assign(request.params.id, request.body));

    for (const [path, summary, privilege, run] of [
      ['unassign', 'Unassign from its user (status unchanged)', 'hwtoken:unassign', (l: TokenLifecycle, id: string) => l.unassign(id)],
      ['disable', 'Disable temporarily', 'hwtoken:disable', (l: TokenLifecycle, id: string) => l.disable(id)],
      ['enable', 'Enable a disabled token', 'hwtoken:disable', (l: TokenLifecycle, id: string) => l.enable(id)],
      ['unlock', 'Clear the failure lock', 'hwtoken:reset', (l: TokenLifecycle, id: string) => l.unlock(id)],
    ] as const) {
      app.post(`${base}/:id/${path}`, { schema: { tags, summary, params: TenantIdParams, body: EmptyBody, response: withProblems({ 200: HwToken }) } },
        async (request) => run(await lifecycle(request, privilege), request.params.id));
    }

    app.post(`${base}/:id/compromise`, { schema: { tags, summary: 'Compromise for ever (lost or stolen); key material is destroyed', params: TenantIdParams, body: CompromiseBody, response: withProblems({ 200: HwToken }) } },
      async (request) => (await lifecycle(request, 'hwtoken:compromise')).compromise(request.params.id, request.body.reason.trim()));

    app.post(`${base}/:id/reset`, { schema: { tags, summary: 'Resynchronise with two consecutive OTPs', params: TenantIdParams, body: ResetBody, response: withProblems({ 200: HwToken }) } },
      async (request) => (await lifecycle(request, 'hwtoken:reset')).reset(request.params.id, request.body.otp1, request.body.otp2));
  };
}
