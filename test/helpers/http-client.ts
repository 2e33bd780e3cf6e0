import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  text: string;
}

/**
 * Speaks to the app over `inject` as a browser or a machine caller would:
 * keeps the session cookie and sends the CSRF token, or a bearer key.
 */
export class HttpClient {
  private cookie?: string;
  private csrf?: string;

  constructor(private readonly app: FastifyInstance, private readonly bearer?: string) {}

  async login(username: string, password: string): Promise<Reply> {
    const reply = await this.request('POST', '/api/v1/auth/login', { username, password });
    if (reply.status === 200) {
      const setCookie = [reply.headers['set-cookie']].flat()[0] as string;
      this.cookie = setCookie.split(';')[0];
      this.csrf = reply.body.csrfToken;
    }
    return reply;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body);
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body);
  put = (url: string, body?: unknown) => this.request('PUT', url, body);
  delete = (url: string) => this.request('DELETE', url);

  async request(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const response = await this.app.inject({
      method: method as 'GET', url, headers,
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
    });
    let parsed: unknown = response.body;
    if ((response.headers['content-type'] ?? '').toString().includes('json') && response.body) parsed = JSON.parse(response.body);
    return { status: response.statusCode, body: parsed, headers: response.headers, text: response.body };
  }
}
