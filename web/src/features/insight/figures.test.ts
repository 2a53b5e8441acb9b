import { describe, expect, it } from 'vitest';
import { effectWords, figure, inSentence, interval, pValue, signed } from './figures.ts';

describe('the explorer’s figures', () => {
  it('writes a minus sign, a plus on increases, and no sign on what rounds to zero', () => {
    expect(figure(-1.234)).toBe('−1.23');
    expect(signed(1.235)).toBe('+1.24');
    expect(signed(-0.004)).toBe('0.00');
    expect(signed(0.004)).toBe('0.00');
    expect(figure(1234.5, 1)).toBe('1,234.5');
    expect(figure(null)).toBe('–');
    expect(figure(Number.NaN)).toBe('–');
  });

  it('writes intervals lower to upper, and says when there is none', () => {
    expect(interval({ lower: -2.125, upper: -1.4 })).toBe('−2.13 to −1.40');
    expect(interval(null)).toBe('no interval (too few people)');
  });

  it('names effect sizes as Cohen did, either way', () => {
    expect([0.1, -0.25, 0.5, -0.79, 0.8, null].map(effectWords)).toEqual([
      'negligible',
      'small',
      'moderate',
      'moderate',
      'large',
      '',
    ]);
  });

  it('writes p-values as statisticians do', () => {
    expect([0.0004, 0.0049, 0.034, 0.5, null].map(pValue)).toEqual(['< 0.001', '0.005', '0.03', '0.50', '–']);
  });

  it('puts a label inside a sentence, keeping initialisms', () => {
    expect(inSentence('Age band')).toBe('age band');
    expect(inSentence('IMD quintile')).toBe('IMD quintile');
  });
});
