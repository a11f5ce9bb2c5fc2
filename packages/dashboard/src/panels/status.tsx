// What a panel shows while it loads or when the API refused: the API's own words.
import type { ComponentChildren } from 'preact';
import type { Loaded } from '../use-report.js';

export function Panel<T>({ title, state, children, id }: { title: string; id: string; state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  return (
    <section class="panel" id={id} aria-busy={state.loading}>
      <h2>{title}</h2>
      {state.error ? <p class="error" role="alert">{state.error}</p> : state.data ? children(state.data) : <p class="muted">Loading…</p>}
    </section>
  );
}
