import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';
import {
  cmocStatuses,
  collectionKinds,
  collectionModes,
  collectionStatuses,
  confidenceLevels,
  evidenceStances,
  memoTargets,
  participantRoles,
  ramesesAnswers,
  recordingDeletionReasons,
  type SourceTurn,
  sourceKinds,
  sourceStatuses,
  studyRoles,
  withdrawalChoices,
  workPackageCodes,
} from './contract.ts';

/*
 * The research workspace (issue 7). Every row carries the organisation that owns the study (where its researchers
 * hold their role): row-level security keeps studies to their organisation, and the study's team (below) to the
 * people on it. Participant identities live apart, in research_participant_contacts, for the study's leads only.
 */

export const researchStudies = pgTable(
  'research_studies',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    title: text('title').notNull(),
    question: text('question').notNull(),
    ethicsReference: text('ethics_reference'),
    funder: text('funder'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    initialProgrammeTheory: text('initial_programme_theory'),
    /** Recordings are deleted this many months after the study ends (or at once on withdrawal). */
    audioRetentionMonths: integer('audio_retention_months').notNull(),
    /** Whether a transcript's text before de-identification is kept once redactions are accepted. */
    keepUnredactedText: boolean('keep_unredacted_text').notNull(),
    /** Coders see only their own codings until a lead compares them (blind parallel coding). */
    blindCoding: boolean('blind_coding').notNull().default(true),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('research_studies_org_idx').on(t.organisationId)],
);

export const researchWorkPackages = pgTable(
  'research_work_packages',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    code: text('code', { enum: workPackageCodes }).notNull(),
    title: text('title').notNull(),
    description: text('description'),
  },
  (t) => [uniqueIndex('research_work_packages_code_key').on(t.studyId, t.code)],
);

export const researchStudyMembers = pgTable(
  'research_study_members',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: studyRoles }).notNull(),
    addedBy: uuid('added_by')
      .notNull()
      .references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('research_study_members_key').on(t.studyId, t.userId),
    index('research_study_members_user_idx').on(t.userId),
  ],
);

export const researchSites = pgTable(
  'research_sites',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    name: text('name').notNull(),
    description: text('description'),
    /** The ICB or PCN the site covers, where it matches one. */
    linkedOrganisationId: uuid('linked_organisation_id').references(() => organisations.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('research_sites_name_key').on(t.studyId, t.name)],
);

export const researchCases = pgTable(
  'research_cases',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    siteId: uuid('site_id')
      .notNull()
      .references(() => researchSites.id),
    label: text('label').notNull(),
    /** The link worker studied, and the PCN whose context history describes their role. */
    linkWorkerId: uuid('link_worker_id').references(() => users.id),
    linkWorkerOrganisationId: uuid('link_worker_organisation_id').references(() => organisations.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('research_cases_label_key').on(t.studyId, t.label),
    index('research_cases_site_idx').on(t.siteId),
  ],
);

export const researchParticipants = pgTable(
  'research_participants',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    caseId: uuid('case_id').references(() => researchCases.id),
    /** The pseudonym everyone on the team sees, like C3-GP-02. */
    studyCode: text('study_code').notNull(),
    role: text('role', { enum: participantRoles }).notNull(),
    withdrawnOn: date('withdrawn_on', { mode: 'string' }),
    withdrawalChoice: text('withdrawal_choice', { enum: withdrawalChoices }),
    withdrawalReason: text('withdrawal_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('research_participants_code_key').on(t.studyId, t.studyCode),
    index('research_participants_case_idx').on(t.caseId),
  ],
);

/** Who a participant is: only the study's leads read or write these. */
export const researchParticipantContacts = pgTable('research_participant_contacts', {
  participantId: uuid('participant_id')
    .primaryKey()
    .references(() => researchParticipants.id),
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id),
  name: text('name'),
  email: text('email'),
  phone: text('phone'),
  notes: text('notes'),
  /** A patient participant's pathway record, linked only with their consent (scope pathway_record). */
  pathwayPersonId: uuid('pathway_person_id').references(() => people.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Consent as recorded on a form; a new form version is a new row, the latest counts. */
export const researchConsents = pgTable(
  'research_consents',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => researchParticipants.id),
    formVersion: text('form_version').notNull(),
    consentedOn: date('consented_on', { mode: 'string' }).notNull(),
    interview: boolean('interview').notNull(),
    audioRecording: boolean('audio_recording').notNull(),
    anonymisedQuotes: boolean('anonymised_quotes').notNull(),
    futureContact: boolean('future_contact').notNull(),
    pathwayRecord: boolean('pathway_record').notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('research_consents_participant_idx').on(t.participantId, t.consentedOn)],
);

