import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../lib/metrics.js';

/** Request counts and latencies by route pattern (never by raw URL: ids would explode the labels). */
export function installRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}

/** Log paths that never reach a log line: credentials, OTPs, key material. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
  '*.password', '*.otp', '*.otp1', '*.otp2', '*.secret', '*.secretHex', '*.aesKey', '*.privateId', '*.key', '*.csrfToken',
];
