import { z } from 'zod';

export const connectionKinds = ['signposted', 'warm_handover', 'referred'] as const;
export type ConnectionKind = (typeof connectionKinds)[number];

/**
 * suggested → referred → accepted / declined → attended / did_not_attend → completed / dropped_out.
 * A signposting starts at "suggested" (information given); a warm handover or referral at "referred".
 */
export const connectionStatuses = [
  'suggested',
  'referred',
  'accepted',
  'declined',
  'attended',
  'did_not_attend',
  'completed',
  'dropped_out',
] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

const date = z.iso.date({ error: 'Enter a date as YYYY-MM-DD' });

export const connectionBody = z.strictObject({
  serviceId: z.uuid('Choose a service from the directory'),
  goalId: z.uuid('Choose one of the plan’s goals').nullable().optional(),
  kind: z.enum(connectionKinds, { error: 'Choose signposted, warm handover or referred' }),
  /** The person agreed that their details may be shared with the service. */
  consentToShare: z.boolean({ error: 'Say whether the person agreed to share their details' }),
  on: date,
  note: z.string().trim().max(2000, 'Keep the note to 2,000 characters or fewer').optional(),
});

export const connectionStatusBody = z.strictObject({
  status: z.enum(connectionStatuses, { error: 'Choose what happened' }),
  on: date,
  reason: z.string().trim().max(500, 'Keep the reason to 500 characters or fewer').optional(),
  note: z.string().trim().max(2000, 'Keep the note to 2,000 characters or fewer').optional(),
  version: z.number().int().min(1),
});

export const connectionEvent = z.object({
  status: z.enum(connectionStatuses),
  on: z.string(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

export const connection = z.object({
  id: z.uuid(),
  referralId: z.uuid(),
  serviceId: z.uuid(),
  serviceName: z.string(),
  goalId: z.uuid().nullable(),
  goalDescription: z.string().nullable(),
  kind: z.enum(connectionKinds),
  status: z.enum(connectionStatuses),
  consentToShare: z.boolean(),
  note: z.string().nullable(),
  connectedOn: z.string(),
  statusOn: z.string(),
  /** Referred (or handed over) and no reply for longer than the ICB expects. */
  awaitingReplyTooLong: z.boolean(),
  /** Statuses it may move to next. */
  next: z.array(z.enum(connectionStatuses)),
  version: z.number(),
  events: z.array(connectionEvent),
});
export type Connection = z.infer<typeof connection>;

export const connectionList = z.object({ items: z.array(connection), replyExpectedWithinDays: z.number() });

/** Where each status may go next; declined, completed and dropped out are where a connection ends. */
export const nextStatuses: Record<ConnectionStatus, readonly ConnectionStatus[]> = {
  suggested: ['referred', 'accepted', 'declined', 'attended', 'did_not_attend', 'dropped_out'],
  referred: ['accepted', 'declined', 'attended', 'did_not_attend', 'dropped_out'],
  accepted: ['attended', 'did_not_attend', 'declined', 'dropped_out'],
  did_not_attend: ['attended', 'dropped_out'],
  attended: ['completed', 'dropped_out'],
  declined: [],
  completed: [],
  dropped_out: [],
};

export const statusWords: Record<ConnectionStatus, string> = {
  suggested: 'Suggested',
  referred: 'Referred',
  accepted: 'Accepted',
  declined: 'Declined',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  completed: 'Completed',
  dropped_out: 'Dropped out',
};

export const kindWords: Record<ConnectionKind, string> = {
  signposted: 'Signposted',
  warm_handover: 'Warm handover',
  referred: 'Referred',
};
