import { describe, expect, it } from 'vitest';
import { parseCampaign } from './context.js';

describe('parseCampaign', () => {
  it('maps utm_* to Segment campaign names', () => {
    expect(parseCampaign('?utm_source=news&utm_medium=email&utm_campaign=winter&utm_term=dry+skin&utm_content=a')).toEqual({
      source: 'news',
      medium: 'email',
      name: 'winter',
      term: 'dry skin',
      content: 'a',
    });
  });
  it('is undefined without utm parameters', () => {
    expect(parseCampaign('?q=cream')).toBeUndefined();
    expect(parseCampaign('')).toBeUndefined();
  });
});
