// Pure helpers of the widgets: when a list counts as seen, what a quiz answer is.
import { describe, expect, it } from 'vitest';
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
