import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from './lib/context.js';
import { installAuth } from './http/auth-hooks.js';
import { clientErrorHandler, installErrorHandler } from './http/error-handler.js';
import { healthRoutes } from './http/health-routes.js';
import { installRequestIdHeader, installRequestMetrics, loggableUrl, REDACTED_LOG_PATHS } from './http/observability.js';
import { installOpenApi } from './http/openapi.js';
import { problem, sendProblem } from './http/problem.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installValidation } from './http/validation.js';
import { apiKeyRoutes } from './modules/api-keys/api-key-routes.js';
import { auditRoutes } from './modules/audit/audit-routes.js';
import { authRoutes } from './modules/auth/auth-routes.js';
import { importRoutes } from './modules/import/import-routes.js';
import { operatorRoutes } from './modules/operators/operator-routes.js';
import { tenantRoutes } from './modules/tenants/tenant-routes.js';
import { tokenRoutes } from './modules/tokens/token-routes.js';
import { userRoutes } from './modules/users/user-routes.js';
import { verifyRoutes } from './modules/verification/verify-routes.js';
import consoleStatic from './plugins/console-static.js';

export interface AppOptions {
  services: Services;
  bodyLimit?: number;
  /** Fastify logger options, or false (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  trustProxy?: boolean;
  /** Folder of the built console (served at /). */
  consoleRoot?: string;
  /** Largest seed file in bytes (default 50 MiB). */
  importLimit?: number;
}

/**
 * Longest time a client may take to send a whole request. Fastify turns
 * Node's limit off by default, so a client that sends its body a byte at a
 * time would hold a connection for ever. Node's own default: room for a
 * 50 MB seed file at about 170 kB/s.
 */
export const REQUEST_TIMEOUT_MS = 300_000;

/** The whole HTTP service, ready for `inject` or `listen`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const app = Fastify({
    ...(options.tls ? { https: options.tls } : {}),
    logger: options.logger === undefined ? false : options.logger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    requestTimeout: REQUEST_TIMEOUT_MS,
    trustProxy: options.trustProxy ?? false,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false } },
    // A URL the router cannot read (broken percent-encoding, an over-long path
    // segment) is a client error like any other: problem+json, no echo of the URL.
    clientErrorHandler,
    frameworkErrors: (error, _request, reply) => sendProblem(reply, problem('VALIDATION_FAILED',
      error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is too long.' : 'The URL is not valid.')),
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidation(app);
  installErrorHandler(app);
  installRequestMetrics(app, services.metrics);
  installRequestIdHeader(app);
  installSecurityHeaders(app);
  await app.register(cookie);
  installAuth(app, services);
  await installOpenApi(app);

  await app.register(healthRoutes(services));
  await app.register(async (api) => {
    await api.register(authRoutes(services));
    await api.register(tenantRoutes(services));
    await api.register(userRoutes(services));
    await api.register(tokenRoutes(services));
    await api.register(importRoutes(services, { importLimit: options.importLimit ?? 50 * 1024 * 1024 }));
    await api.register(verifyRoutes(services));
    await api.register(auditRoutes(services));
    await api.register(apiKeyRoutes(services));
    await api.register(operatorRoutes(services));
  }, { prefix: '/api/v1' });
  if (options.consoleRoot) await app.register(consoleStatic, { root: options.consoleRoot });
  return app;
}

export const loggerOptions = (level: string): FastifyServerOptions['logger'] => ({
  level,
  redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
  serializers: {
    req: (request: FastifyRequest) => ({
      method: request.method, url: loggableUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort,
    }),
  },
});
