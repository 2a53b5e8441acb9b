import { z } from 'zod';
import { contactModes } from '../contacts/contract.ts';
import { referralStatuses, urgencies } from '../referrals/contract.ts';

export const appointmentStatuses = ['booked', 'attended', 'did_not_attend', 'cancelled'] as const;
export const dischargeReasons = [
  'goals_met',
  'referred_on',
  'disengaged_or_unable_to_contact',
  'declined',
  'moved_away',
  'died',
  'other',
] as const;
export const flagKinds = ['safeguarding_concern', 'risk'] as const;
export const goalStatuses = ['active', 'achieved', 'stopped'] as const;
export const needPriorities = ['high', 'medium', 'low'] as const;
export const caseloadStages = ['awaiting_first_contact', 'what_matters', 'planning', 'supporting'] as const;

const isoDateTime = (what: string) =>
  z.iso.datetime({ offset: true, error: `Enter ${what}, like 2026-11-26T10:30:00Z` });
const isoDate = (what: string) => z.iso.date(`Enter ${what} as a date, like 2026-11-26`);
const version = z.number().int().min(1, 'Send the version you last saw');
const longText = (max: number) =>
  z.string().trim().max(max, `Keep this to ${max} characters or fewer`).nullish();

// ---------- Inputs ----------

export const settingsBody = z.strictObject({
  version,
  firstContactTargetWorkingDays: z
    .number()
    .int()
    .min(1, 'The first-contact target is at least 1 working day')
    .max(60, 'The first-contact target is at most 60 working days'),
  unableToContactAttempts: z
    .number()
    .int()
    .min(1, 'At least 1 failed attempt before "unable to contact"')
    .max(10, 'At most 10 failed attempts before "unable to contact"'),
});

export const progressEntry = z.strictObject({
  goalId: z.uuid('Choose a goal from the plan'),
  rating: z.number().int().min(0, 'Rate progress from 0 to 10').max(10, 'Rate progress from 0 to 10'),
  note: longText(2000),
});

/** A contact with the person, or an attempt that did not reach them. Goal progress can be recorded with it. */
export const contactBody = z.strictObject({
  kind: z.enum(['contact', 'attempt'], { error: 'Say whether you spoke with the person or tried to' }),
  occurredAt: isoDateTime('when it happened'),
  mode: z.enum(contactModes, { error: 'Choose how the contact happened' }),
  durationMinutes: z.number().int().min(1, 'Enter how long it lasted, in minutes').max(600).nullish(),
  present: longText(500),
  note: longText(8000),
  goalProgress: z.array(progressEntry).max(20).default([]),
});
export type ContactInput = z.infer<typeof contactBody>;

export const appointmentBody = z.strictObject({
  startsAt: isoDateTime('the date and time of the appointment'),
  durationMinutes: z.number().int().min(5, 'An appointment is at least 5 minutes').max(480),
  mode: z.enum(contactModes, { error: 'Choose how you will meet' }),
  location: longText(500),
  note: longText(2000),
});
export type AppointmentInput = z.infer<typeof appointmentBody>;

export const appointmentUpdateBody = z.strictObject({
  version,
  status: z.enum(appointmentStatuses, { error: 'Choose booked, attended, did not attend or cancelled' }),
  startsAt: isoDateTime('the new date and time').optional(),
  note: longText(2000),
});
export type AppointmentUpdate = z.infer<typeof appointmentUpdateBody>;

export const whatMattersNeed = z.strictObject({
  domain: z.string().regex(/^[a-z_]{2,60}$/, 'Choose the need from the list'),
  priority: z.enum(needPriorities, { error: 'Choose high, medium or low priority' }),
  concern: z.string().trim().min(1, 'Say what the concern is').max(2000),
});
export type WhatMattersNeed = z.infer<typeof whatMattersNeed>;

export const whatMattersBody = z.strictObject({
  /** The version this revisits (null for the first conversation): a stale one is a 409. */
  baseVersion: z.number().int().min(1).nullable(),
  heldOn: isoDate('when you talked'),
  needs: z.array(whatMattersNeed).min(1, 'Record at least one need or concern').max(20),
  ownWords: z.string().trim().min(1, 'Write what matters to the person, in their words').max(8000),
  strengths: longText(4000),
  barriers: longText(4000),
});
export type WhatMattersInput = z.infer<typeof whatMattersBody>;

