import { z } from 'zod';

/**
 * A UK mobile number as GOV.UK Notify sends to it, `+447` and nine more digits; null when the input is not one.
 * Accepts the ways people write them: `07700 900982`, `+44 (0)7700-900982`, `0044 7700 900982`, `447700900982`.
 */
export function normaliseUkMobile(input: string): string | null {
  if (input.length > 40) return null;
  let digits = input.replace(/[\s().-]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  if (!/^\d+$/.test(digits)) return null;
  if (digits.startsWith('44')) {
    digits = digits.slice(2);
    if (digits.startsWith('0')) digits = digits.slice(1);
  } else if (digits.startsWith('0')) {
    digits = digits.slice(1);
  } else {
    return null;
  }
  return /^7\d{9}$/.test(digits) ? `+44${digits}` : null;
}

const emailSchema = z.email();

/** A trimmed email address, or null when it is not one. */
export function normaliseEmail(input: string): string | null {
  const value = input.trim();
  if (value.length > 320 || !emailSchema.safeParse(value).success) return null;
  return value;
}

const dots = (n: number) => '•'.repeat(Math.max(n, 3));

/**
 * Enough of a recipient to recognise it, not to use it: `07•••••••123`, `j•••@example.com`. Lists of messages show
 * this; only the development inbox shows the whole address.
 */
export function maskRecipient(channel: 'sms' | 'email', recipient: string): string {
  if (channel === 'sms') {
    const national = recipient.startsWith('+44') ? `0${recipient.slice(3)}` : recipient;
    if (national.length < 6) return dots(national.length);
    return `${national.slice(0, 2)}${dots(national.length - 5)}${national.slice(-3)}`;
  }
  const at = recipient.lastIndexOf('@');
  if (at < 1) return dots(recipient.length);
  return `${recipient.slice(0, 1)}${dots(3)}${recipient.slice(at)}`;
}
