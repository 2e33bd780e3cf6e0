import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TenantIdParams, TenantParams } from '../../../contract/common.js';
import { CreateUserBody, User, UserListQuery, UserPage, UserWithTokens } from '../../../contract/directory.js';
import type { Services } from '../../lib/context.js';
import { tenantContext } from '../../http/auth-hooks.js';
import { withProblems } from '../../http/route-schemas.js';
import { UserDirectory } from './user-directory.js';

const tags = ['Users'];

export function userRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/tenants/:tenant/users', { schema: { tags, summary: 'Search users (username prefix, name or e-mail)', params: TenantParams, querystring: UserListQuery, response: withProblems({ 200: UserPage }) } },
      async (request) => new UserDirectory(await tenantContext(request, services, 'user:read')).list(request.query));

    app.post('/tenants/:tenant/users', { schema: { tags, summary: 'Create a user', params: TenantParams, body: CreateUserBody, response: withProblems({ 201: User }) } },
      async (request, reply) => reply.code(201).send(await new UserDirectory(await tenantContext(request, services, 'user:write')).create(request.body)));

    app.get('/tenants/:tenant/users/:id', { schema: { tags, summary: 'One user (by id or username) with their tokens', params: TenantIdParams, response: withProblems({ 200: UserWithTokens }) } },
      async (request) => new UserDirectory(await tenantContext(request, services, 'user:read')).get(request.params.id));
  };
}
