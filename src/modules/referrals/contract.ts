import { z } from 'zod';
import { personInput, phoneNumber, sexes, ukPostcode } from '../people/contract.ts';

export const referralSources = ['professional', 'self', 'api'] as const;
export const urgencies = ['routine', 'urgent'] as const;
// declined_by_person: accepted at triage, then the person said no at their first contact with the link worker.
export const referralStatuses = [
  'awaiting_triage',
  'accepted',
  'declined',
  'signposted',
  'declined_by_person',
  'discharged',
] as const;
export const declineReasons = [
  'not_appropriate',
  'needs_clinical_service',
  'unable_to_contact',
  'other',
] as const;

export const referralInput = z.strictObject({
  person: personInput,
  reasons: z
    .array(z.string().regex(/^[a-z_]{2,60}$/, 'Choose reasons from the list'))
    .min(1, 'Choose at least one reason for referral')
    .max(20),
  context: z.string().trim().max(4000, 'Keep the context to 4000 characters or fewer').nullish(),
  urgency: z.enum(urgencies, { error: 'Choose how urgent this is' }).default('routine'),
  consentToReferral: z.literal(true, {
    error: 'The person must agree to be referred: confirm they have, or do not refer them yet',
  }),
});
export type ReferralInput = z.infer<typeof referralInput>;

export const referral = z.object({
  id: z.string(),
  organisationId: z.string(),
  personId: z.string(),
  personName: z.string(),
  personDateOfBirth: z.string(),
  personSex: z.enum(sexes),
  source: z.enum(referralSources),
  referrerUserId: z.string().nullable(),
  referringOrganisationId: z.string().nullable(),
  reasons: z.array(z.string()),
  context: z.string().nullable(),
  urgency: z.enum(urgencies),
  status: z.enum(referralStatuses),
  declineReason: z.enum(declineReasons).nullable(),
  triageNote: z.string().nullable(),
  allocatedLinkWorkerId: z.string().nullable(),
  allocatedLinkWorkerName: z.string().nullable(),
  triagedAt: z.string().nullable(),
  /** How to reach the person, for the lead and the allocated link worker (never in a referrer's view). */
  contact: z.object({
    nhsNumber: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    postcode: z.string().nullable(),
    preferredContactMethod: z.enum(['phone', 'text', 'email', 'letter']).nullable(),
    preferredContactTimes: z.string().nullable(),
    interpreterLanguage: z.string().nullable(),
    accessibilityNeeds: z.string().nullable(),
  }),
  reference: z.string().nullable(),
  receivedAt: z.string(),
  daysWaiting: z.number(),
  /** People in the PCN who may be this same person: confirm or reject before triage. */
  possibleDuplicates: z.array(
    z.object({
      personId: z.string(),
      name: z.string(),
      dateOfBirth: z.string(),
      postcode: z.string().nullable(),
      nhsNumber: z.string().nullable(),
      episodes: z.number(),
    }),
  ),
  /** This person's other episodes with the service, newest first. */
  otherEpisodes: z.array(
    z.object({
      id: z.string(),
      reference: z.string().nullable(),
      receivedAt: z.string(),
      status: z.enum(referralStatuses),
    }),
  ),
  version: z.number(),
});
export type Referral = z.infer<typeof referral>;

/**
 * A referral in the triage queue: what the list shows, with counts in place of the earlier episodes and possible
 * matches, which the lead sees in full on opening the referral.
 */
export const triageItem = referral.omit({ possibleDuplicates: true, otherEpisodes: true }).extend({
  earlierEpisodes: z.number(),
  possibleMatches: z.number(),
});
export type TriageItem = z.infer<typeof triageItem>;

/** What a referrer sees of their own referrals: the status, never the case notes. */
export const referralStatusView = referral.pick({
  id: true,
  reference: true,
  personName: true,
  personDateOfBirth: true,
  reasons: true,
  urgency: true,
  status: true,
  receivedAt: true,
});

export const triageBody = z.discriminatedUnion(
  'decision',
  [
    z.strictObject({
      decision: z.literal('accept'),
      version: z.number().int().min(1),
      linkWorkerId: z.uuid('Choose the link worker to allocate'),
      note: z.string().trim().max(2000).nullish(),
    }),
    z.strictObject({
      decision: z.literal('decline'),
      version: z.number().int().min(1),
      reason: z.enum(declineReasons, { error: 'Choose why the referral is declined' }),
      note: z.string().trim().max(2000).nullish(),
    }),
    z.strictObject({
      decision: z.literal('signpost'),
      version: z.number().int().min(1),
      note: z.string().trim().min(1, 'Say where the person was signposted').max(2000),
    }),
  ],
  { error: 'Choose accept, decline or signpost' },
);
export type TriageInput = z.infer<typeof triageBody>;

export const needsDomain = z.object({ code: z.string(), label: z.string() });
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8, 'An Idempotency-Key must be 8 to 200 characters')
    .max(200, 'An Idempotency-Key must be 8 to 200 characters')
    .regex(/^[\x21-\x7e]+$/, 'An Idempotency-Key is printable ASCII without spaces')
    .optional(),
});

/** A person referring themself: short, plain English, nothing they cannot answer. */
export const selfReferralInput = z.strictObject({
  givenName: z.string().trim().min(1, 'Enter your first name').max(100),
  familyName: z.string().trim().min(1, 'Enter your last name').max(100),
  dateOfBirth: z.iso.date('Enter your date of birth, for example 14 3 1958'),
  postcode: ukPostcode.nullish(),
  phone: phoneNumber.nullish(),
  email: z.email('Enter an email address in the correct format, like name@example.com').nullish(),
  preferredContactMethod: z.enum(['phone', 'text', 'email', 'letter']).nullish(),
  reasons: z
    .array(z.string().regex(/^[a-z_]{2,60}$/))
    .max(20)
    .default([]),
  whatMatters: z.string().trim().max(2000, 'Keep this to 2000 characters or fewer').nullish(),
  consentToReferral: z.literal(true, { error: 'Tick the box to say you agree to be referred' }),
  /** A field people never see: bots fill it in. */
  website: z.string().max(500).optional(),
});
export type SelfReferralInput = z.infer<typeof selfReferralInput>;
export const selfReferralResult = z.object({ reference: z.string(), pcnName: z.string() });
export const publicPcn = z.object({ name: z.string(), reference: z.string() });

export const duplicateDecisionBody = z.strictObject({
  version: z.number().int().min(1),
  /** The existing person this is; null when it is someone else. */
  samePersonId: z.uuid('Choose the person this is, or say it is someone else').nullable(),
});
