// The admin API as the dashboard calls it. Sign-in trades the admin token for an HttpOnly session cookie
// (POST /v1/admin/session): the token is sent once and kept nowhere — no storage, no page state — and no
// script on the page can read the session. Same-origin requests carry the cookie on their own.

/** What the API said, as it said it: the dashboard shows `message` as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | undefined>;

async function call<T>(method: string, path: string, init: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const body = (await res.json().catch(() => null)) as { error?: string } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error ?? `the API answered ${res.status}`);
  return body as T;
}

/** With an account name: that account's password; without: the admin token (the owner). */
export const signIn = (secret: string, name?: string) =>
  call<{ expires: string }>('POST', '/v1/admin/session', { body: name ? { name, password: secret } : { token: secret } });
export const signOut = () => call<unknown>('DELETE', '/v1/admin/session');
/** Whether this browser holds a live session (the page cannot see its HttpOnly cookie). */
export const signedIn = () =>
  call<{ session: { expires: string } | null }>('GET', '/v1/admin/session').then(
    (r) => !!r.session,
    (e) => (e instanceof ApiError && e.status === 401 ? false : Promise.reject(e)),
  );

export async function report<T>(name: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  return call<T>('GET', `/v1/reports/${name}${q.size ? `?${q}` : ''}`, { signal });
}
