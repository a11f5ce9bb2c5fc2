// <attune-quiz id="skin"> and <attune-survey id="nps">. The questions come, in this order, from the
// `quiz` property (frameworks), a `<script type="application/json">` child the edge rendered (no request,
// no wait), or GET /v1/quizzes/:id. Until one arrives, the author's fallback content stays visible.
import { h } from 'preact';
import { PreactElement } from '../element.js';
import { apiBase, fetchJson, readData, writeKey } from '../runtime.js';
import { Quiz, type QuizData } from './Quiz.js';

/** Accepts the quiz itself or `{ quiz }`; null for anything without questions. */
export function asQuiz(x: unknown): QuizData | null {
  const q = (x && typeof x === 'object' && 'quiz' in x ? (x as { quiz: unknown }).quiz : x) as QuizData | null;
  return q && typeof q === 'object' && Array.isArray(q.questions) && q.questions.length ? { ...q, title: q.title ?? '' } : null;
}

export class AttuneQuiz extends PreactElement {
  static get observedAttributes() {
    return ['thanks', 'level'];
  }
  private declare q?: QuizData | null;
  private declare asked?: string;
  protected get survey() {
    return false;
  }

  get quiz() {
    return this.q;
  }
  /** Set the questions directly (frameworks, tests). */
  set quiz(v: unknown) {
    this.q = asQuiz(v);
    this.update();
  }

  override connectedCallback() {
    this.q ??= asQuiz(readData(this, 'script[type="application/json"]'));
    super.connectedCallback();
    const id = this.quizId;
    if (!this.q && id && this.asked !== id) {
      this.asked = id;
      const key = writeKey();
      void fetchJson(`${apiBase(this)}/v1/quizzes/${encodeURIComponent(id)}${key ? `?writeKey=${encodeURIComponent(key)}` : ''}`).then((r) => {
        if (!this.q) this.quiz = r;
      });
    }
  }

  /** The quiz's id in the config: the `quiz` attribute, else the element's id (as in `<attune-quiz id="skin">`). */
  get quizId() {
    return this.getAttribute('quiz') || this.id;
  }

  protected view() {
    if (!this.q) return null;
    return h(Quiz, {
      key: this.q.id,
      quiz: { ...this.q, id: this.q.id || this.quizId },
      host: this,
      survey: this.survey,
      thanks: this.getAttribute('thanks') ?? undefined,
      level: Number(this.getAttribute('level')) || 2,
    });
  }
}

export class AttuneSurvey extends AttuneQuiz {
  protected override get survey() {
    return true;
  }
}
