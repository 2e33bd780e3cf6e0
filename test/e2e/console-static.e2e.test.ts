// The console is served by the API's own process: pages fall back to
// index.html, hashed assets are cached for good, the API keeps its 404s, and
// nothing outside the bundle's folder can be read through it.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import consoleStatic from '../../src/server/plugins/console-static.js';

const HTML = { accept: 'text/html,application/xhtml+xml' };

async function appServing(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/api/v1/ping', async () => ({ ok: true }));
  app.setNotFoundHandler((request, reply) => reply.code(404).type('application/problem+json').send({ code: 'NOT_FOUND' }));
  await app.register(consoleStatic, { root });
  await app.ready();
  return app;
}

describe('console static files', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hwt-console-'));
    mkdirSync(path.join(dir, 'console/assets'), { recursive: true });
    writeFileSync(path.join(dir, 'console/index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(dir, 'console/assets/index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'console/favicon.svg'), '<svg/>');
    writeFileSync(path.join(dir, 'secret.txt'), 'outside');
    app = await appServing(path.join(dir, 'console'));
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for any page path, never cached, with its CSP', async () => {
    for (const url of ['/', '/t/acme/devices/hw-tokens?status=active', '/sign-in']) {
      const response = await app.inject({ url, headers: HTML });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<title>console</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('caches hashed assets for good', async () => {
    const response = await app.inject({ url: '/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.headers['content-type']).toContain('javascript');
  });

  it('serves other files of the bundle', async () => {
    const response = await app.inject({ url: '/favicon.svg' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).not.toContain('immutable');
  });

  it('answers 404 for a missing asset, not the page', async () => {
    const response = await app.inject({ url: '/assets/gone-123.js', headers: HTML });
    expect(response.statusCode).toBe(404);
  });

  it('leaves the API, docs, metrics and probes to their own 404', async () => {
    for (const url of ['/api/v1/nope', '/api', '/docs/x', '/metrics/x', '/healthz/x', '/readyz/x']) {
      const response = await app.inject({ url, headers: HTML });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toContain('problem+json');
    }
    expect((await app.inject({ url: '/api/v1/ping' })).json()).toEqual({ ok: true });
  });

  it('does not answer a non-page request with the page', async () => {
    const response = await app.inject({ url: '/some/thing', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
  });

  it('never reads outside the bundle folder', async () => {
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await app.inject({ url, headers: HTML });
      expect(response.body, url).not.toContain('outside');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const bare = await appServing(path.join(dir, 'missing'));
    const response = await bare.inject({ url: '/', headers: HTML });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('Console not built: run npm run build');
    expect((await bare.inject({ url: '/api/v1/ping' })).statusCode).toBe(200);
    await bare.close();
  });
});