export const planAction = z.strictObject({
  who: z.string().trim().min(1, 'Say who will do this').max(200),
  what: z.string().trim().min(1, 'Say what will be done').max(1000),
  byWhen: isoDate('by when').nullish(),
  done: z.boolean().default(false),
});

export const planGoal = z.strictObject({
  /** An existing goal's id; omit for a new goal. */
  id: z.uuid().optional(),
  description: z.string().trim().min(1, 'Write the goal in the person’s words').max(1000),
  needsDomain: z
    .string()
    .regex(/^[a-z_]{2,60}$/, 'Choose the need from the list')
    .nullish(),
  services: longText(2000),
  reviewOn: isoDate('the review date').nullish(),
  status: z.enum(goalStatuses).default('active'),
  actions: z.array(planAction).max(20).default([]),
});

export const planBody = z.strictObject({
  /** The plan's version being edited (null to create it): a stale one is a 409. */
  version: z.number().int().min(1).nullable(),
  agreedOn: isoDate('when the plan was agreed'),
  summary: longText(4000),
  goals: z.array(planGoal).min(1, 'A plan has at least one goal').max(12, 'Keep a plan to 12 goals'),
});
export type PlanInput = z.infer<typeof planBody>;

export const progressBody = z.strictObject({
  rating: z.number().int().min(0, 'Rate progress from 0 to 10').max(10, 'Rate progress from 0 to 10'),
  recordedOn: isoDate('the date'),
  note: longText(2000),
});

export const dischargeBody = z.strictObject({
  /** The referral's version. */
  version,
  reason: z.enum(dischargeReasons, { error: 'Choose why the person is discharged' }),
  dischargedOn: isoDate('the discharge date'),
  closingSummary: z.string().trim().min(1, 'Write a closing summary').max(8000),
  supportOffered: z.string().trim().min(1, 'Say what support was offered, for the message back').max(4000),
  outcome: z.string().trim().min(1, 'Say what the outcome was, for the message back').max(4000),
  followUpForGp: longText(2000),
  /** Whether the person agreed to be contacted again, 9–12 months on, to see how they are. */
  consentToFollowUp: z.boolean({ error: 'Say whether the person agreed to be contacted later' }).optional(),
});
export type DischargeInput = z.infer<typeof dischargeBody>;

export const flagBody = z.strictObject({
  kind: z.enum(flagKinds, { error: 'Choose safeguarding concern or risk' }),
  note: z.string().trim().min(1, 'Describe the concern and what has been done').max(4000),
});
export const resolveFlagBody = z.strictObject({
  resolutionNote: z.string().trim().min(1, 'Say why the flag can be closed').max(2000),
});

export const reallocateBody = z.strictObject({
  version,
  linkWorkerId: z.uuid('Choose the link worker to allocate'),
  reason: z.string().trim().min(1, 'Give the reason for reallocating').max(1000),
});
export const handOverBody = z.strictObject({
  toLinkWorkerId: z.uuid('Choose the link worker who takes the caseload'),
  reason: z.string().trim().min(1, 'Give the reason, for example leaving or long-term absence').max(1000),
});

export const caseloadQuery = z.strictObject({
  /** A lead may look at any link worker's caseload in the PCN; a link worker sees their own. */
  linkWorkerId: z.uuid('This link worker id is not valid').optional(),
  stage: z.enum(caseloadStages).optional(),
  flagged: z.enum(['true', 'false']).optional(),
  sort: z.enum(['waiting', 'last_contact', 'next_appointment', 'name']).default('waiting'),
});

// ---------- Outputs ----------

export const settings = z.object({
  organisationId: z.string(),
  firstContactTargetWorkingDays: z.number(),
  unableToContactAttempts: z.number(),
  version: z.number(),
});

