// Pure helpers of the widgets: when a list counts as seen, what a quiz answer is, and the loader.
import { describe, expect, it } from 'vitest';
import { WIDGET_TAGS, loadWidgets } from '../src/loader.js';
import { answered, finalValue } from '../src/quiz/Quiz.js';
import { mostlyInView } from '../src/runtime.js';

describe('mostlyInView', () => {
  it('half of the element visible counts; less does not', () => {
    expect(mostlyInView(0.5, 100, 800)).toBe(true);
    expect(mostlyInView(0.49, 100, 800)).toBe(false);
  });
  it('an element taller than the viewport counts once it fills half of it', () => {
    expect(mostlyInView(0.3, 400, 800)).toBe(true);
    expect(mostlyInView(0.3, 399, 800)).toBe(false);
  });
});

describe('quiz answers', () => {
  it('a choice is needed for single, multiple and NPS; feedback text is optional', () => {
    expect(answered('single', undefined)).toBe(false);
    expect(answered('single', 'dry')).toBe(true);
    expect(answered('multiple', [])).toBe(false);
    expect(answered('multiple', ['a'])).toBe(true);
    expect(answered('nps', 0)).toBe(true);
    expect(answered('text', undefined)).toBe(true);
  });
  it('text is trimmed and an empty one is not sent', () => {
    expect(finalValue('  great  ')).toBe('great');
    expect(finalValue('   ')).toBeUndefined();
    expect(finalValue(0)).toBe(0);
  });
});

describe('loadWidgets', () => {
  /** A document stand-in: which selectors match, and what was appended. */
  const fakeDoc = (has: string[]) => {
    const appended: any[] = [];
    const doc = {
      querySelector: (s: string) => (has.includes(s) ? {} : null),
      createElement: () => ({}),
      head: { append: (el: any) => (appended.push(el), has.push(`script[src="${el.src}"]`)) },
    };
    return { doc: doc as unknown as Document, appended };
  };

  it('loads the bundle from the edge once, and only when a widget is on the page', () => {
    const none = fakeDoc([]);
    expect(loadWidgets('https://edge.example', none.doc)).toBe(false);
    expect(none.appended).toEqual([]);
    const page = fakeDoc([WIDGET_TAGS]);
    expect(loadWidgets('https://edge.example', page.doc)).toBe(true);
    expect(loadWidgets('https://edge.example', page.doc)).toBe(false);
    expect(page.appended.map((s) => s.src)).toEqual(['https://edge.example/attune-widgets.js']);
  });
});
