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

/** Every answer names its request id, which each log line of the request carries: a caller can quote it. */
export function installRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}

/** Query parameters whose values never reach a log line, whatever a client puts in a URL. */
const SECRET_PARAMETER = /pass|pwd|otp|secret|seed|key|token|csrf|auth|session|cookie|cred|pin|code|private/i;

/** A request's URL as the log shows it: parameters that may carry a credential keep their name only. */
export function loggableUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const parameters = url.slice(query + 1).split('&').map((pair) => {
    const name = pair.split('=', 1)[0]!;
    return SECRET_PARAMETER.test(decodeURIComponentSafely(name)) ? `${name}=[redacted]` : pair;
  });
  return `${url.slice(0, query)}?${parameters.join('&')}`;
}

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
