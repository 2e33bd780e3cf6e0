import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Services } from '../lib/context.js';
import { problem, sendProblem } from './problem.js';

const tags = ['Operations'];
const Status = Type.Object({ status: Type.String() });

export function healthRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/healthz', { config: { public: true }, schema: { tags, summary: 'The process is alive', response: { 200: Status } } },
      async () => ({ status: 'ok' }));

    app.get('/readyz', { config: { public: true }, schema: { tags, summary: 'The database is reachable', response: { 200: Status } } },
      async (request, reply) => {
        try {
          await sql`select 1`.execute(services.storage.db);
          return { status: 'ready' };
        } catch (error) {
          request.log.warn({ err: error }, 'database not reachable');
          return sendProblem(reply, problem('SERVICE_UNAVAILABLE', 'The database is not reachable.'));
        }
      });

    app.get('/metrics', { config: { public: true }, schema: { tags, summary: 'Prometheus metrics' } },
      async (_request, reply) => reply.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics()));
  };
}
