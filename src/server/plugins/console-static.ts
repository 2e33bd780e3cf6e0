import fastifyStatic from '@fastify/static';
import type {} from '@fastify/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stat } from 'node:fs/promises';
import path from 'node:path';

export interface ConsoleStaticOptions {
  /** The console's production bundle: `dist/console`, as `vite build` writes it. */
  root: string;
}

/** Paths the console never answers for, so that their own 404 (problem+json) applies. */
const RESERVED_PREFIXES = ['/api', '/docs', '/metrics', '/healthz', '/readyz'];

/**
 * The console's page. Mantine writes its theme variables into <style> tags,
 * hence 'unsafe-inline' for styles (only); scripts come from this origin only,
 * with no inline script and no eval.
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hwtokens</title></head>
<body><h1>Console not built: run npm run build</h1>
<p>The API is available under <a href="/api/v1/openapi.json">/api/v1</a>.</p></body></html>
`;

function isReserved(pathname: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The file under `root` that a URL path names, or undefined when it names none (or escapes root). */
function fileUnder(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.resolve(root, `.${decoded}`);
  return file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer');
}

/**
 * Serves the console (a single-page app) at `/`: hashed assets cached for
 * good, index.html never cached (so a deploy takes effect at the next load),
 * and any other GET that asks for a page answers index.html, whose router
 * shows the screen. Register it after the API routes:
 * `app.register(consoleStatic, { root })`.
 */
export default async function consoleStatic(app: FastifyInstance, options: ConsoleStaticOptions): Promise<void> {
  const root = path.resolve(options.root);
  const indexFile = path.join(root, 'index.html');
  await app.register(fastifyStatic, { serve: false });

  const sendIndex = async (reply: FastifyReply) => {
    if (!(await isFile(indexFile))) {
      return pageHeaders(reply).code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    return pageHeaders(reply).header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  };

  // Hidden from the OpenAPI document: the console's pages are not API.
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (isReserved(pathname)) return reply.callNotFound();
    if (pathname === '/' || pathname === '/index.html') return sendIndex(reply);
    const file = fileUnder(root, pathname);
    if (file && file !== indexFile && (await isFile(file))) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      // Vite names every asset after its content hash: it can be cached for good.
      const hashed = relative.startsWith('assets/');
      return reply
        .header('x-content-type-options', 'nosniff')
        .sendFile(relative, root, hashed ? { maxAge: '365d', immutable: true } : { maxAge: 0 });
    }
    if (!pathname.startsWith('/assets/') && acceptsHtml(request)) return sendIndex(reply);
    return reply.callNotFound();
  });
}
