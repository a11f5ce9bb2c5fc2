// GET and PUT /v1/config (admin: the config being served, and a new one without a deploy), and
// GET /v1/quizzes/:id (public: the questions the quiz and survey widgets ask).
import { Hono } from 'hono';
import { requireAdmin } from '../admin/auth.js';
import type { AppEnv } from '../app-env.js';
import { readJsonObject } from '../http/body.js';
import { fail } from '../http/errors.js';
import { rateLimit } from '../http/rate-limit.js';
import { didYouMean, oneOf } from './problems.js';
import type { ConfigStore } from './store.js';
import { validationOptions } from './validate.js';

const CONFIG_BYTES = 1024 * 1024;

export function configRoutes(store: ConfigStore) {
  const app = new Hono<AppEnv>();

  app.get('/config', requireAdmin(), (c) => c.json({ version: c.var.config.version, config: c.var.config.config }));

  app.put('/config', requireAdmin(), async (c) => {
    const r = await store.save(c.env.PROFILES, await readJsonObject(c, CONFIG_BYTES, 'for a config'), validationOptions(c.env));
    if (!r.ok) return c.json({ success: false, error: 'the config has errors; the current one keeps serving', errors: r.errors, warnings: r.warnings }, 400);
    const config = await store.current(c.env.PROFILES, Date.now(), validationOptions(c.env));
    return c.json({ success: true, version: config.version, warnings: r.warnings });
  });

  app.get('/quizzes/:id', async (c) => {
    await rateLimit(c, 'reads'); // quizzes belong to no one site: counted per client
    const id = c.req.param('id');
    const quizzes = c.var.config.config.quizzes;
    const quiz = quizzes.find((q) => q.id === id);
    if (!quiz) {
      const hint = didYouMean(id, quizzes.map((q) => q.id));
      fail(404, `unknown quiz "${id.slice(0, 80)}"${hint ? ` — did you mean "${hint}"?` : ''}: ${oneOf(quizzes.map((q) => q.id))}`);
    }
    // What a widget shows: questions and answer labels, not the tags and attributes behind them.
    c.header('Cache-Control', 'public, max-age=60');
    return c.json({
      id: quiz.id,
      title: quiz.title,
      questions: quiz.questions.map((q) => ({ id: q.id, text: q.text, type: q.type, answers: q.answers.map((a) => ({ id: a.id, label: a.label })) })),
    });
  });

  return app;
}
