import { z } from 'zod';
import { personInput, sexes } from '../people/contract.ts';

export const referralSources = ['professional', 'self', 'api'] as const;
export const urgencies = ['routine', 'urgent'] as const;
export const referralStatuses = ['awaiting_triage', 'accepted', 'declined', 'signposted'] as const;
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
  receivedAt: z.string(),
  daysWaiting: z.number(),
  version: z.number(),
});
export type Referral = z.infer<typeof referral>;

/** What a referrer sees of their own referrals: the status, never the case notes. */
export const referralStatusView = referral.pick({
  id: true,
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
