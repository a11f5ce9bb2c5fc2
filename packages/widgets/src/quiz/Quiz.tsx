/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// (pragmas: the build passes esbuild its own tsconfig, without the repo's jsx settings)
// A multi-step quiz with progress (also the survey: NPS plus feedback). One question per step, each a
// native fieldset of radios / checkboxes / a 0–10 scale / a text box, so the keyboard and screen readers
// work the way they do everywhere (arrows within a radio group, Tab between controls, Enter submits).
// Answers go through the tracker's answer(); the host page gets `attune-answer` and `attune-complete`.
import type { Quiz as QuizConfig } from '@attune/edge/contract';
import { Component } from 'preact';
import { attune, emit, safe, uid } from '../runtime.js';

export type AnswerValue = string | number | string[];
export type QuizData = Pick<QuizConfig, 'id' | 'title'> & {
  questions: { id: string; text: string; type?: 'single' | 'multiple' | 'nps' | 'text'; answers?: { id: string; label: string }[] }[];
};

export interface QuizProps {
  quiz: QuizData;
  /** The element events are dispatched on. */
  host: Element;
  /** Survey look: no step counter for a single question, "Send" instead of "Finish". */
  survey?: boolean;
  /** Text shown when done. */
  thanks?: string;
  level?: number;
}

/** Whether a value counts as an answer; text questions may be left empty (feedback is optional). */
export const answered = (type: string | undefined, v: AnswerValue | undefined) =>
  type === 'text' || (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '');

/** The value sent for a question: trimmed text, or nothing for an empty optional text. */
export const finalValue = (v: AnswerValue | undefined): AnswerValue | undefined =>
  typeof v === 'string' ? v.trim() || undefined : v;

/** The visitor's answer to question `id`: own keys only, so a question called `constructor` starts unanswered. */
const answerOf = (values: Record<string, AnswerValue>, id: string): AnswerValue | undefined =>
  Object.prototype.hasOwnProperty.call(values, id) ? values[id] : undefined;

interface QuizState {
  step: number;
  values: Record<string, AnswerValue>;
  error: boolean;
}

// A class, not hooks: preact/hooks would cost ~750 bytes brotli of a 10 KiB budget.
export class Quiz extends Component<QuizProps, QuizState> {
  private declare ids: { title: string; q: string; err: string };
  private declare form?: HTMLFormElement | null;
  private declare moved?: boolean;

  constructor(p: QuizProps) {
    super(p);
    this.state = { step: 0, values: {}, error: false };
    this.ids = { title: uid('t'), q: uid('q'), err: uid('e') };
  }

  // Focus follows the step, but only after the visitor acted: a quiz must not steal focus on page load.
  override componentDidUpdate(_: QuizProps, prev: QuizState) {
    if (!this.moved || prev.step === this.state.step) return;
    const f = this.form;
    const done = this.state.step >= this.questions().length;
    f?.querySelector<HTMLElement>(done ? '[data-done]' : 'fieldset input:checked,fieldset input,fieldset textarea')?.focus();
  }

  private questions() {
    return (this.props.quiz.questions || []).filter((q) => q && typeof q.id === 'string');
  }

  private go(step: number) {
    this.moved = true;
    this.setState({ step, error: false });
  }

  private submit(e: Event) {
    e.preventDefault();
    safe(() => {
      const { quiz, host } = this.props;
      const { step, values } = this.state;
      const qs = this.questions();
      const q = qs[step];
      if (!q) return;
      const v = answerOf(values, q.id);
      if (!answered(q.type, v)) return this.setState({ error: true });
      const value = finalValue(v);
      if (value !== undefined) {
        attune('answer', q.id, value, { quiz: quiz.id });
        emit(host, 'attune-answer', { quiz: quiz.id, question: q.id, value });
      }
      if (step + 1 >= qs.length) emit(host, 'attune-complete', { quiz: quiz.id, answers: { ...values } });
      this.go(step + 1);
    })();
  }

  render({ quiz, survey, thanks, level = 2 }: QuizProps, { step, values, error }: QuizState) {
    const qs = this.questions();
    if (!qs.length) return null;
    const ids = this.ids;
    const q = qs[step];
    const H = `h${level}` as 'h2';
    const name = `${ids.q}-${step}`;
    const set = (v: AnswerValue) => q && this.setState({ values: { ...values, [q.id]: v }, error: false });
    return (
      <form ref={(f) => void (this.form = f)} class={`attune-card attune-${survey ? 'survey' : 'quiz'}`} aria-labelledby={ids.title} onSubmit={(e) => this.submit(e)} noValidate>
        <H id={ids.title} class="attune-quiz__title">
          {quiz.title}
        </H>
        {!q ? (
          <p data-done tabIndex={-1} role="status">
            {thanks || (survey ? 'Thank you for your feedback.' : 'Thank you! Your answers will shape what we show you.')}
          </p>
        ) : (
          <>
            {(qs.length > 1 || !survey) && (
              <div class="attune-quiz__progress">
                <progress class="attune-progress" max={qs.length} value={step + 1} aria-labelledby={`${ids.title}-p`} />
                <span id={`${ids.title}-p`}>{`Question ${step + 1} of ${qs.length}`}</span>
              </div>
            )}
            <fieldset key={q.id} aria-describedby={error ? ids.err : undefined}>
              <legend id={`${name}-l`}>{q.text}</legend>
              <Question q={q} name={name} value={answerOf(values, q.id)} set={set} />
            </fieldset>
            {error && (
              <p id={ids.err} role="alert" class="attune-quiz__error">
                {q.type === 'multiple' ? 'Please choose at least one answer.' : 'Please choose an answer.'}
              </p>
            )}
            <div class="attune-actions">
              {step > 0 && (
                <button type="button" class="attune-btn attune-btn--ghost" onClick={() => this.go(step - 1)}>
                  Back
                </button>
              )}
              <button type="submit" class="attune-btn">
                {step + 1 < qs.length ? 'Next' : survey ? 'Send' : 'Finish'}
              </button>
            </div>
          </>
        )}
      </form>
    );
  }
}

interface QuestionProps {
  q: QuizData['questions'][number];
  name: string;
  value: AnswerValue | undefined;
  set: (v: AnswerValue) => void;
}

function Question({ q, name, value, set }: QuestionProps) {
  if (q.type === 'text')
    return <textarea name={name} rows={3} aria-labelledby={`${name}-l`} value={(value as string) ?? ''} onInput={(e) => set((e.target as HTMLTextAreaElement).value)} />;
  if (q.type === 'nps')
    return (
      <>
        <div class="attune-scale">
          {Array.from({ length: 11 }, (_, n) => (
            <label key={n}>
              <input type="radio" name={name} value={n} checked={value === n} onChange={() => set(n)} />
              {n}
            </label>
          ))}
        </div>
        <p class="attune-scale__ends" aria-hidden="true">
          <span>0 = Not at all likely</span> · <span>10 = Extremely likely</span>
        </p>
      </>
    );
  const multi = q.type === 'multiple';
  const list = Array.isArray(value) ? value : [];
  return (
    <>
      {(q.answers ?? []).map((a) => (
        <label key={a.id}>
          <input
            type={multi ? 'checkbox' : 'radio'}
            name={name}
            value={a.id}
            checked={multi ? list.includes(a.id) : value === a.id}
            onChange={(e) => set(multi ? ((e.target as HTMLInputElement).checked ? [...list, a.id] : list.filter((x) => x !== a.id)) : a.id)}
          />{' '}
          {a.label}
        </label>
      ))}
    </>
  );
}
