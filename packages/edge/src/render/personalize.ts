// Fills <attune-slot> and <attune-recs> in HTML as it streams through the Worker (HTMLRewriter: nothing
// is buffered), so the first paint is already right and nothing is hidden while waiting. The widgets
// then take over the same nodes without re-rendering them (see contract/markup.ts).
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { jsonForScript, recsMarkup, slotMarkup, styleTag } from '../contract/markup.js';
import type { DecideResponse } from '../contract/decide.js';
import type { CompiledConfig } from '../config/compile.js';
import type { Preview } from '../decide/decide.js';
import { PREVIEW_COOKIE, PREVIEW_PARAM } from '../decide/preview.js';
import { activePreview, previewCookie, previewTokenOf, type ActivePreview } from '../decide/preview-request.js';
import { consentCookieOf } from '../http/capability.js';
import { cachePolicy } from './cache-policy.js';

// Where they are defined is decide/preview.ts; proxy mode's header filter (upstream-headers.ts) reads them here.
export { PREVIEW_COOKIE, PREVIEW_PARAM };

/** The preview a link or the preview cookie carries; an invalid, expired or revoked one is ignored (the live page renders). */
async function previewOf(c: Context<AppEnv>, url: URL): Promise<ActivePreview | undefined> {
  const token = previewTokenOf(c, url);
  if (!token) return undefined;
  const p = await activePreview(c, token);
  return 'error' in p ? undefined : p;
}

/** The page being rendered, as far as a decision needs it: the config (a draft's, under a preview link), the site. */
export type PageRequest = { config: CompiledConfig; site: CompiledConfig['sites'][number]; url: URL; preview: Preview | undefined };

/**
 * What a page's slots and recommendation rows are filled from. The Worker's look up the visitor and the
 * catalog (render/page-sources.ts); decide is called at most once per page, and only if it has a slot.
 */
export interface PageSources {
  decide(page: PageRequest): Promise<DecideResponse>;
  recommend(q: { strategy?: string | undefined; limit?: string | undefined; item?: string | undefined; category?: string | undefined }): Promise<{ items: readonly unknown[]; strategy: string }>;
}

export async function personalize(c: Context<AppEnv>, upstream: Response, sources: PageSources): Promise<Response> {
  const url = new URL(c.req.url);
  const active = await previewOf(c, url);
  const preview = active?.preview;
  // A draft preview renders everything on the page (slots, recommendations' strategies, quizzes) as the draft will.
  if (active) c.set('config', active.config);
  const config = c.var.config;
  // The page belongs to the site whose origins include it, or to the only site there is.
  const site = config.sites.find((s) => s.allowedOrigins.includes(url.origin)) ?? config.sites[0]!;
  // Page requests carry only the cookie: it alone decides whether the page is personal (and cacheable); only
  // the edge's signed cookie counts (http/capability.ts).
  const cookie = await consentCookieOf(c.env, c.req.header('cookie'), site.id);
  const personalizedByCookie = !!cookie?.consent.personalization;
  const personalized = personalizedByCookie || !!preview;

  // Decided on first use: a page without slots costs no profile read.
  let decisions: Promise<DecideResponse> | undefined;
  const decided = () => (decisions ??= sources.decide({ config, site, url, preview }));

  const rewritten = new HTMLRewriter()
    // The widgets' base styles before any slot, so filled elements never move when the bundle arrives.
    .on('head', { element: (el) => void el.append(styleTag(), { html: true }) })
    .on('attune-slot[name]', {
      async element(el) {
        const name = el.getAttribute('name')!;
        const d = (await decided()).slots[name];
        if (!d) return; // unknown slot: the page's own fallback content stays
        el.setInnerContent(slotMarkup(d, { name, preview: !!preview }), { html: true });
        el.setAttribute('data-attune-filled', '');
      },
    })
    .on('attune-recs', {
      async element(el) {
        const attr = (n: string) => el.getAttribute(n) ?? undefined;
        try {
          const r = await sources.recommend({ strategy: attr('strategy'), limit: attr('limit'), item: attr('item'), category: attr('category') });
          el.setInnerContent(recsMarkup(r.items, r.strategy, { heading: attr('heading'), preview: !!preview }), { html: true });
          el.setAttribute('data-attune-filled', '');
        } catch (e) {
          // A misconfigured element keeps its fallback content; the widget shows the API's error to developers.
          console.error('attune: <attune-recs> not filled:', (e as Error).message);
        }
      },
    })
    .on('attune-quiz[id], attune-survey[id]', {
      element(el) {
        const quiz = config.config.quizzes.find((q) => q.id === el.getAttribute('id'));
        if (!quiz) return;
        const questions = quiz.questions.map((q) => ({ id: q.id, text: q.text, type: q.type, answers: q.answers.map((a) => ({ id: a.id, label: a.label })) }));
        el.prepend(`<script type="application/json" data-attune>${jsonForScript({ id: quiz.id, title: quiz.title, questions })}</script>`, { html: true });
      },
    })
    .transform(upstream);

  const headers = new Headers(rewritten.headers);
  const policy = cachePolicy(config, personalized);
  headers.set('Cache-Control', policy.cacheControl);
  for (const v of policy.vary) headers.append('Vary', v);
  headers.delete('ETag'); // the body is not the upstream's any more
  if (active && url.searchParams.has(PREVIEW_PARAM)) headers.append('Set-Cookie', previewCookie(active, url.protocol === 'https:'));
  return new Response(rewritten.body, { status: rewritten.status, statusText: rewritten.statusText, headers });
}
