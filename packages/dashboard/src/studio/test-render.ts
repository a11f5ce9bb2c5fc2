// Test helper: a hook-free component tree as markup with the attributes a reader and a screen reader use
// (id, for, type, name, value, aria-*), function components called with their props. No DOM needed.
import type { VNode } from 'preact';

const ATTRS = ['id', 'for', 'type', 'name', 'value', 'checked', 'disabled', 'list', 'role', 'href', 'open', 'min', 'max', 'step'];

export function markup(node: unknown): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (Array.isArray(node)) return node.map(markup).join('');
  const v = node as VNode<Record<string, unknown> & { children?: unknown }>;
  if (typeof v.type === 'function') return markup((v.type as (p: unknown) => unknown)(v.props));
  const attrs = Object.entries(v.props)
    .filter(([k, x]) => (ATTRS.includes(k) || k.startsWith('aria-')) && x !== undefined && x !== false)
    .map(([k, x]) => ` ${k}="${String(x)}"`)
    .join('');
  return `<${String(v.type)}${attrs}>${markup(v.props.children)}</${String(v.type)}>`;
}

/** Every control drawn (input, select, textarea, button): its tag, id, type and accessible label. */
export function controls(html: string): { tag: string; id?: string; type?: string; label?: string; attrs: string }[] {
  const labels = new Map([...html.matchAll(/<label for="([^"]+)">(.*?)<\/label>/g)].map((m) => [m[1]!, m[2]!.replace(/<[^>]+>/g, '').trim()]));
  return [...html.matchAll(/<(input|select|textarea|button)([^>]*)>(.*?)<\/\1>/g)].map((m) => {
    const id = /\bid="([^"]+)"/.exec(m[2]!)?.[1];
    const type = /\btype="([^"]+)"/.exec(m[2]!)?.[1];
    const aria = /\baria-label="([^"]+)"/.exec(m[2]!)?.[1];
    const text = m[1] === 'button' ? m[3]!.replace(/<[^>]+>/g, '').trim() : undefined;
    return { tag: m[1]!, id, type, label: aria ?? (id && labels.get(id)) ?? text, attrs: m[2]! };
  });
}
