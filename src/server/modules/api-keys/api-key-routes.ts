import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TenantIdParams, TenantParams } from '../../../contract/common.js';
import { ApiKey, CreateApiKeyBody, CreatedApiKey } from '../../../contract/directory.js';
import type { Services } from '../../lib/context.js';
import { tenantContext } from '../../http/auth-hooks.js';
import { withProblems } from '../../http/route-schemas.js';
import { createApiKey, revokeApiKey } from './api-key-admin.js';
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
        return reply.code(201).send(await createApiKey(ctx, request.body));
      });

    app.delete('/tenants/:tenant/api-keys/:id', { schema: { tags, summary: 'Revoke an API key (at once, on every instance)', params: TenantIdParams, response: withProblems({ 204: Type.Null() }) } },
      async (request, reply) => {
        await revokeApiKey(await tenantContext(request, services, 'tenant:admin'), request.params.id);
        return reply.code(204).send(null);
      });
  };
}
