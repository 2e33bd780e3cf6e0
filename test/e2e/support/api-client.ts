import type { HwToken, Me, User } from '../../../src/contract/index.js';

/**
 * The test's own API session, for arranging data before the browser walks a
 * procedure (tenants, operators, users, tokens with known seeds). It signs in
 * as an operator would and sends the CSRF token like the console does.
 */
export class ApiClient {
  private cookie = '';
  private csrf = '';

  constructor(private readonly baseUrl: string) {}

  static async signIn(baseUrl: string, username: string, password: string): Promise<ApiClient> {
    const client = new ApiClient(baseUrl);
    const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!response.ok) throw new Error(`sign-in as ${username}: ${response.status} ${await response.text()}`);
    client.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    client.csrf = ((await response.json()) as Me).csrfToken;
    return client;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: this.cookie, accept: 'application/json' };
    if (method !== 'GET') {
      headers['x-csrf-token'] = this.csrf;
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method, headers, body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createTenant(slug: string, name: string) {
    return this.request<{ id: string; slug: string }>('POST', '/tenants', { slug, name });
  }

  createOperator(username: string, password: string, roles: { tenant: string; role: string }[], displayName?: string) {
    return this.request('POST', '/operators', { username, password, roles, displayName });
  }

  createUser(tenant: string, username: string, displayName: string) {
    return this.request<User>('POST', `/tenants/${tenant}/users`, { username, displayName, email: `${username}@example.test` });
  }

  addToken(tenant: string, token: Record<string, unknown>) {
    return this.request<HwToken>('POST', `/tenants/${tenant}/hw-tokens`, token);
  }

  act(tenant: string, tokenId: string, action: string, body: unknown = {}) {
    return this.request<HwToken>('POST', `/tenants/${tenant}/hw-tokens/${tokenId}/${action}`, body);
  }

  token(tenant: string, tokenId: string) {
    return this.request<HwToken>('GET', `/tenants/${tenant}/hw-tokens/${tokenId}`);
  }
}
