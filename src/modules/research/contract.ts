import { z } from 'zod';

/** A member's part in one study: leads run it and alone see who participants are. */
export const studyRoles = ['lead', 'researcher', 'coder', 'transcriber', 'read_only'] as const;
export type StudyRole = (typeof studyRoles)[number];
export const studyRoleLabels: Record<StudyRole, string> = {
  lead: 'Study lead',
  researcher: 'Researcher',
  coder: 'Coder',
  transcriber: 'Transcriber',
  read_only: 'Read only',
};

export const participantRoles = [
  'link_worker',
  'gp',
  'practice_manager',
  'vcse_staff',
  'patient',
  'other',
] as const;
export type ParticipantRole = (typeof participantRoles)[number];
export const participantRoleLabels: Record<ParticipantRole, string> = {
  link_worker: 'Link worker',
  gp: 'GP',
  practice_manager: 'Practice manager',
  vcse_staff: 'VCSE staff',
  patient: 'Patient',
  other: 'Other',
};
/** The part of a study ID that names the role, as in C3-GP-02. */
export const participantRoleCodes: Record<ParticipantRole, string> = {
  link_worker: 'LW',
  gp: 'GP',
  practice_manager: 'PM',
  vcse_staff: 'VCSE',
  patient: 'PT',
  other: 'OT',
};

/** What a participant agreed to, as recorded on their consent form. */
export const consentScopes = [
  'interview',
  'audio_recording',
  'anonymised_quotes',
  'future_contact',
  'pathway_record',
] as const;
export type ConsentScope = (typeof consentScopes)[number];
export const consentScopeLabels: Record<ConsentScope, string> = {
  interview: 'Take part in an interview',
  audio_recording: 'Audio recording of the interview',
  anonymised_quotes: 'Anonymised quotes in reports',
  future_contact: 'Being contacted again for a follow-up interview',
  pathway_record: 'Linking their social prescribing record to the study',
};

/** What happens to a withdrawn participant's data, as they chose. */
export const withdrawalChoices = ['keep_data', 'remove_data'] as const;
export type WithdrawalChoice = (typeof withdrawalChoices)[number];
export const withdrawalChoiceLabels: Record<WithdrawalChoice, string> = {
  keep_data: 'Keep the data already collected; collect nothing more',
  remove_data: 'Remove their recordings, transcripts and codings, and collect nothing more',
};

export const collectionKinds = ['interview', 'observation'] as const;
export type CollectionKind = (typeof collectionKinds)[number];
export const collectionModes = ['in_person', 'teams', 'telephone'] as const;
export type CollectionMode = (typeof collectionModes)[number];
export const collectionModeLabels: Record<CollectionMode, string> = {
  in_person: 'In person',
  teams: 'Microsoft Teams',
  telephone: 'Telephone',
};
export const collectionStatuses = ['planned', 'done', 'cancelled', 'did_not_attend'] as const;
export type CollectionStatus = (typeof collectionStatuses)[number];
export const collectionStatusLabels: Record<CollectionStatus, string> = {
  planned: 'Planned',
  done: 'Done',
  cancelled: 'Cancelled',
  did_not_attend: 'Did not attend',
};

export const workPackageCodes = ['WP1', 'WP2'] as const;
export type WorkPackageCode = (typeof workPackageCodes)[number];

