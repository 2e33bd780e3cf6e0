import type { FastifyInstance } from 'fastify';

/**
 * Headers on every answer. The console's page sets its own strict
 * Content-Security-Policy (plugins/console-static.ts); API answers are data
 * that nothing may run or frame.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (request.url.startsWith('/api/')) {
      reply.header('cache-control', 'no-store');
      reply.header('content-security-policy', API_CSP);
    }
    return payload;
  });
}
