// The dashboard: sign in with the admin token, pick a period, read every report for it.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, signedIn, signIn, signOut } from './api.js';
import { BeforeAfter } from './panels/before-after.js';
import { Discovery } from './panels/discovery.js';
import { Experiments } from './panels/experiments.js';
import { Funnel } from './panels/funnel.js';
import { Kpis } from './panels/kpis.js';
import { Segments } from './panels/segments.js';
import { Panel } from './panels/status.js';
import { Quality, Recommendations } from './panels/tables.js';
import { Studio } from './studio/studio.js';
import { TriggerLog } from './panels/triggers.js';
import type { OverviewReport as Overview } from '@attune/edge/contract';
import { useReport } from './use-report.js';

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function SignIn({ onIn }: { onIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="signin panel"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget; // currentTarget is gone once the handler awaits
        const data = new FormData(form);
        const value = data.get('token');
        const name = String(data.get('account') ?? '').trim();
        if (typeof value !== 'string' || !value.trim()) return setError(name ? 'Enter the password.' : 'Enter the admin token (ATTUNE_ADMIN_TOKEN).');
        setBusy(true);
        try {
          await signIn(value.trim(), name || undefined);
          form.reset(); // the token leaves the page once the session holds
          onIn();
        } catch (err) {
          setError(err instanceof ApiError ? err.message : 'The API could not be reached.');
        } finally {
          setBusy(false);
        }
      }}
    >
      <h1>Attune dashboard</h1>
      <label>
        Account <input name="account" autocomplete="username" autoFocus />
      </label>
      <small class="muted">Leave empty to sign in as the owner with the admin token.</small>
      <label>
        Password or admin token <input name="token" type="password" autocomplete="current-password" required />
      </label>
      <button disabled={busy}>Sign in</button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="muted">The password or token is sent once, to this site's API, and kept nowhere: the session lasts 12 hours in a cookie no script can read.</p>
    </form>
  );
}

function PeriodPicker({ value, onChange }: { value: { from: string; to: string }; onChange: (v: { from: string; to: string }) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value.from, value.to]);
  return (
    <form
      class="period inline"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(draft);
      }}
    >
      {[7, 28, 90].map((n) => (
        <button type="button" key={n} class={value.from === daysAgo(n - 1) && value.to === today() ? 'on' : ''} onClick={() => onChange({ from: daysAgo(n - 1), to: today() })}>
          {n} days
        </button>
      ))}
      <label>
        From <input type="date" name="from" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
      </label>
      <label>
        to <input type="date" name="to" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
      </label>
      <button>Apply</button>
    </form>
  );
}

/** The two views share the header: the reports (#) and the studio (#studio), one link away from each other. */
function useView() {
  const read = () => (location.hash.startsWith('#studio') ? 'studio' : 'reports');
  const [view, setView] = useState(read);
  useEffect(() => {
    const on = () => setView(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return view;
}

function SignOut({ onOut }: { onOut: () => void }) {
  return (
    <button
      type="button"
      class="link"
      onClick={() => {
        // Out in this page whatever the API answers: a session it cannot end is one it no longer honours.
        signOut().finally(onOut);
      }}
    >
      Sign out
    </button>
  );
}

function StudioView({ onOut }: { onOut: () => void }) {
  return (
    <>
      <header class="top">
        <h1>Attune studio</h1>
        <a href="#">Reports</a>
        <SignOut onOut={onOut} />
      </header>
      <main>
        <Studio onOut={onOut} />
      </main>
    </>
  );
}

function Reports({ onOut }: { onOut: () => void }) {
  const [range, setRange] = useState({ from: daysAgo(27), to: today() });
  const overview = useReport<Overview>('overview', range);
  // A session that ended while the page is open (expired, signed out elsewhere, token rotated) sends the
  // marketer back to the sign-in.
  useEffect(() => {
    if (overview.status === 401) onOut();
  }, [overview.status]);
  return (
    <>
      <header class="top">
        <h1>Attune dashboard</h1>
        <PeriodPicker value={range} onChange={setRange} />
        <a href="#studio">Studio</a>
        <SignOut onOut={onOut} />
      </header>
      <main>
        <Panel title="Key figures" id="overview" state={overview}>
          {(data) => <Kpis data={data} />}
        </Panel>
        <Experiments period={range} />
        <Funnel period={range} />
        <Segments period={range} />
        <Discovery />
        <Recommendations period={range} />
        <Quality period={range} />
        <BeforeAfter defaultDate={daysAgo(13)} />
        <TriggerLog />
      </main>
    </>
  );
}

export function App() {
  // null while asking the API whether this browser already holds a session.
  const [inside, setInside] = useState<boolean | null>(null);
  const view = useView();
  useEffect(() => {
    signedIn().then(setInside, () => setInside(false));
  }, []);
  if (inside === null) return <p class="muted">Loading…</p>;
  if (!inside) return <SignIn onIn={() => setInside(true)} />;
  return view === 'studio' ? <StudioView onOut={() => setInside(false)} /> : <Reports onOut={() => setInside(false)} />;
}
