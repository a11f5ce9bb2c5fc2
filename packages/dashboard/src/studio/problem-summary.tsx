// Every problem of the draft in one list, each a link to its field: the summary a marketer reads before publishing.
import { fieldId, formatPath, type Path, parsePath, type Problem } from './paths.js';

/** Focuses the deepest field drawn on a path, opening the collapsed items around it. */
export function focusField(path: Path) {
  for (let k = path.length; k >= 0; k--) {
    const el = document.getElementById(fieldId(path.slice(0, k)));
    if (!el) continue;
    for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
    el.scrollIntoView({ block: 'center' });
    el.focus();
    return;
  }
}

export function ProblemSummary({ errors, warnings, go }: { errors: Problem[]; warnings: Problem[]; go: (path: Path) => void }) {
  if (!errors.length && !warnings.length) return null;
  const item = (p: Problem, i: number) => {
    const path = parsePath(p.path);
    return (
      <li key={i}>
        <a
          href={`#${fieldId(path)}`}
          onClick={(e) => {
            e.preventDefault();
            go(path);
          }}
        >
          {formatPath(path)}
        </a>
        : {p.message}
      </li>
    );
  };
  return (
    <section class="problems" aria-labelledby="problems-title">
      <h3 id="problems-title">
        {errors.length ? `${errors.length} ${errors.length === 1 ? 'error stands' : 'errors stand'}` : 'No errors'}
        {warnings.length ? `, ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}` : ''}
      </h3>
      {errors.length > 0 && <ul class="error">{errors.map(item)}</ul>}
      {warnings.length > 0 && <ul class="warning">{warnings.map(item)}</ul>}
    </section>
  );
}
