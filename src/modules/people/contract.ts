import { z } from 'zod';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.ts';

export const sexes = ['female', 'male', 'intersex', 'not_stated'] as const;
/** NHS Data Dictionary ethnic category codes (2001 census groups), with Z for "not stated". */
export const ethnicCategories = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'J',
  'K',
  'L',
  'M',
  'N',
  'P',
  'R',
  'S',
  'Z',
] as const;
export const contactMethods = ['phone', 'text', 'email', 'letter'] as const;

/** A full UK postcode, upper-cased, as people type it (with or without the space). */
export const ukPostcode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, 'Enter a full UK postcode, like LS1 4AP');
export const phoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[\d ()-]{7,20}$/, 'Enter a phone number, like 07700 900 982');

const text = (max: number, message: string) => z.string().trim().min(1, message).max(max);
const noNul = (s: string) => !s.includes('\u0000');

export const personInput = z.strictObject({
  nhsNumber: z
    .string()
    .trim()
    .refine(isValidNhsNumber, 'Enter a valid 10-digit NHS number, like 943 476 5919, or leave it blank')
    .transform(normaliseNhsNumber)
    .nullish(),
  givenName: text(100, 'Enter the person’s first name').refine(noNul, 'Remove the unusual character'),
  familyName: text(100, 'Enter the person’s last name').refine(noNul, 'Remove the unusual character'),
  dateOfBirth: z.iso.date('Enter the date of birth, like 1958-03-14'),
  sex: z.enum(sexes, { error: 'Choose the person’s sex, or “not stated”' }),
  genderIdentity: z.string().trim().max(100).nullish(),
  ethnicCategory: z
    .enum(ethnicCategories, { error: 'Choose an ethnic category, or “not stated”' })
    .default('Z'),
  addressLines: z.array(z.string().trim().max(200)).max(4).default([]),
  postcode: ukPostcode.nullish(),
  phone: phoneNumber.nullish(),
  email: z.email('Enter an email address in the correct format, like name@example.com').nullish(),
  preferredContactMethod: z.enum(contactMethods).nullish(),
  preferredContactTimes: z.string().trim().max(200).nullish(),
  interpreterLanguage: z.string().trim().max(100).nullish(),
  accessibilityNeeds: z.string().trim().max(500).nullish(),
  registeredPracticeId: z.uuid('Choose the GP practice').nullish(),
  consentToShareWithServices: z.boolean().default(false),
});
export type PersonInput = z.infer<typeof personInput>;

export const person = z.object({
  id: z.string(),
  organisationId: z.string(),
  nhsNumber: z.string().nullable(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  sex: z.enum(sexes),
  genderIdentity: z.string().nullable(),
  ethnicCategory: z.enum(ethnicCategories),
  addressLines: z.array(z.string()),
  postcode: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  preferredContactMethod: z.enum(contactMethods).nullable(),
  preferredContactTimes: z.string().nullable(),
  interpreterLanguage: z.string().nullable(),
  accessibilityNeeds: z.string().nullable(),
  registeredPracticeId: z.string().nullable(),
  consentToShareWithServices: z.boolean(),
  version: z.number(),
});
export type Person = z.infer<typeof person>;
