// Loads one report whenever its query changes; an older answer never overwrites a newer one.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, report, type Query } from './api.js';

/** `status`: the API's HTTP status when it refused (401: the session is gone). */
export type Loaded<T> = { data?: T; error?: string; status?: number; loading: boolean };

export function useReport<T>(name: string | null, query: Query): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  const key = JSON.stringify([name, query]);
  useEffect(() => {
    if (!name) return;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    report<T>(name, query, ctl.signal).then(
      (data) => setState({ data, loading: false }),
      (e: Error) => ctl.signal.aborted || setState({ error: e.message, status: e instanceof ApiError ? e.status : undefined, loading: false }),
    );
    return () => ctl.abort();
  }, [key]);
  return state;
}