export const caseloadItem = z.object({
  referralId: z.string(),
  reference: z.string().nullable(),
  personId: z.string(),
  personName: z.string(),
  dateOfBirth: z.string(),
  reasons: z.array(z.string()),
  urgency: z.enum(urgencies),
  receivedAt: z.string(),
  linkWorkerId: z.string(),
  linkWorkerName: z.string(),
  stage: z.enum(caseloadStages),
  firstContactAt: z.string().nullable(),
  lastContactAt: z.string().nullable(),
  nextAppointmentAt: z.string().nullable(),
  /** Failed attempts since the person was last reached. */
  failedAttempts: z.number(),
  unableToContact: z.boolean(),
  /** Working days from the referral to the first contact (or to today while still waiting). */
  workingDaysWaiting: z.number(),
  overTarget: z.boolean(),
  goalsDueForReview: z.number(),
  /** Services referred to that have not replied for longer than the ICB expects. */
  connectionsAwaitingReply: z.number(),
  /** Baseline outcome measures not yet complete, and whether the first conversation has passed without them. */
  baselineMeasuresDue: z.number(),
  baselineMeasuresOverdue: z.boolean(),
  flags: z.array(z.enum(flagKinds)),
});
export type CaseloadItem = z.infer<typeof caseloadItem>;

export const caseload = z.object({
  linkWorker: z.object({ id: z.string(), name: z.string() }),
  settings,
  items: z.array(caseloadItem),
});

export const caseloadSummary = z.object({
  settings,
  linkWorkers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      active: z.number(),
      awaitingFirstContact: z.number(),
      overTarget: z.number(),
      flagged: z.number(),
    }),
  ),
});

/** Everyone waiting for a first contact in the PCN, awaiting triage or allocated, against the target. */
export const waitingList = z.object({
  settings,
  items: z.array(
    z.object({
      referralId: z.string(),
      reference: z.string().nullable(),
      personId: z.string(),
      personName: z.string(),
      status: z.enum(['awaiting_triage', 'accepted']),
      urgency: z.enum(urgencies),
      receivedAt: z.string(),
      linkWorkerId: z.string().nullable(),
      linkWorkerName: z.string().nullable(),
      workingDaysWaiting: z.number(),
      overTarget: z.boolean(),
      failedAttempts: z.number(),
    }),
  ),
});

export const contactRecord = z.object({
  id: z.string(),
  kind: z.enum(['first_contact', 'contact', 'attempt']),
  occurredAt: z.string(),
  mode: z.enum(contactModes),
  durationMinutes: z.number().nullable(),
  present: z.string().nullable(),
  note: z.string().nullable(),
  linkWorkerName: z.string(),
});

export const appointment = z.object({
  id: z.string(),
  referralId: z.string(),
  startsAt: z.string(),
  durationMinutes: z.number(),
  mode: z.enum(contactModes),
  location: z.string().nullable(),
  status: z.enum(appointmentStatuses),
  note: z.string().nullable(),
  version: z.number(),
});

export const whatMatters = z.object({
  id: z.string(),
  version: z.number(),
  heldOn: z.string(),
  needs: z.array(z.object({ domain: z.string(), priority: z.enum(needPriorities), concern: z.string() })),
  ownWords: z.string(),
  strengths: z.string().nullable(),
  barriers: z.string().nullable(),
  recordedByName: z.string(),
  recordedAt: z.string(),
});

export const goal = z.object({
  id: z.string(),
  position: z.number(),
  description: z.string(),
  needsDomain: z.string().nullable(),
  services: z.string().nullable(),
  reviewOn: z.string().nullable(),
  status: z.enum(goalStatuses),
  actions: z.array(
    z.object({ who: z.string(), what: z.string(), byWhen: z.string().nullable(), done: z.boolean() }),
  ),
  progress: z.array(
    z.object({ id: z.string(), rating: z.number(), note: z.string().nullable(), recordedOn: z.string() }),
  ),
});

export const plan = z.object({
  id: z.string(),
  referralId: z.string(),
  agreedOn: z.string(),
  summary: z.string().nullable(),
  version: z.number(),
  updatedAt: z.string(),
  updatedByName: z.string(),
  goals: z.array(goal),
});
export type Plan = z.infer<typeof plan>;

export const flag = z.object({
  id: z.string(),
  personId: z.string(),
  kind: z.enum(flagKinds),
  note: z.string(),
  raisedByName: z.string(),
  raisedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolutionNote: z.string().nullable(),
});

export const discharge = z.object({
  reason: z.enum(dischargeReasons),
  dischargedOn: z.string(),
  closingSummary: z.string(),
  supportOffered: z.string(),
  outcome: z.string(),
  followUpForGp: z.string().nullable(),
  dischargedByName: z.string(),
});

