// The console's only way to the data: the public API, with the signed-in token, like any client.
import { signOut, token } from './auth.js';

export const apiBase = '/api/v1/onboarding';

/** An answer other than 2xx, with the error envelope's code and detail. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error ?? 'http_error';
    this.correlationId = body?.correlation_id ?? null;
  }
}

const query = (params = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
};

/** Listeners told when the API refuses the token (401), so the app can ask to sign in again. */
const onUnauthenticated = new Set();
export const whenSignedOut = (fn) => onUnauthenticated.add(fn);

export const request = async (method, path, { params, body } = {}) => {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token() ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${apiBase}${path}${query(params)}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await res.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (res.status === 401) {
    signOut();
    for (const fn of onUnauthenticated) fn();
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
};

export const get = (path, params) => request('GET', path, { params });
export const post = (path, body) => request('POST', path, { body });
export const del = (path, body) => request('DELETE', path, { body });
