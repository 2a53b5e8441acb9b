import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwords.ts';
import { delaySecondsAfter } from './throttle.ts';

describe('password policy', () => {
  it('accepts long passphrases, including ones far over 64 characters', () => {
    expect(passwordProblem('three random words')).toBeNull();
    expect(passwordProblem('x7'.repeat(2) + 'correct horse battery staple '.repeat(4))).toBeNull();
  });

  it('refuses short, common, padded-common and repetitive passwords', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('qwertyuiop12')).toMatch(/too common/);
    expect(passwordProblem('Password12345!')).toMatch(/too common/);
    expect(passwordProblem('111111111111')).toMatch(/too common|repeats/);
    expect(passwordProblem('abababababab')).toMatch(/repeats/);
    expect(passwordProblem('x'.repeat(129))).toMatch(/128 characters or fewer/);
  });

  it('refuses a password made of the email address or the service name', () => {
    expect(passwordProblem('amira.hassan-2026', { email: 'amira.hassan@nhs.net' })).toMatch(/email address/);
    expect(passwordProblem('my linkwork login')).toMatch(/name of this service/);
  });

  it('gives every string of 12 to 128 characters a definite answer and never throws', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 140 }), (p) => {
        const problem = passwordProblem(p);
        if (p.length < 12 || p.length > 128) expect(problem).not.toBeNull();
        expect(problem === null || typeof problem === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('sign-in throttle', () => {
  it('lets five account failures through, then doubles the delay to at most 15 minutes', () => {
    expect([1, 2, 3, 4].map((n) => delaySecondsAfter('account', n))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map((n) => delaySecondsAfter('account', n))).toEqual([2, 4, 8, 16]);
    expect(delaySecondsAfter('account', 40)).toBe(900);
  });

  it('is more patient with an IP address, which a whole practice may share', () => {
    expect(delaySecondsAfter('ip', 19)).toBe(0);
    expect(delaySecondsAfter('ip', 20)).toBe(2);
  });
});
