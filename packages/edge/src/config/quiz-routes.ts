// GET /v1/quizzes/:id, public: the questions the quiz and survey widgets ask, from the config being served. The
// visitor Worker answers it (visitor-app.ts).
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { fail } from '../http/errors.js';
import { rateLimit } from '../http/rate-limit.js';
import { didYouMean, oneOf } from './problems.js';

export function quizRoutes() {
  const app = new Hono<AppEnv>();
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
