import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src/server/cli/main.ts');

export interface ServerProcessOptions {
  databaseUrl: string;
  masterKey: string;
  dataDir: string;
  adminPassword: string;
  /** More environment for the process (HWT_IMPORT_LIMIT, HWT_LOG_LEVEL…). */
  env?: Record<string, string>;
}

export interface ServerProcess {
  baseUrl: string;
  /** What the process printed so far (for failure messages). */
  output(): string;
  /** The process id (for /proc figures). */
  pid: number;
  stop(): Promise<void>;
  /** kill -9: no shutdown, no cleanup, as a crash or an OOM kill. Resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * `hwtokens serve` in a process of its own, on 127.0.0.1 and a port the
 * system picks, against the given database. Resolves once /readyz answers.
 */
export async function startServerProcess(options: ServerProcessOptions, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HWT_DATABASE_URL: options.databaseUrl,
      HWT_MASTER_KEY: options.masterKey,
      HWT_DATA_DIR: options.dataDir,
      HWT_HOST: '127.0.0.1',
      HWT_PORT: '0',
      HWT_ADMIN_USERNAME: 'admin',
      HWT_ADMIN_PASSWORD: options.adminPassword,
      HWT_LOG_LEVEL: 'warn',
      HWT_SCRYPT_LOG2N: '10',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const stop = () => stopProcess(child);
  try {
    const baseUrl = await waitFor(timeoutMs, () => {
      if (child.exitCode !== null) throw new Error(`hwtokens serve exited with ${child.exitCode}:\n${output}`);
      return output.match(/console:\s+(https?:\/\/[^\s/]+)\//)?.[1];
    });
    await waitFor(timeoutMs, async () => {
      const reply = await fetch(`${baseUrl}/readyz`).catch(() => undefined);
      return reply?.status === 200 ? true : undefined;
    });
    return { baseUrl, output: () => output, pid: child.pid!, stop, kill: () => killProcess(child) };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor<T>(timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

export interface RemoteReply {
  status: number;
  body: any;
}

/** A caller of a server process over real HTTP: a bearer key, or an operator session with its CSRF token. */
export class RemoteClient {
  private cookie?: string;
  private csrf?: string;

  constructor(readonly baseUrl: string, private readonly bearer?: string) {}

  static async signIn(baseUrl: string, username: string, password: string): Promise<RemoteClient> {
    const client = new RemoteClient(baseUrl);
    const reply = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
    });
    if (reply.status !== 200) throw new Error(`sign-in failed: ${reply.status} ${await reply.text()}`);
    client.cookie = reply.headers.getSetCookie()[0]!.split(';')[0];
    client.csrf = ((await reply.json()) as { csrfToken: string }).csrfToken;
    return client;
  }

  /** The same caller against another instance (sessions and keys live in the shared database). */
  on(baseUrl: string): RemoteClient {
    const copy = new RemoteClient(baseUrl, this.bearer);
    copy.cookie = this.cookie;
    copy.csrf = this.csrf;
    return copy;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body);

  async request(method: string, url: string, body?: unknown): Promise<RemoteReply> {
    const headers: Record<string, string> = {};
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const reply = await fetch(`${this.baseUrl}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await reply.text();
    return { status: reply.status, body: text && reply.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }
}
