import { describe, expect, it } from 'vitest';
import { createOffsetConverter, cutText, initials, tint, transcriptRows, treeOrder } from './coding-text.ts';

// 😀 is one code point (the API's unit) and two UTF-16 code units (JavaScript's): every offset after it differs.
const EMOJI = '😀';

describe('cutting a text at highlight boundaries', () => {
  it('cuts at code point boundaries, ignoring duplicates and those outside', () => {
    // a b 😀 c d: code points 0–4, length 5 (6 in UTF-16).
    const text = `ab${EMOJI}cd`;
    const segments = cutText(text, createOffsetConverter(text), 0, 5, [2, 3, 9, 2, -1]);
    expect(segments).toEqual([
      { start: 0, end: 2, text: 'ab' },
      { start: 2, end: 3, text: EMOJI },
      { start: 3, end: 5, text: 'cd' },
    ]);
  });

  it('cuts only the stretch asked for', () => {
    const text = `ab${EMOJI}cd`;
    expect(cutText(text, createOffsetConverter(text), 1, 4, [0, 5])).toEqual([
      { start: 1, end: 4, text: `b${EMOJI}c` },
    ]);
  });
});

describe('a transcript in rows', () => {
  it('starts each turn’s words after its speaker label', () => {
    // "Interviewer: Hello" is 18 code points; two newlines; "P1:  Hi 😀 there" is 15 (16 in UTF-16), 20–35.
    const text = `Interviewer: Hello\n\nP1:  Hi ${EMOJI} there`;
    const turns = [
      { speaker: 'Interviewer', start: 0, end: 18 },
      { speaker: 'P1', start: 20, end: 35 },
      { speaker: 'Someone else', start: 28, end: 35 },
    ];
    const rows = transcriptRows(turns, text, createOffsetConverter(text));
    expect(rows.map((r) => [r.start, r.contentStart, r.end])).toEqual([
      [0, 13, 18],
      [20, 25, 35],
      // A turn that does not begin with its speaker's label: its words start where it does.
      [28, 28, 35],
    ]);
  });

  it('takes a text without speaker turns paragraph by paragraph', () => {
    // "First para\nline two" is 0–19; three newlines; "Second 😀 para" is 13 code points, 22–35.
    const text = `First para\nline two\n\n\nSecond ${EMOJI} para`;
    const rows = transcriptRows([], text, createOffsetConverter(text));
    expect(rows.map((r) => [r.speaker, r.start, r.contentStart, r.end])).toEqual([
      [null, 0, 0, 19],
      [null, 22, 22, 35],
    ]);
  });
});

describe('the codebook as a tree', () => {
  it('lists each code after its parent, siblings by name, with its depth and path', () => {
    const codes = [
      { id: 't', parentId: null, name: 'Trust' },
      { id: 'w', parentId: 'c', name: 'Warm handover' },
      { id: 'c', parentId: null, name: 'Connections' },
      { id: 'a', parentId: 'c', name: 'Community' },
      // Its parent is not in the list: it goes to the top.
      { id: 'o', parentId: 'gone', name: 'Orphan' },
    ];
    expect(treeOrder(codes).map((c) => [c.name, c.depth, c.path, c.parentPath])).toEqual([
      ['Connections', 0, 'Connections', null],
      ['Community', 1, 'Connections › Community', 'Connections'],
      ['Warm handover', 1, 'Connections › Warm handover', 'Connections'],
      ['Orphan', 0, 'Orphan', null],
      ['Trust', 0, 'Trust', null],
    ]);
  });
});

describe('colours and initials', () => {
  it('mixes a code’s colour with white', () => {
    // #1D70B8 at 30%: 255 − (255 − 29)·0.3 = 187.2, 255 − (255 − 112)·0.3 = 212.1, 255 − (255 − 184)·0.3 = 233.7.
    expect(tint('#1D70B8')).toBe('rgb(187, 212, 234)');
    expect(tint('#000000')).toBe('rgb(179, 179, 179)');
    expect(tint('#FFFFFF')).toBe('rgb(255, 255, 255)');
  });

  it('gives a coder’s initials without their title', () => {
    expect(initials('Dr Nia Roberts')).toBe('NR');
    expect(initials('Sam Turner')).toBe('ST');
    expect(initials('mary-jane o’neil')).toBe('MO');
  });
});
