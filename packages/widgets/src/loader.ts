// How the tracker loads the widgets: only when a widget element is on the page, once, from the edge.
// Kept tiny because it lives in the 3 KB script tag; the widgets bundle itself is idempotent.

/** The custom elements of @attune/widgets. */
export const WIDGET_TAGS = 'attune-recs,attune-slot,attune-quiz,attune-survey,attune-consent';

/**
 * Appends `<script src="{api}/attune-widgets.js">` if the document has a widget element and it is not
 * loaded yet. A classic script (the bundle is an IIFE), so its document.currentScript tells the widgets
 * where the edge is. Call it when the DOM is parsed (DOMContentLoaded or later). Returns whether it loaded.
 */
export function loadWidgets(api: string, doc: Document = document): boolean {
  const src = `${api}/attune-widgets.js`;
  if (!doc.querySelector(WIDGET_TAGS) || doc.querySelector(`script[src="${src}"]`)) return false;
  doc.head.append(Object.assign(doc.createElement('script'), { src }));
  return true;
}
