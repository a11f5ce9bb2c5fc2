// Single-page apps change the URL without loading a page: pushState, replaceState and popstate.

/** Calls `onNavigate(previousUrl)` whenever the URL (without its hash) changes. */
export function watchNavigation(onNavigate: (previousUrl: string) => void) {
  const here = () => location.href.split('#')[0]!;
  let last = here();
  const check = () => {
    const url = here();
    if (url === last) return;
    const previous = last;
    last = url;
    // Routers set document.title after pushState; wait a tick so the page view carries the new one.
    setTimeout(() => onNavigate(previous));
  };
  for (const m of ['pushState', 'replaceState'] as const) {
    const original = history[m];
    history[m] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = original.apply(this, args);
      check();
      return r;
    };
  }
  addEventListener('popstate', check);
}
