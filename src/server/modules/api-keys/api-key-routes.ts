import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TenantIdParams, TenantParams } from '../../../contract/common.js';
import { ApiKey, CreateApiKeyBody, CreatedApiKey } from '../../../contract/directory.js';
import { assertThat } from '../../lib/app-error.js';
import type { Services } from '../../lib/context.js';
import { tenantContext } from '../../http/auth-hooks.js';
import { withProblems } from '../../http/route-schemas.js';
import { auditAlone } from '../audit/audit-log.js';
import { ApiKeyStore } from './api-key-store.js';

const tags = ['API keys'];

export function apiKeyRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    const store = new ApiKeyStore(services.storage);

    app.get('/tenants/:tenant/api-keys', { schema: { tags, summary: 'API keys (never their secrets)', params: TenantParams, response: withProblems({ 200: Type.Array(ApiKey) }) } },
      async (request) => store.list((await tenantContext(request, services, 'tenant:admin')).tenant.id));

    app.post('/tenants/:tenant/api-keys', { schema: { tags, summary: 'Create an API key; the secret is shown this once', params: TenantParams, body: CreateApiKeyBody, response: withProblems({ 201: CreatedApiKey }) } },
      async (request, reply) => {
        const ctx = await tenantContext(request, services, 'tenant:admin');
        const key = await store.create(ctx.tenant.id, request.body.name, request.body.role, ctx.actor, services.clock.now());
        await auditAlone(ctx, { action: 'apikey.create', detail: `${key.name} (${key.role}, ${key.prefix})` }, 'success');
        return reply.code(201).send(key);
      });

    app.delete('/tenants/:tenant/api-keys/:id', { schema: { tags, summary: 'Revoke an API key (at once, on every instance)', params: TenantIdParams, response: withProblems({ 204: Type.Null() }) } },
      async (request, reply) => {
        const ctx = await tenantContext(request, services, 'tenant:admin');
        const revoked = await store.revoke(ctx.tenant.id, request.params.id, services.clock.now());
        assertThat(revoked, 'NOT_FOUND', 'No such API key in this tenant.');
        await auditAlone(ctx, { action: 'apikey.revoke', detail: `${revoked.name} (${revoked.prefix})` }, 'success');
        return reply.code(204).send(null);
      });
  };
}
