// The headers a publish reads: If-Match (the version the publisher started from) and Attune-Comment. Pure.

export type IfMatch = { ok: true; version?: number } | { ok: false; error: string };

/**
 * `"3"` (as GET /v1/config's ETag says), `W/"3"` or a bare `3` → 3; absent or `*` → no condition. Anything else
 * is a client's mistake, answered 412 rather than published unconditionally.
 */
export function parseIfMatch(header: string | undefined): IfMatch {
  const h = header?.trim();
  if (!h || h === '*') return { ok: true };
  const m = /^(?:W\/)?"?([1-9]\d{0,9})"?$/.exec(h);
  if (!m || (h.endsWith('"') !== /^(?:W\/)?"/.test(h))) return { ok: false, error: `If-Match ${JSON.stringify(h.slice(0, 40))} is not a config version: send the ETag GET /v1/config gave, e.g. If-Match: "3"` };
  return { ok: true, version: Number(m[1]) };
}

const MAX_COMMENT = 500;

/** Attune-Comment, percent-encoded (headers are Latin-1): the decoded text, or an error naming what was wrong. */
export function parseComment(header: string | undefined): { ok: true; comment: string } | { ok: false; error: string } {
  if (!header) return { ok: true, comment: '' };
  let text: string;
  try {
    text = decodeURIComponent(header);
  } catch {
    return { ok: false, error: 'Attune-Comment is not percent-encoded text: encode it with encodeURIComponent' };
  }
  if (text.length > MAX_COMMENT) return { ok: false, error: `Attune-Comment is ${text.length} characters: at most ${MAX_COMMENT}` };
  return { ok: true, comment: text.trim() };
}
