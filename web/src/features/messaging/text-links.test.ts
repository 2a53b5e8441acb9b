import { describe, expect, it } from 'vitest';
import { textWithLinks } from './text-links.ts';

describe('links in a development message', () => {
  it('finds each web address, leaving out the full stop after it', () => {
    expect(textWithLinks('Answer here: https://linkwork.example/m/abc-123.\nThanks')).toEqual([
      { text: 'Answer here: ', link: false },
      { text: 'https://linkwork.example/m/abc-123', link: true },
      { text: '.\nThanks', link: false },
    ]);
  });

  it('leaves text without an address as it is', () => {
    expect(textWithLinks('Where: Library café')).toEqual([{ text: 'Where: Library café', link: false }]);
    expect(textWithLinks('')).toEqual([]);
  });
});
