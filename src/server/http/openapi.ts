import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** The OpenAPI 3 document, generated from the route schemas (served at /api/v1/openapi.json and /docs). */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'hwtokens API', version: '1.0.0', description: 'Hardware OTP token management. Errors are RFC 9457 problem details with a stable `code`.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hwt_session', description: 'From POST /api/v1/auth/login; state-changing requests also send X-CSRF-Token' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <api key>' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
