// The reports API as the dashboard calls it. The admin token lives in sessionStorage only (gone when the
// tab closes) and travels as a Bearer header: it is never part of the page or the bundle.
const KEY = 'attune-admin-token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t: string) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

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

export async function report<T>(name: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const res = await fetch(`/v1/reports/${name}${q.size ? `?${q}` : ''}`, { headers: { authorization: `Bearer ${token.get() ?? ''}` }, signal });
  const body = (await res.json().catch(() => null)) as { error?: string } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error ?? `the API answered ${res.status}`);
  return body as T;
}