/** Interviews and observations, planned and held. */
export const researchCollections = pgTable(
  'research_collections',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    participantId: uuid('participant_id').references(() => researchParticipants.id),
    caseId: uuid('case_id').references(() => researchCases.id),
    kind: text('kind', { enum: collectionKinds }).notNull(),
    workPackage: text('work_package', { enum: workPackageCodes }).notNull(),
    mode: text('mode', { enum: collectionModes }).notNull(),
    scheduledOn: date('scheduled_on', { mode: 'string' }).notNull(),
    heldOn: date('held_on', { mode: 'string' }),
    status: text('status', { enum: collectionStatuses }).notNull(),
    researcherId: uuid('researcher_id').references(() => users.id),
    topicGuideVersion: text('topic_guide_version'),
    /** A WP2 follow-up interview points at the WP1 interview it follows. */
    followUpOf: uuid('follow_up_of'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('research_collections_study_idx').on(t.studyId, t.scheduledOn),
    index('research_collections_participant_idx').on(t.participantId),
  ],
);

// ---------------------------------------------------------------------------------------------------------------
// Sources, codebook, codings and memos. Positions are Unicode code point offsets into a source's text, [start, end).

/** A transcript or document: its normalised text and speaker turns; coded only once it is de-identified. */
export const researchSources = pgTable(
  'research_sources',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: sourceKinds }).notNull(),
    fileName: text('file_name').notNull(),
    participantId: uuid('participant_id').references(() => researchParticipants.id),
    caseId: uuid('case_id').references(() => researchCases.id),
    collectionId: uuid('collection_id').references(() => researchCollections.id),
    workPackage: text('work_package', { enum: workPackageCodes }),
    text: text('text').notNull(),
    turns: jsonb('turns').$type<SourceTurn[]>().notNull(),
    length: integer('length').notNull(),
    status: text('status', { enum: sourceStatuses }).notNull(),
    /** The text as uploaded, kept after de-identification only when the study allows it. */
    unredactedText: text('unredacted_text'),
    /** The accepted redactions, in offsets of the text as uploaded (kinds and lengths; never the words). */
    redactions: jsonb('redactions').$type<{ start: number; end: number; replacement: string }[]>().notNull(),
    warnings: jsonb('warnings').$type<string[]>().notNull(),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
    deidentifiedBy: uuid('deidentified_by').references(() => users.id),
    deidentifiedAt: timestamp('deidentified_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('research_sources_study_idx').on(t.studyId, t.name),
    index('research_sources_participant_idx').on(t.participantId),
  ],
);

/** The study's codebook: a hierarchy of codes with definitions. */
export const researchCodes = pgTable(
  'research_codes',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    parentId: uuid('parent_id'),
    name: text('name').notNull(),
    definition: text('definition'),
    whenToUse: text('when_to_use'),
    whenNotToUse: text('when_not_to_use'),
    /** #RRGGBB */
    colour: text('colour').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('research_codes_study_idx').on(t.studyId, t.parentId)],
);

/** A code applied to a span of a source by a coder. */
export const researchCodings = pgTable(
  'research_codings',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => researchSources.id),
    codeId: uuid('code_id')
      .notNull()
      .references(() => researchCodes.id),
    coderId: uuid('coder_id')
      .notNull()
      .references(() => users.id),
    startOffset: integer('start_offset').notNull(),
    endOffset: integer('end_offset').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('research_codings_source_idx').on(t.sourceId, t.coderId, t.startOffset),
    index('research_codings_code_idx').on(t.codeId, t.sourceId),
    // Agreement and the matrix read one study's codings by coder.
    index('research_codings_study_coder_idx').on(t.studyId, t.coderId),
  ],
);

