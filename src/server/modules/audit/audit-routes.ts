import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TenantParams } from '../../../contract/common.js';
import { AuditPage, AuditQuery } from '../../../contract/directory.js';
import type { Services } from '../../lib/context.js';
import { tenantContext } from '../../http/auth-hooks.js';
import { withProblems } from '../../http/route-schemas.js';
import { AuditQueries } from './audit-queries.js';
import { verifyAuditChain } from './audit-verify.js';

const tags = ['Audit'];
const ChainReport = Type.Object({
  tenantId: Type.String(), checked: Type.Integer(), head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
  broken: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
});

export function auditRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/tenants/:tenant/audit', { schema: { tags, summary: 'The audit trail, newest first, with the head hash', params: TenantParams, querystring: AuditQuery, response: withProblems({ 200: AuditPage }) } },
      async (request) => new AuditQueries(await tenantContext(request, services, 'audit:read')).list(request.query));

    app.get('/tenants/:tenant/audit/verify', { schema: { tags, summary: 'Check the hash chain and report the first broken link', params: TenantParams, response: withProblems({ 200: ChainReport }) } },
      async (request) => {
        const ctx = await tenantContext(request, services, 'audit:read');
        return verifyAuditChain(services.storage, ctx.tenant.id);
      });
  };
}
