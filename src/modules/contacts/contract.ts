import { z } from 'zod';

export const contactModes = [
  'in_practice',
  'home_visit',
  'community_venue',
  'phone',
  'video',
  'text_or_email',
] as const;

/** The first time the link worker speaks with the person: they accept the service or decline it. */
export const firstContactBody = z.strictObject({
  occurredAt: z.iso.datetime({
    offset: true,
    error: 'Enter when the contact happened, like 2026-11-26T10:30:00Z',
  }),
  mode: z.enum(contactModes, { error: 'Choose how the contact happened' }),
  durationMinutes: z.number().int().min(1, 'Enter how long it lasted, in minutes').max(600).nullish(),
  personDecision: z.enum(['accepts', 'declines'], {
    error: 'Say whether the person accepts social prescribing',
  }),
  note: z.string().trim().max(4000).nullish(),
});
export type FirstContactInput = z.infer<typeof firstContactBody>;

export const codedEvent = z.object({
  id: z.string(),
  referralId: z.string(),
  personId: z.string(),
  system: z.string(),
  code: z.string(),
  display: z.string(),
  recordedAt: z.string(),
});
export type CodedEvent = z.infer<typeof codedEvent>;

export const firstContactResult = z.object({
  contactId: z.string(),
  referralStatus: z.string(),
  codedEvent,
});

export const extractQuery = z.strictObject({
  practiceId: z.uuid('Choose a GP practice').optional(),
  from: z.iso.date('Enter a start date like 2026-11-01'),
  to: z.iso.date('Enter an end date like 2026-11-30'),
});
