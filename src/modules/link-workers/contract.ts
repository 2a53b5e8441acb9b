import { z } from 'zod';
export const employmentModels = [
  'pcn_employed',
  'practice_employed',
  'vcse_hosted',
  'local_authority',
  'other',
] as const;
export const baseSettings = [
  'gp_practice',
  'pcn_hub',
  'vcse_premises',
  'council_office',
  'community',
  'home',
] as const;
export const supervisionArrangements = [
  'clinical_supervisor_gp',
  'lead_link_worker',
  'host_organisation_manager',
  'peer_group',
  'none',
  'other',
] as const;
export const clinicalSystemAccess = ['yes', 'read_only', 'no'] as const;
export const practiceMeetingAttendance = ['regular', 'occasional', 'never'] as const;
export const deliveryModes = ['in_person', 'remote', 'hybrid'] as const;

const choose = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: `Choose ${what}` });

export const contextInput = z.strictObject({
  /** The PCN the link worker serves, when they serve more than one in the actor's scope. */
  organisationId: z.uuid('Choose the PCN the link worker serves').optional(),
  effectiveFrom: z.iso.date('Enter the date this applies from, like 2026-11-01'),
  employerOrganisationId: z.uuid('Choose the employing or hosting organisation').nullish(),
  employmentModel: choose(employmentModels, 'how the link worker is employed or hosted'),
  baseSettings: z
    .array(choose(baseSettings, 'a base setting'))
    .min(1, 'Choose at least one base setting')
    .max(baseSettings.length),
  contractedHoursPerWeek: z
    .number({ error: 'Enter contracted hours per week, like 37.5' })
    .min(0.5, 'Contracted hours must be at least 0.5 a week')
    .max(60, 'Contracted hours must be 60 a week or fewer'),
  supervision: choose(supervisionArrangements, 'the supervision arrangement'),
  clinicalSystemAccess: choose(clinicalSystemAccess, 'whether they can use the GP clinical system'),
  practiceMeetings: choose(practiceMeetingAttendance, 'how often they attend practice meetings'),
  deliveryMode: choose(deliveryModes, 'how they mostly deliver support'),
  notes: z.string().trim().max(2000, 'Notes must be 2000 characters or fewer').nullish(),
});
export type ContextInput = z.infer<typeof contextInput>;

export const linkWorkerContext = z.object({
  id: z.string(),
  organisationId: z.string(),
  linkWorkerId: z.string(),
  effectiveFrom: z.string(),
  /** The day before the next context starts, or null while this one is current. */
  effectiveTo: z.string().nullable(),
  employerOrganisationId: z.string().nullable(),
  employerOrganisationName: z.string().nullable(),
  employmentModel: z.enum(employmentModels),
  baseSettings: z.array(z.enum(baseSettings)),
  contractedHoursPerWeek: z.number(),
  supervision: z.enum(supervisionArrangements),
  clinicalSystemAccess: z.enum(clinicalSystemAccess),
  practiceMeetings: z.enum(practiceMeetingAttendance),
  deliveryMode: z.enum(deliveryModes),
  notes: z.string().nullable(),
  recordedBy: z.string(),
  recordedByName: z.string().nullable(),
  recordedAt: z.string(),
});
export type LinkWorkerContext = z.infer<typeof linkWorkerContext>;

export const linkWorkerSummary = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  active: z.boolean(),
  pcns: z.array(z.object({ id: z.string(), name: z.string() })),
  current: linkWorkerContext.nullable(),
});
export type LinkWorkerSummary = z.infer<typeof linkWorkerSummary>;
export const linkWorkerList = z.object({ items: z.array(linkWorkerSummary) });
export const linkWorkerProfile = linkWorkerSummary.extend({ history: z.array(linkWorkerContext) });
export type LinkWorkerProfile = z.infer<typeof linkWorkerProfile>;
export const linkWorkerParams = z.strictObject({ id: z.uuid('This link worker id is not valid') });
export const asOfQuery = z.strictObject({ date: z.iso.date('Enter a date like 2026-11-01') });
