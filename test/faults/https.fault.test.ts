// The deployment as the README describes it: `hwtokens serve` with HWT_TLS_CERT / HWT_TLS_KEY serves HTTPS, and its session cookie is Secure.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, waitFor } from './fault-support.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwt-fault-tls-'));
const cert = path.join(dir, 'cert.pem');
const key = path.join(dir, 'key.pem');

function request(url: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = https.request(url, {
      method: init.method ?? 'GET', ca: fs.readFileSync(cert),
      headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
    }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTPS with HWT_TLS_CERT and HWT_TLS_KEY', () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API over TLS, with the certificate given, and marks the session cookie Secure', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'serve'], {
      env: {
        ...process.env, HWT_DATA_DIR: path.join(dir, 'data'), HWT_MASTER_KEY: crypto.randomBytes(32).toString('base64'), HWT_HOST: '127.0.0.1',
        HWT_PORT: '0', HWT_ADMIN_PASSWORD: ADMIN_PASSWORD, HWT_LOG_LEVEL: 'warn', HWT_SCRYPT_LOG2N: '10', HWT_TLS_CERT: cert, HWT_TLS_KEY: key,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const baseUrl = await waitFor('the address it serves', 60_000, () => {
      if (child!.exitCode !== null) throw new Error(`hwtokens serve exited: ${output}`);
      return output.match(/console:\s+(https?:\/\/[^\s/]+)\//)?.[1];
    }, 50);
    expect(baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await request(`${baseUrl}/readyz`)).status).toBe(200);
    const login = await request(`${baseUrl}/api/v1/auth/login`, { method: 'POST', body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = String([login.headers['set-cookie']].flat()[0]);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
  }, 120_000);
});
