// The studio's admin API calls (contract/studio.ts; docs in the README's studio section). Answers are typed from
// the contract's schemas (types only: no zod reaches the page). A refusal keeps the API's whole body, since a
// 400 lists problems and a 409 names who published meanwhile.
import type * as z from '@attune/edge/contract/zod';
import type * as S from '@attune/edge/contract/studio';
import { ApiError } from '../api.js';

export type CurrentConfig = z.infer<typeof S.currentConfigSchema>;
export type ConfigVersion = S.ConfigVersion;
export type ConfigDiff = z.infer<typeof S.configDiffSchema>;
export type ValidateAnswer = z.infer<typeof S.validateAnswerSchema>;
export type Draft = z.infer<typeof S.draftSchema>;
export type DraftSummary = z.infer<typeof S.draftSummarySchema>;
export type DraftSaved = z.infer<typeof S.draftSavedSchema>;
export type Published = z.infer<typeof S.publishedSchema>;
export type PublishConflict = z.infer<typeof S.publishConflictSchema>;
export type Session = NonNullable<z.infer<typeof S.sessionStateSchema>['session']>;
export type Role = Session['role'];
export type AuditEntry = S.AuditEntryBody;

/** A refusal with the API's body: `errors` of a 400, `current` of a 409. */
export class StudioError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly body: Record<string, unknown> | null,
  ) {
    super(status, message);
  }
}

type Init = { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal };

export async function send<T>(method: string, path: string, init: Init = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) throw new StudioError(res.status, typeof body?.error === 'string' ? body.error : `the API answered ${res.status}`, body);
  return body as T;
}

const ROLES: Role[] = ['viewer', 'editor', 'publisher', 'owner'];
/** Whether `held` is at least `needed` (viewer < editor < publisher < owner). */
export const atLeast = (held: Role | undefined, needed: Role) => !!held && ROLES.indexOf(held) >= ROLES.indexOf(needed);

/** Draft names: one per account, so two editors never overwrite each other's work. */
export const draftNameOf = (account: string) => `studio-${account.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`.slice(0, 60);

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export const studioApi = {
  session: () => send<{ session: Session | null }>('GET', '/v1/admin/session').then((r) => r.session),
  current: () => send<CurrentConfig>('GET', '/v1/config'),
  schema: () => send<Record<string, unknown>>('GET', '/v1/config/schema'),
  validate: (config: unknown, signal?: AbortSignal) => send<ValidateAnswer>('POST', '/v1/config/validate', { body: config, signal }),
  drafts: () => send<{ drafts: DraftSummary[] }>('GET', '/v1/config/drafts').then((r) => r.drafts),
  draft: (name: string) => send<Draft>('GET', `/v1/config/drafts/${name}`).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
  saveDraft: (name: string, baseVersion: number, config: unknown) => send<DraftSaved>('PUT', `/v1/config/drafts/${name}`, { body: { baseVersion, config } }),
  deleteDraft: (name: string) => send<unknown>('DELETE', `/v1/config/drafts/${name}`),
  /** Publishes `config` over `baseVersion`: a 409 (StudioError, body.current) when someone published since. */
  publish: (config: unknown, baseVersion: number, comment: string) =>
    send<Published>('PUT', '/v1/config', {
      body: config,
      headers: { ...ifMatch(baseVersion), ...(comment && { 'attune-comment': encodeURIComponent(comment) }) },
    }),
  versions: (before?: number) => send<{ versions: ConfigVersion[] }>('GET', `/v1/config/versions${before ? `?before=${before}` : ''}`),
  diff: (from: number, to: number) => send<ConfigDiff>('GET', `/v1/config/versions/${to}/diff?against=${from}`),
  restore: (version: number, comment: string, baseVersion: number) =>
    send<Published>('POST', `/v1/config/versions/${version}/restore`, { body: { comment }, headers: ifMatch(baseVersion) }),
  preview: (body: { config: unknown; path: string; segments: string[]; minutes?: number }) =>
    send<{ draftUrl: string; liveUrl: string; url?: string; expires?: string }>('POST', '/v1/preview', { body }),
  schedule: (at?: string) => send<Schedule>('GET', `/v1/config/schedule${at ? `?at=${encodeURIComponent(at)}` : ''}`),
  audit: (before?: number) => send<{ entries: AuditEntry[] }>('GET', `/v1/admin/audit?limit=50${before ? `&before=${before}` : ''}`),
};

/** GET /v1/config/schedule ([P]; its schema joins contract/studio.ts with the route). */
export type Schedule = {
  timeZone: string;
  at: string;
  items: { kind: 'variant' | 'experiment'; slot?: string; id: string; status: 'live' | 'next' | 'ended' | 'always'; from?: string; until?: string }[];
};
