import { CSRF_HEADER } from '../../contract/auth.js';
import { ApiError, problemToError } from './api-error.js';

/**
 * The one way the console talks to the API: adds the CSRF token to every
 * state-changing request, decodes problem+json into an ApiError, and hands a
 * lost session (401) to the handler that sends the operator back to sign-in.
 */
export const API_BASE = '/api/v1';

let csrfToken: string | null = null;
let onSessionLost: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: URLSearchParams;
  /** JSON-serialisable value or FormData (multipart). */
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in and the session probe answer 401 as a normal outcome. */
  expectUnauthenticated?: boolean;
}

export function apiUrl(path: string, query?: URLSearchParams): string {
  const search = query && query.size > 0 ? `?${query.toString()}` : '';
  return `${API_BASE}${path}${search}`;
}

/** Encodes one path segment (a tenant slug or an id). */
export const seg = (value: string): string => encodeURIComponent(value);

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers = new Headers({ Accept: 'application/json' });
  let body: BodyInit | undefined;
  if (method !== 'GET') {
    if (csrfToken) headers.set(CSRF_HEADER, csrfToken);
    if (options.body instanceof FormData) {
      body = options.body;
    } else {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(options.body ?? {});
    }
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method, headers, body, signal: options.signal, credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'Network error', '');
  }
  const payload = await readBody(response);
  if (response.ok) return payload as T;
  const error = problemToError(response.status, payload);
  if (response.status === 401 && !options.expectUnauthenticated) onSessionLost?.();
  throw error;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