/** Memos on the study, a case, a source, a code or a coding. */
export const researchMemos = pgTable(
  'research_memos',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    targetType: text('target_type', { enum: memoTargets }).notNull(),
    /** The case, source, code or coding; the study itself when the target is the study. */
    targetId: uuid('target_id').notNull(),
    text: text('text').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('research_memos_target_idx').on(t.studyId, t.targetType, t.targetId)],
);

// ---------------------------------------------------------------------------------------------------------------
// Realist analysis

/**
 * A context–mechanism–outcome configuration. Refining one makes a new version in the same lineage (refinedFrom,
 * reason); the programme theory is every lineage's latest version, and the versions are its history.
 */
export const researchCmocs = pgTable(
  'research_cmocs',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    /** The first version's id: every version of one configuration shares it. */
    lineageId: uuid('lineage_id').notNull(),
    /** 1 for a configuration of the initial programme theory (or first proposed), then 2, 3 … as it is refined. */
    lineageVersion: integer('lineage_version').notNull(),
    /** CMOC 1, CMOC 2 … in the study, kept by its versions. */
    number: integer('number').notNull(),
    title: text('title').notNull(),
    contexts: jsonb('contexts').$type<string[]>().notNull(),
    mechanismResource: text('mechanism_resource').notNull(),
    mechanismResponse: text('mechanism_response').notNull(),
    outcome: text('outcome').notNull(),
    intervention: text('intervention'),
    actor: text('actor'),
    statement: text('statement').notNull(),
    status: text('status', { enum: cmocStatuses }).notNull(),
    confidence: text('confidence', { enum: confidenceLevels }),
    memo: text('memo'),
    /** Part of the initial programme theory (seeded when the study was set up). */
    initial: boolean('initial').notNull(),
    refinedFrom: uuid('refined_from'),
    refineReason: text('refine_reason'),
    /** Set on a version once a newer one refines it. */
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('research_cmocs_study_idx').on(t.studyId, t.number, t.lineageVersion),
    uniqueIndex('research_cmocs_lineage_key').on(t.lineageId, t.lineageVersion),
  ],
);

/** A stretch of a source that supports, refutes or refines a configuration. */
export const researchCmocEvidence = pgTable(
  'research_cmoc_evidence',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    cmocId: uuid('cmoc_id')
      .notNull()
      .references(() => researchCmocs.id),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => researchSources.id),
    startOffset: integer('start_offset').notNull(),
    endOffset: integer('end_offset').notNull(),
    codingId: uuid('coding_id'),
    stance: text('stance', { enum: evidenceStances }).notNull(),
    note: text('note'),
    addedBy: uuid('added_by')
      .notNull()
      .references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('research_cmoc_evidence_cmoc_idx').on(t.cmocId),
    index('research_cmoc_evidence_source_idx').on(t.sourceId),
  ],
);

/** The RAMESES II reporting checklist: each of the 20 items, reported or not, and where. */
export const researchRamesesItems = pgTable(
  'research_rameses_items',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    item: integer('item').notNull(),
    reported: text('reported', { enum: ramesesAnswers }).notNull(),
    /** Where the evidence is: a page of Linkwork or a section of the report. */
    location: text('location'),
    note: text('note'),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('research_rameses_items_key').on(t.studyId, t.item)],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * Audio of an interview, kept only with the participant's consent to recording, seen only by the study's leads and
 * transcribers, and deleted (the bytes, not the record of them) on the study's retention date or on withdrawal.
 */
export const researchRecordings = pgTable(
  'research_recordings',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => researchStudies.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => researchParticipants.id),
    collectionId: uuid('collection_id').references(() => researchCollections.id),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** Null once deleted. */
    content: bytea('content'),
    /** The study's end plus its retention months, when it was uploaded. */
    deleteOn: date('delete_on', { mode: 'string' }).notNull(),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedReason: text('deleted_reason', { enum: recordingDeletionReasons }),
    deletedBy: uuid('deleted_by').references(() => users.id),
  },
  (t) => [
    index('research_recordings_study_idx').on(t.studyId, t.uploadedAt),
    index('research_recordings_due_idx').on(t.deleteOn).where(sql`content is not null`),
  ],
);