/** Everything about one episode, for the link worker and the leads. */
export const episode = z.object({
  referralId: z.string(),
  reference: z.string().nullable(),
  status: z.enum(referralStatuses),
  version: z.number(),
  personId: z.string(),
  personName: z.string(),
  receivedAt: z.string(),
  reasons: z.array(z.string()),
  context: z.string().nullable(),
  /** What the lead wrote for the link worker at triage. */
  triageNote: z.string().nullable(),
  urgency: z.enum(urgencies),
  /** How to reach the person, on the page where the link worker records contacts. */
  reach: z.object({
    phone: z.string().nullable(),
    email: z.string().nullable(),
    preferredContactMethod: z.string().nullable(),
    preferredContactTimes: z.string().nullable(),
    interpreterLanguage: z.string().nullable(),
    accessibilityNeeds: z.string().nullable(),
    /** Where the person lives, to find services near them. */
    postcode: z.string().nullable(),
  }),
  linkWorkerId: z.string().nullable(),
  linkWorkerName: z.string().nullable(),
  settings,
  failedAttempts: z.number(),
  unableToContact: z.boolean(),
  workingDaysWaiting: z.number(),
  overTarget: z.boolean(),
  firstContactAt: z.string().nullable(),
  contacts: z.array(contactRecord),
  appointments: z.array(appointment),
  whatMatters: z.array(whatMatters),
  plan: plan.nullable(),
  discharge: discharge.nullable(),
  allocations: z.array(
    z.object({
      fromName: z.string().nullable(),
      toName: z.string(),
      reason: z.string().nullable(),
      byName: z.string(),
      at: z.string(),
    }),
  ),
  flags: z.array(flag),
});
export type Episode = z.infer<typeof episode>;

export const timelineItem = z.object({
  at: z.string(),
  kind: z.enum([
    'referral',
    'triage',
    'allocation',
    'contact',
    'attempt',
    'appointment',
    'coded_event',
    'what_matters',
    'plan',
    'goal_progress',
    'flag',
    'flag_resolved',
    'discharge',
    'connection',
    'measure',
  ]),
  referralId: z.string().nullable(),
  title: z.string(),
  detail: z.string().nullable(),
});

export const personRecord = z.object({
  id: z.string(),
  name: z.string(),
  nhsNumber: z.string().nullable(),
  dateOfBirth: z.string(),
  sex: z.string(),
  genderIdentity: z.string().nullable(),
  ethnicCategory: z.string(),
  addressLines: z.array(z.string()),
  postcode: z.string().nullable(),
  imdDecile: z.number().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  preferredContactMethod: z.string().nullable(),
  preferredContactTimes: z.string().nullable(),
  interpreterLanguage: z.string().nullable(),
  accessibilityNeeds: z.string().nullable(),
  registeredPracticeName: z.string().nullable(),
  consentToShareWithServices: z.boolean(),
  flags: z.array(flag),
  episodes: z.array(
    z.object({
      referralId: z.string(),
      reference: z.string().nullable(),
      receivedAt: z.string(),
      status: z.enum(referralStatuses),
      linkWorkerName: z.string().nullable(),
    }),
  ),
  timeline: z.array(timelineItem),
});

/** The PRSB-style message back to the referrer and GP: what happened, the support offered, the outcome. */
export const messageBack = z.object({
  referralId: z.string(),
  reference: z.string().nullable(),
  personName: z.string(),
  dateOfBirth: z.string(),
  nhsNumber: z.string().nullable(),
  referredOn: z.string(),
  referrerName: z.string().nullable(),
  referringOrganisationName: z.string().nullable(),
  pcnName: z.string(),
  linkWorkerName: z.string().nullable(),
  status: z.enum(referralStatuses),
  firstContactOn: z.string().nullable(),
  contactsCount: z.number(),
  codedEvents: z.array(z.object({ code: z.string(), display: z.string(), recordedOn: z.string() })),
  goals: z.array(z.object({ description: z.string(), status: z.enum(goalStatuses) })),
  discharge: z
    .object({
      reason: z.enum(dischargeReasons),
      dischargedOn: z.string(),
      supportOffered: z.string(),
      outcome: z.string(),
      followUpForGp: z.string().nullable(),
    })
    .nullable(),
});
export type MessageBack = z.infer<typeof messageBack>;
