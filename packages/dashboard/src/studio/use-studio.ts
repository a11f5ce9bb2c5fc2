// The studio's state: the live config, the schema, the signed-in role, and the draft being edited — validated as
// it is typed (debounced POST /v1/config/validate, an older answer never overwriting a newer one) and saved as a
// named draft (PUT /v1/config/drafts/:name) so work survives a reload.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ruleLanguage, type RuleLanguage } from './rule-language.js';
import type { RootSchema } from './schema.js';
import { atLeast, type CurrentConfig, draftNameOf, type DraftSummary, type Session, studioApi, type ValidateAnswer } from './studio-api.js';

/** How long typing must pause before the draft is validated, and before it is saved. */
export const VALIDATE_MS = 400;
export const SAVE_MS = 1500;

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'failed';

export type Studio = {
  session: Session;
  current: CurrentConfig;
  schema: RootSchema;
  lang: RuleLanguage;
  draft: unknown;
  /** The live version the draft started from: what publishing names in If-Match. */
  baseVersion: number;
  /** The draft's name: the account's own, or another's opened from the list (a publisher publishing an editor's work). */
  draftName: string;
  /** The saved drafts (editor+), to open one. */
  drafts: DraftSummary[];
  open: (name: string) => Promise<void>;
  /** The last validation, and whether it is of the draft as it is now. */
  answer: ValidateAnswer | null;
  fresh: boolean;
  validateError: string | null;
  save: SaveState | null;
  edit: (next: unknown) => void;
  /** Starts over from the live config (the saved draft is deleted). */
  discard: () => Promise<void>;
  /** Reads the live config again; `keep`: keep the draft and rebase it on the new version. */
  reload: (keep: boolean) => Promise<void>;
  /** After a publish: the live config is the draft now, the draft is gone. */
  published: () => Promise<void>;
};

type Loaded = { session: Session; current: CurrentConfig; schema: RootSchema; draft: unknown; baseVersion: number; draftName: string; drafts: DraftSummary[] };

async function load(): Promise<Loaded> {
  const [session, current, schema] = await Promise.all([studioApi.session(), studioApi.current(), studioApi.schema()]);
  if (!session) throw new Error('signed out');
  const draftName = draftNameOf(session.name);
  const editor = atLeast(session.role, 'editor');
  const [saved, drafts] = editor ? await Promise.all([studioApi.draft(draftName).catch(() => null), studioApi.drafts().catch(() => [])]) : [null, []];
  const base = { session, current, schema: schema as RootSchema, draftName, drafts };
  return saved ? { ...base, draft: saved.config, baseVersion: saved.baseVersion } : { ...base, draft: current.config, baseVersion: current.version };
}

export function useStudio(): { studio: Studio | null; error: string | null; status?: number } {
  const [state, setState] = useState<Loaded | null>(null);
  const [error, setError] = useState<{ message: string; status?: number } | null>(null);
  const [answer, setAnswer] = useState<{ for: unknown; answer: ValidateAnswer } | null>(null);
  const [validateError, setValidateError] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState | null>(null);
  const dirty = useRef(false);
  // The draft save in flight: publishing or discarding waits for it, so a late save cannot bring the draft back.
  const inflight = useRef<Promise<unknown>>(Promise.resolve());

  useEffect(() => {
    load().then(setState, (e: Error & { status?: number }) => setError({ message: e.message, status: e.status }));
  }, []);

  const canEdit = !!state && atLeast(state.session.role, 'editor');
  // Validate the draft as it stands (also once on load, so a saved draft's problems show at once).
  useEffect(() => {
    if (!state || !canEdit) return;
    const ctl = new AbortController();
    const draft = state.draft;
    const t = setTimeout(() => {
      studioApi.validate(draft, ctl.signal).then(
        (a) => {
          setAnswer({ for: draft, answer: a });
          setValidateError(null);
        },
        (e: Error) => ctl.signal.aborted || setValidateError(`Could not validate: ${e.message}`),
      );
    }, VALIDATE_MS);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [state?.draft, canEdit]);

  // Save it once typing pauses longer.
  useEffect(() => {
    if (!state || !canEdit || !dirty.current) return;
    setSave('unsaved');
    const { draft, baseVersion, draftName } = state;
    const t = setTimeout(() => {
      if (!dirty.current) return; // published or discarded meanwhile
      setSave('saving');
      inflight.current = studioApi.saveDraft(draftName, baseVersion, draft).then(
        () => setSave((s) => (s === 'saving' ? 'saved' : s)),
        () => setSave('failed'),
      );
    }, SAVE_MS);
    return () => clearTimeout(t);
  }, [state?.draft, state?.baseVersion, state?.draftName, canEdit]);

  const lang = useMemo(() => (state ? ruleLanguage(state.schema) : null), [state?.schema]);
  if (!state || !lang) return { studio: null, error: error?.message ?? null, status: error?.status };

  const fromLive = async (current: CurrentConfig) => {
    dirty.current = false;
    setSave(null);
    const drafts = await studioApi.drafts().catch(() => state.drafts);
    setState({ ...state, current, draft: current.config, baseVersion: current.version, draftName: draftNameOf(state.session.name), drafts });
  };
  return {
    error: null,
    studio: {
      ...state,
      lang,
      answer: answer?.answer ?? null,
      fresh: answer?.for === state.draft,
      validateError,
      save,
      edit: (draft) => {
        dirty.current = true;
        setState({ ...state, draft });
      },
      open: async (name) => {
        const d = await studioApi.draft(name);
        if (!d) return;
        dirty.current = false;
        setSave('saved');
        setState({ ...state, draft: d.config, baseVersion: d.baseVersion, draftName: name });
      },
      discard: async () => {
        dirty.current = false;
        await inflight.current;
        await studioApi.deleteDraft(state.draftName).catch(() => undefined);
        await fromLive(await studioApi.current());
      },
      reload: async (keep) => {
        const current = await studioApi.current();
        if (!keep) return fromLive(current);
        dirty.current = true;
        setState({ ...state, current, baseVersion: current.version });
      },
      published: async () => {
        dirty.current = false;
        await inflight.current;
        await studioApi.deleteDraft(state.draftName).catch(() => undefined);
        await fromLive(await studioApi.current());
      },
    },
  };
}
