import { describe, expect, it } from 'vitest';
import { publishBlockers } from './publish.js';
import { atLeast, draftNameOf } from './studio-api.js';

const live = { version: 3, hash: 'h', publishedBy: 'ana', publishedAt: '2026-01-01T00:00:00Z', comment: '', config: { slots: [] } };
const base = { session: { name: 'ed', role: 'publisher' as const, expires: '' }, current: live, baseVersion: 3, draft: { slots: [{ id: 'hero' }] }, fresh: true, answer: { ok: true, errors: [], warnings: [] }, validateError: null };

describe('why Publish is disabled', () => {
  it('enabled for a publisher with a checked, valid, changed draft', () => expect(publishBlockers(base, [])).toEqual([]));
  it('names the role needed and the role held', () =>
    expect(publishBlockers({ ...base, session: { ...base.session, role: 'editor' } }, [])).toEqual([expect.stringContaining('needs the publisher role; you are signed in as editor')]));
  it('while any error stands, or the draft is still being checked', () => {
    expect(publishBlockers(base, [{ path: 'slots[0].id', message: 'x' }])).toEqual(['One error stands: fix it first (listed above).']);
    expect(publishBlockers({ ...base, fresh: false }, [])).toEqual(['The draft is being checked…']);
  });
  it('when there is nothing to publish', () => expect(publishBlockers({ ...base, draft: live.config }, [])).toEqual(['Nothing to publish: the draft is the live config.']));
});

describe('roles and draft names', () => {
  it('orders viewer < editor < publisher < owner', () => {
    expect(atLeast('owner', 'publisher')).toBe(true);
    expect(atLeast('editor', 'publisher')).toBe(false);
    expect(atLeast(undefined, 'viewer')).toBe(false);
  });
  it('one draft per account, named as the drafts API allows', () => expect(draftNameOf('Ana Pérez')).toMatch(/^[a-z0-9._-]{1,60}$/));
});
