import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { ValidationError } from '../../platform/errors.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './contract.ts';

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
// algorithm 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const argonOptions = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** Why a password is not good enough, or null. NCSC/NIST style: length and a common-password list, no composition rules. */
export function passwordProblem(
  password: string,
  context: { email?: string; name?: string } = {},
): string | null {
  if (password.length < PASSWORD_MIN) return `Enter a password of at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `Enter a password of ${PASSWORD_MAX} characters or fewer`;
  const lower = password.toLowerCase();
  // "password1234!" is "password" with padding: strip digits and symbols at either end before looking it up.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (common.has(lower) || (core.length >= 4 && common.has(core))) {
    return 'This password is too common. Choose a password that would be hard to guess, such as three random words';
  }
  if (/^(.)\1+$/.test(password) || new Set(password).size < 4) {
    return 'This password repeats too few characters. Choose a password that would be hard to guess';
  }
  const local = context.email?.split('@')[0]?.toLowerCase();
  if ((local && local.length >= 4 && lower.includes(local)) || lower.includes('linkwork')) {
    return 'Your password must not contain your email address or the name of this service';
  }
  return null;
}

export function assertGoodPassword(
  password: string,
  context: { email?: string; name?: string } = {},
  field = 'password',
) {
  const problem = passwordProblem(password, context);
  if (problem) throw new ValidationError(problem, { field });
}

export const hashPassword = (password: string) => hash(password, argonOptions);

// A real hash to verify against when the account does not exist, so timing does not tell.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hash('not-a-real-password-for-timing', argonOptions);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/** A random token for a cookie or link, and the SHA-256 we store in its place. */
export function newSecretToken(bytes = 32): { token: string; hash: string } {
  const token = randomBytes(bytes).toString('base64url');
  return { token, hash: sha256(token) };
}

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