const isoDate = (what: string) => z.iso.date({ error: `Enter ${what} as a real date, like 2026-03-31` });
const text = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `Enter ${what} in ${max} characters or fewer`);
const optionalText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `Enter ${what} in ${max} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : null));

export const confidenceLevels = ['low', 'moderate', 'high'] as const;

const cmocText = (what: string, max = 2000) =>
  z
    .string({ error: `Enter the ${what}` })
    .trim()
    .min(1, `Enter the ${what}`)
    .max(max, `Keep the ${what} to ${max} characters or fewer`);
const optionalCmocText = (what: string) =>
  z
    .string()
    .trim()
    .max(2000, `Keep the ${what} to 2,000 characters or fewer`)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

export const cmocInput = z.strictObject({
  title: cmocText('short title', 200),
  contexts: z.array(cmocText('context')).min(1, 'Give at least one context').max(10),
  mechanismResource: cmocText('mechanism resource'),
  mechanismResponse: cmocText('mechanism response'),
  outcome: cmocText('outcome'),
  intervention: optionalCmocText('intervention'),
  actor: optionalCmocText('actor'),
  /** If–then–because; written from the parts when left out. */
  statement: optionalCmocText('if–then–because statement'),
  confidence: z
    .enum(confidenceLevels, { error: 'Choose low, moderate or high confidence' })
    .nullable()
    .default(null),
  memo: z.string().trim().max(20_000).nullable().default(null),
});
export type CmocInput = z.infer<typeof cmocInput>;

export const workPackageInput = z.strictObject({
  code: z.enum(workPackageCodes, { error: 'Choose WP1 or WP2' }),
  title: text('the work package’s title', 200),
  description: optionalText('the work package’s description', 4000),
});

export const studyInput = z
  .strictObject({
    title: text('the study’s title', 300),
    question: text('the research question', 4000),
    ethicsReference: optionalText('the ethics reference', 100),
    funder: optionalText('the funder', 300),
    startsOn: isoDate('the start date'),
    endsOn: isoDate('the end date'),
    workPackages: z.array(workPackageInput).max(2).default([]),
    initialProgrammeTheory: optionalText('the initial programme theory', 20_000),
    /** Audio recordings are deleted this many months after the study ends. */
    audioRetentionMonths: z
      .number({ error: 'Enter how many months recordings are kept, as a number' })
      .int('Enter a whole number of months')
      .min(0, 'Enter 0 months or more')
      .max(240, 'Enter 240 months or fewer'),
    keepUnredactedText: z.boolean({ error: 'Say whether unredacted transcripts are kept' }).default(false),
    /** Coders see only their own codings (leads see all) until this is turned off. */
    blindCoding: z.boolean({ error: 'Say whether coders code blind' }).default(true),
    /** The initial programme theory's configurations, seeded as CMOC 1, 2 … */
    initialCmocs: z.array(cmocInput).max(50, 'Give at most 50 configurations').default([]),
  })
  .superRefine((s, ctx) => {
    if (s.endsOn < s.startsOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: 'The end date must be on or after the start date',
      });
    }
    const codes = s.workPackages.map((w) => w.code);
    if (new Set(codes).size !== codes.length) {
      ctx.addIssue({ code: 'custom', path: ['workPackages'], message: 'Give each work package once' });
    }
  });
export type StudyInput = z.infer<typeof studyInput>;

export const memberInput = z.strictObject({
  userId: z.uuid('Choose a person from the list'),
  role: z.enum(studyRoles, { error: 'Choose a study role' }),
});

export const siteInput = z.strictObject({
  name: text('the site’s name', 200),
  description: optionalText('the site’s description', 4000),
  organisationId: z.uuid('Choose an organisation from the list').nullable().default(null),
});

export const caseInput = z
  .strictObject({
    siteId: z.uuid('Choose a site from the list'),
    label: z
      .string({ error: 'Enter the case’s label, like C3' })
      .trim()
      .regex(/^[A-Z][A-Z0-9]{0,9}$/, 'Enter the case’s label in capitals and digits, like C3'),
    linkWorkerId: z.uuid('Choose a link worker from the list').nullable().default(null),
    linkWorkerOrganisationId: z.uuid('Choose the link worker’s PCN from the list').nullable().default(null),
    startsOn: isoDate('the date the case starts'),
    endsOn: isoDate('the date the case ends').optional(),
    description: optionalText('the case’s description', 4000),
  })
  .superRefine((c, ctx) => {
    if (c.endsOn && c.endsOn < c.startsOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['endsOn'],
        message: 'The end date must be on or after the start date',
      });
    }
    if (!!c.linkWorkerId !== !!c.linkWorkerOrganisationId) {
      ctx.addIssue({
        code: 'custom',
        path: ['linkWorkerOrganisationId'],
        message: 'Choose both the link worker and the PCN they work for, or neither',
      });
    }
  });

export const participantInput = z.strictObject({
  caseId: z.uuid('Choose a case from the list').nullable().default(null),
  role: z.enum(participantRoles, { error: 'Choose the participant’s role' }),
  /** Identifying details: kept apart, seen only by the study's leads. */
  contact: z
    .strictObject({
      name: optionalText('the participant’s name', 200),
      email: z
        .string()
        .trim()
        .max(254)
        .optional()
        .transform((v) => (v ? v : null))
        .pipe(z.email('Enter an email address in the correct format, like name@example.org').nullable()),
      phone: optionalText('the phone number', 40),
      notes: optionalText('the notes', 2000),
    })
    .optional(),
});

export const consentInput = z.strictObject({
  formVersion: text('the consent form’s version', 50),
  consentedOn: isoDate('the date of consent'),
  scopes: z.array(z.enum(consentScopes, { error: 'Choose what they agreed to from the list' })).max(10),
  pathwayPersonId: z.uuid('Choose the person’s record from the list').nullable().default(null),
});

export const withdrawalInput = z.strictObject({
  withdrawnOn: isoDate('the date they withdrew'),
  choice: z.enum(withdrawalChoices, { error: 'Choose what happens to their data' }),
  reason: optionalText('the reason', 2000),
});

export const collectionInput = z.strictObject({
  participantId: z.uuid('Choose a participant from the list').nullable().default(null),
  caseId: z.uuid('Choose a case from the list').nullable().default(null),
  kind: z.enum(collectionKinds, { error: 'Choose interview or observation' }),
  workPackage: z.enum(workPackageCodes, { error: 'Choose WP1 or WP2' }),
  mode: z.enum(collectionModes, { error: 'Choose how it takes place' }),
  scheduledOn: isoDate('the date'),
  researcherId: z.uuid('Choose a researcher from the list').nullable().default(null),
  topicGuideVersion: optionalText('the topic guide version', 50),
  followUpOf: z.uuid('Choose the first interview from the list').nullable().default(null),
});

export const collectionUpdate = z.strictObject({
  status: z.enum(collectionStatuses, { error: 'Choose a status' }),
  heldOn: isoDate('the date it took place').nullable().default(null),
  version: z.number().int(),
});

export const studyUpdate = studyInput.safeExtend({ version: z.number().int() });
export const withdrawalBody = withdrawalInput.extend({ version: z.number().int() });
export const contactInput = z.strictObject({
  name: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v ? v : null)),
  email: z
    .string()
    .trim()
    .max(254)
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.email('Enter an email address in the correct format, like name@example.org').nullable()),
  phone: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => (v ? v : null)),
  notes: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .transform((v) => (v ? v : null)),
});
export const idParams = z.strictObject({ id: z.uuid('This id is not valid') });
export const memberParams = z.strictObject({
  id: z.uuid('This study id is not valid'),
  userId: z.uuid('This user id is not valid'),
});

// ---------------------------------------------------------------------------------------------------------------
// Sources, codebook, codings, memos

export const sourceKinds = ['text', 'docx', 'vtt'] as const;
/** Uploaded sources wait for their redactions to be accepted; only de-identified ones are coded. */
export const sourceStatuses = ['awaiting_deidentification', 'ready'] as const;
export type SourceStatus = (typeof sourceStatuses)[number];
export interface SourceTurn {
  speaker: string | null;
  start: number;
  end: number;
  startMs?: number;
  endMs?: number;
}
export const memoTargets = ['study', 'case', 'source', 'code', 'coding'] as const;
export type MemoTarget = (typeof memoTargets)[number];

export const sourceUploadQuery = z.strictObject({
  fileName: z
    .string({ error: 'Give the file’s name, like interview-C1-PT-01.vtt' })
    .trim()
    .min(1, 'Give the file’s name, like interview-C1-PT-01.vtt')
    .max(255, 'Give a file name of 255 characters or fewer'),
  name: z.string().trim().max(200).optional(),
  participantId: z.uuid('Choose a participant from the list').optional(),
  collectionId: z.uuid('Choose an interview from the list').optional(),
});

export const redactionsBody = z.strictObject({
  redactions: z
    .array(
      z.strictObject({
        start: z.number().int('Give whole character positions').min(0),
        end: z.number().int('Give whole character positions').min(1),
        replacement: z
          .string()
          .trim()
          .min(1, 'Say what replaces it, like [name]')
          .max(60, 'Keep a replacement to 60 characters or fewer'),
      }),
    )
    .max(5000),
  version: z.number().int(),
});

const colour = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'Give a colour like #1D70B8');
export const codeInput = z.strictObject({
  name: z
    .string({ error: 'Enter the code’s name' })
    .trim()
    .min(1, 'Enter the code’s name')
    .max(120, 'Keep a code’s name to 120 characters or fewer'),
  parentId: z.uuid('Choose a parent code from the list').nullable().default(null),
  definition: z.string().trim().max(4000).nullable().default(null),
  whenToUse: z.string().trim().max(4000).nullable().default(null),
  whenNotToUse: z.string().trim().max(4000).nullable().default(null),
  colour: colour.default('#1D70B8'),
});
export const codeUpdate = codeInput.extend({ version: z.number().int() });
export const codeMerge = z.strictObject({
  intoId: z.uuid('Choose the code to merge into from the list'),
});
export const codingInput = z.strictObject({
  codeIds: z.array(z.uuid('Choose codes from the codebook')).min(1, 'Choose at least one code').max(20),
  start: z.number({ error: 'Give where the text starts' }).int('Give whole character positions').min(0),
  end: z.number({ error: 'Give where the text ends' }).int('Give whole character positions').min(1),
});
/** A lead's decision on one disagreement: both coders code the stretch, or neither does. */
export const resolutionDecisions = ['code_both', 'code_neither'] as const;
export const disagreementResolution = z
  .strictObject({
    sourceId: z.uuid('Choose a source from the list'),
    codeId: z.uuid('Choose a code from the codebook'),
    start: z.number({ error: 'Give where the text starts' }).int('Give whole character positions').min(0),
    end: z.number({ error: 'Give where the text ends' }).int('Give whole character positions').min(1),
    codedBy: z.uuid('Choose the coder who coded the stretch'),
    notCodedBy: z.uuid('Choose the coder who did not'),
    decision: z.enum(resolutionDecisions, {
      error: 'Say whether both coders code this stretch (code_both) or neither does (code_neither)',
    }),
  })
  .refine((r) => r.codedBy !== r.notCodedBy, {
    path: ['notCodedBy'],
    message: 'Choose two different coders',
  });
export type DisagreementResolution = z.infer<typeof disagreementResolution>;
export const memoInput = z.strictObject({
  targetType: z.enum(memoTargets, { error: 'Say what the memo is about' }),
  targetId: z.uuid('Choose what the memo is about').nullable().default(null),
  text: z
    .string({ error: 'Write the memo' })
    .trim()
    .min(1, 'Write the memo')
    .max(20_000, 'Keep a memo to 20,000 characters or fewer'),
});

// ---------------------------------------------------------------------------------------------------------------
// Realist analysis: CMO configurations, evidence, programme theory

export const evidenceStances = ['supports', 'refutes', 'refines'] as const;
export type EvidenceStance = (typeof evidenceStances)[number];
export const cmocStatuses = ['proposed', 'supported', 'refuted', 'refined'] as const;
export type CmocStatus = (typeof cmocStatuses)[number];

export const cmocRefinement = cmocInput.extend({
  reason: cmocText('reason for refining it', 4000),
  version: z.number().int(),
});

export const cmocJudgement = z.strictObject({
  status: z.enum(cmocStatuses, { error: 'Choose proposed, supported or refuted' }),
  confidence: z.enum(confidenceLevels, { error: 'Choose low, moderate or high confidence' }).nullable(),
  memo: z.string().trim().max(20_000).nullable().default(null),
  version: z.number().int(),
});

export const evidenceInput = z.strictObject({
  sourceId: z.uuid('Choose a source from the list'),
  start: z.number().int('Give whole character positions').min(0),
  end: z.number().int('Give whole character positions').min(1),
  codingId: z.uuid('Choose a coding from the list').nullable().default(null),
  stance: z.enum(evidenceStances, { error: 'Say whether it supports, refutes or refines the configuration' }),
  note: z.string().trim().max(4000).nullable().default(null),
});

export const ramesesAnswers = ['yes', 'no', 'unclear'] as const;
export const ramesesInput = z.strictObject({
  items: z
    .array(
      z.strictObject({
        item: z.number().int().min(1, 'Items are numbered 1 to 20').max(20, 'Items are numbered 1 to 20'),
        reported: z.enum(ramesesAnswers, { error: 'Say yes, no or unclear' }),
        location: z.string().trim().max(500).nullable().default(null),
        note: z.string().trim().max(4000).nullable().default(null),
      }),
    )
    .min(1)
    .max(20),
});

// ---------------------------------------------------------------------------------------------------------------
// Audio recordings

/** Kinds of audio a recorder or Teams writes; anything else is refused. */
export const recordingMediaTypes = [
  'audio/mpeg',
  'audio/mp4',
  'audio/x-m4a',
  'audio/wav',
  'audio/x-wav',
  'audio/webm',
  'audio/ogg',
] as const;
export const recordingDeletionReasons = ['retention', 'withdrawal', 'by_lead'] as const;
export const recordingUploadQuery = z.strictObject({
  participantId: z.uuid('Choose a participant from the list'),
  collectionId: z.uuid('Choose an interview from the list').optional(),
  fileName: z
    .string({ error: 'Give the file’s name' })
    .trim()
    .min(1, 'Give the file’s name')
    .max(255, 'Give a file name of 255 characters or fewer'),
});
