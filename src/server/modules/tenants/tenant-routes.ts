import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TenantParams } from '../../../contract/common.js';
import { CreateTenantBody, Tenant, TenantSettings, TenantSettingsPatch } from '../../../contract/directory.js';
import type { Services } from '../../lib/context.js';
import { principalOf, requireSuperadmin, tenantContext } from '../../http/auth-hooks.js';
import { withProblems } from '../../http/route-schemas.js';
import { createTenant, updateSettings } from './tenant-admin.js';
import { TenantRepository, tenantJson } from './tenant-repository.js';

const tags = ['Tenants'];

export function tenantRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/tenants', { schema: { tags, summary: 'Tenants visible to the caller', response: withProblems({ 200: Type.Array(Tenant) }) } },
      async (request) => {
        const principal = principalOf(request);
        const tenants = new TenantRepository(services.storage.db);
        if (principal.kind === 'apikey') return (await tenants.byIds([principal.tenantId])).map(tenantJson);
        if (principal.superadmin) return (await tenants.all()).map(tenantJson);
        return (await tenants.byIds([...new Set(principal.roles.map((r) => r.tenantId))])).map(tenantJson);
      });

    app.post('/tenants', { schema: { tags, summary: 'Create a tenant (superadmin)', body: CreateTenantBody, response: withProblems({ 201: Tenant }) } },
      async (request, reply) => {
        requireSuperadmin(request);
        return reply.code(201).send(await createTenant(services, request.body));
      });

    app.get('/tenants/:tenant/settings', { schema: { tags, summary: 'Windows and limits', params: TenantParams, response: withProblems({ 200: TenantSettings }) } },
      async (request) => (await tenantContext(request, services, 'tenant:admin')).tenant.settings);

    app.patch('/tenants/:tenant/settings', { schema: { tags, summary: 'Change windows and limits', params: TenantParams, body: TenantSettingsPatch, response: withProblems({ 200: TenantSettings }) } },
      async (request) => {
        return updateSettings(await tenantContext(request, services, 'tenant:admin'), request.body);
      });
  };
}
