import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, inScope } from '../../platform/actor.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { addDays, addMonths, londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { usersHoldingRole } from '../identity/users.ts';
import { contextsAsOf } from '../link-workers/service.ts';
import {
  type ConsentScope,
  type caseInput,
  type collectionInput,
  type collectionUpdate,
  type consentInput,
  type memberInput,
  type ParticipantRole,
  type participantInput,
  participantRoleCodes,
  type StudyInput,
  type StudyRole,
  type siteInput,
  type withdrawalInput,
} from './contract.ts';
import { seedInitialCmocs } from './realist.ts';
import { deleteRecordingsOfParticipant } from './recordings.ts';
import {
  researchCases,
  researchCollections,
  researchConsents,
  researchParticipantContacts,
  researchParticipants,
  researchSites,
  researchStudies,
  researchStudyMembers,
  researchWorkPackages,
} from './schema.ts';

/*
 * The research workspace's studies, team, sites, cases, participants, consent and data collection (issue 7).
 *
 * Who may do what, checked on every call: researchers (the identity role) at an organisation start studies there;
 * inside a study only its team counts — leads run it (team, study details, who participants are, withdrawals),
 * researchers add sites, cases, participants, consent and interviews, coders and read-only members read. Anyone
 * not on the team is told the study does not exist. Every read of participant data is audited.
 */

type Study = typeof researchStudies.$inferSelect;
export type Need = 'read' | 'write' | 'lead' | 'transcribe' | 'recordings';

const allowed: Record<Need, StudyRole[]> = {
  read: ['lead', 'researcher', 'coder', 'transcriber', 'read_only'],
  write: ['lead', 'researcher'],
  lead: ['lead'],
  /** Uploading transcripts and documents. */
  transcribe: ['lead', 'researcher', 'transcriber'],
  /** Audio recordings: the study's leads and transcribers only. */
  recordings: ['lead', 'transcriber'],
};

const notFoundStudy = () => new NotFoundError('There is no study with this id that you are on the team of.');

/** The study and the actor's part in it, when the actor may do what is needed; otherwise a 404 or 403. */
export async function studyFor(
  tx: Db,
  actor: Actor,
  studyId: string,
  need: Need,
): Promise<{ study: Study; role: StudyRole }> {
  assertRole(actor, 'researcher');
  const [row] = await tx
    .select({ study: researchStudies, role: researchStudyMembers.role })
    .from(researchStudies)
    .innerJoin(
      researchStudyMembers,
      and(
        eq(researchStudyMembers.studyId, researchStudies.id),
        eq(researchStudyMembers.userId, actor.userId),
      ),
    )
    .where(eq(researchStudies.id, studyId));
  if (!row || !inScope(actor, row.study.organisationId)) throw notFoundStudy();
  if (!allowed[need].includes(row.role)) {
    throw new ForbiddenError(
      need === 'lead'
        ? 'Only the study’s leads can do this.'
        : need === 'recordings'
          ? 'Only the study’s leads and transcribers work with audio recordings.'
          : need === 'transcribe'
            ? 'Only the study’s leads, researchers and transcribers add sources.'
            : 'Coders, transcribers and read-only members can read this study but not change it.',
    );
  }
  return { study: row.study, role: row.role };
}

function studyView(s: Study) {
  return {
    id: s.id,
    organisationId: s.organisationId,
    title: s.title,
    question: s.question,
    ethicsReference: s.ethicsReference,
    funder: s.funder,
    startsOn: s.startsOn,
    endsOn: s.endsOn,
    initialProgrammeTheory: s.initialProgrammeTheory,
    audioRetentionMonths: s.audioRetentionMonths,
    keepUnredactedText: s.keepUnredactedText,
    blindCoding: s.blindCoding,
    version: s.version,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Studies and their team

export async function listStudies(tx: Db, actor: Actor) {
  assertRole(actor, 'researcher');
  const rows = await tx
    .select({ study: researchStudies, role: researchStudyMembers.role })
    .from(researchStudies)
    .innerJoin(
      researchStudyMembers,
      and(
        eq(researchStudyMembers.studyId, researchStudies.id),
        eq(researchStudyMembers.userId, actor.userId),
      ),
    )
    .where(inArray(researchStudies.organisationId, actor.scopeOrganisationIds))
    .orderBy(desc(researchStudies.startsOn), asc(researchStudies.title));
  return rows.map((r) => ({ ...studyView(r.study), myRole: r.role }));
}

export async function createStudy(tx: Db, actor: Actor, input: StudyInput) {
  assertRole(actor, 'researcher');
  const id = newId();
  const organisationId = actor.actingOrganisationId!;
  await tx.insert(researchStudies).values({
    id,
    organisationId,
    title: input.title,
    question: input.question,
    ethicsReference: input.ethicsReference,
    funder: input.funder,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    initialProgrammeTheory: input.initialProgrammeTheory,
    audioRetentionMonths: input.audioRetentionMonths,
    keepUnredactedText: input.keepUnredactedText,
    blindCoding: input.blindCoding,
    createdBy: actor.userId,
    createdAt: actor.now,
    updatedAt: actor.now,
  });
  if (input.workPackages.length) {
    await tx
      .insert(researchWorkPackages)
      .values(input.workPackages.map((w) => ({ id: newId(), organisationId, studyId: id, ...w })));
  }
  await tx.insert(researchStudyMembers).values({
    organisationId,
    studyId: id,
    userId: actor.userId,
    role: 'lead',
    addedBy: actor.userId,
    addedAt: actor.now,
  });
  await seedInitialCmocs(tx, actor, id, organisationId, input.initialCmocs);
  await recordAudit(tx, actor, {
    action: 'research.study.created',
    recordType: 'study',
    recordIds: [id],
    detail: { initialCmocs: input.initialCmocs.length },
  });
  return getStudy(tx, actor, id, { audit: false });
}

export async function updateStudy(
  tx: Db,
  actor: Actor,
  studyId: string,
  input: StudyInput & { version: number },
) {
  const { study } = await studyFor(tx, actor, studyId, 'lead');
  if (input.initialCmocs.length) {
    throw new ValidationError(
      'The initial programme theory is set up once: add configurations to the theory now',
      {
        field: 'initialCmocs',
      },
    );
  }
  const updated = await tx
    .update(researchStudies)
    .set({
      title: input.title,
      question: input.question,
      ethicsReference: input.ethicsReference,
      funder: input.funder,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      initialProgrammeTheory: input.initialProgrammeTheory,
      audioRetentionMonths: input.audioRetentionMonths,
      keepUnredactedText: input.keepUnredactedText,
      blindCoding: input.blindCoding,
      updatedAt: actor.now,
      version: sql`${researchStudies.version} + 1`,
    })
    .where(and(eq(researchStudies.id, studyId), eq(researchStudies.version, input.version)))
    .returning({ id: researchStudies.id });
  if (updated.length === 0) throw new VersionConflictError('study', study.version);
  // Work packages: the ones given, by code; a package with data collected in it stays.
  const given = new Set(input.workPackages.map((w) => w.code));
  const existing = await tx
    .select()
    .from(researchWorkPackages)
    .where(eq(researchWorkPackages.studyId, studyId));
  for (const w of existing.filter((e) => !given.has(e.code))) {
    const [used] = await tx
      .select({ id: researchCollections.id })
      .from(researchCollections)
      .where(and(eq(researchCollections.studyId, studyId), eq(researchCollections.workPackage, w.code)))
      .limit(1);
    if (used) {
      throw new ConflictError(
        `${w.code} has interviews or observations recorded in it, so it cannot be removed.`,
      );
    }
    await tx.delete(researchWorkPackages).where(eq(researchWorkPackages.id, w.id));
  }
  for (const w of input.workPackages) {
    await tx
      .insert(researchWorkPackages)
      .values({ id: newId(), organisationId: study.organisationId, studyId, ...w })
      .onConflictDoUpdate({
        target: [researchWorkPackages.studyId, researchWorkPackages.code],
        set: { title: w.title, description: w.description },
      });
  }
  await recordAudit(tx, actor, {
    action: 'research.study.updated',
    recordType: 'study',
    recordIds: [studyId],
  });
  return getStudy(tx, actor, studyId, { audit: false });
}

/** A study with its work packages, team, sites and cases (each case's link worker context as it was). */
export async function getStudy(tx: Db, actor: Actor, studyId: string, opts: { audit?: boolean } = {}) {
  const { study, role } = await studyFor(tx, actor, studyId, 'read');
  const [workPackages, members, sites, cases, counts] = await Promise.all([
    tx
      .select()
      .from(researchWorkPackages)
      .where(eq(researchWorkPackages.studyId, studyId))
      .orderBy(researchWorkPackages.code),
    rowsOf<{ user_id: string; name: string; role: StudyRole }>(
      await tx.execute(sql`
        select m.user_id, u.name, m.role from research_study_members m join users u on u.id = m.user_id
        where m.study_id = ${studyId} order by array_position(array['lead','researcher','coder','read_only'], m.role), u.name`),
    ),
    rowsOf<{
      id: string;
      name: string;
      description: string | null;
      linked_organisation_id: string | null;
      linked_organisation_name: string | null;
    }>(
      await tx.execute(sql`
        select s.id, s.name, s.description, s.linked_organisation_id, o.name as linked_organisation_name
        from research_sites s left join organisations o on o.id = s.linked_organisation_id
        where s.study_id = ${studyId} order by s.name`),
    ),
    rowsOf<{
      id: string;
      site_id: string;
      label: string;
      link_worker_id: string | null;
      link_worker_name: string | null;
      link_worker_organisation_id: string | null;
      link_worker_organisation_name: string | null;
      starts_on: string;
      ends_on: string;
      description: string | null;
    }>(
      await tx.execute(sql`
        select c.id, c.site_id, c.label, c.link_worker_id, u.name as link_worker_name, c.link_worker_organisation_id,
          o.name as link_worker_organisation_name, c.starts_on::text, c.ends_on::text, c.description
        from research_cases c
        left join users u on u.id = c.link_worker_id
        left join organisations o on o.id = c.link_worker_organisation_id
        where c.study_id = ${studyId} order by c.label`),
    ),
    rowsOf<{ case_id: string | null; participants: number }>(
      await tx.execute(sql`
        select case_id, count(*)::int as participants from research_participants
        where study_id = ${studyId} group by case_id`),
    ),
  ]);
  const contexts = await caseContexts(tx, cases);
  if (opts.audit !== false) {
    await recordAudit(tx, actor, {
      action: 'research.study.read',
      recordType: 'study',
      recordIds: [studyId],
    });
  }
  return {
    ...studyView(study),
    myRole: role,
    workPackages: workPackages.map((w) => ({ code: w.code, title: w.title, description: w.description })),
    members: members.map((m) => ({ userId: m.user_id, name: m.name, role: m.role })),
    sites: sites.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      organisationId: s.linked_organisation_id,
      organisationName: s.linked_organisation_name,
    })),
    cases: cases.map((c) => ({
      id: c.id,
      siteId: c.site_id,
      label: c.label,
      linkWorkerId: c.link_worker_id,
      linkWorkerName: c.link_worker_name,
      linkWorkerOrganisationId: c.link_worker_organisation_id,
      linkWorkerOrganisationName: c.link_worker_organisation_name,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      description: c.description,
      participants: counts.find((n) => n.case_id === c.id)?.participants ?? 0,
      ...contexts.get(c.id),
    })),
    participantsWithoutCase: counts.find((n) => n.case_id === null)?.participants ?? 0,
  };
}

/**
 * Each case's link worker context as it was when the case began, and the one in force when it ended if the
 * role changed during the case (from the link worker's context history at their PCN).
 */
async function caseContexts(
  tx: Db,
  cases: {
    id: string;
    link_worker_id: string | null;
    link_worker_organisation_id: string | null;
    starts_on: string;
    ends_on: string;
  }[],
) {
  const out = new Map<string, { contextAtStart: unknown; contextAtEnd: unknown }>();
  for (const c of cases) {
    if (!c.link_worker_id || !c.link_worker_organisation_id) continue;
    const pcn = [c.link_worker_organisation_id];
    const atStart =
      (await contextsAsOf(tx, [c.link_worker_id], c.starts_on, pcn)).get(c.link_worker_id) ?? null;
    const changed = atStart?.effectiveTo && atStart.effectiveTo < c.ends_on;
    const atEnd = changed
      ? ((await contextsAsOf(tx, [c.link_worker_id], c.ends_on, pcn)).get(c.link_worker_id) ?? null)
      : atStart;
    out.set(c.id, { contextAtStart: atStart, contextAtEnd: atEnd });
  }
  return out;
}

/** Researchers at the study's organisation, who can be put on its team. */
export async function teamCandidates(tx: Db, actor: Actor, studyId: string) {
  const { study } = await studyFor(tx, actor, studyId, 'lead');
  const people = await usersHoldingRole(tx, 'researcher', [study.organisationId]);
  return people.map((p) => ({ id: p.id, name: p.name, email: p.email }));
}

export async function setMember(tx: Db, actor: Actor, studyId: string, input: z.infer<typeof memberInput>) {
  const { study } = await studyFor(tx, actor, studyId, 'lead');
  const candidates = await usersHoldingRole(tx, 'researcher', [study.organisationId]);
  if (!candidates.some((c) => c.id === input.userId)) {
    throw new ValidationError('Choose someone who holds the researcher role at the study’s organisation', {
      field: 'userId',
    });
  }
  if (input.userId === actor.userId && input.role !== 'lead')
    await assertAnotherLead(tx, studyId, actor.userId);
  await tx
    .insert(researchStudyMembers)
    .values({
      organisationId: study.organisationId,
      studyId,
      userId: input.userId,
      role: input.role,
      addedBy: actor.userId,
      addedAt: actor.now,
    })
    .onConflictDoUpdate({
      target: [researchStudyMembers.studyId, researchStudyMembers.userId],
      set: { role: input.role },
    });
  await recordAudit(tx, actor, {
    action: 'research.team.member_set',
    recordType: 'study',
    recordIds: [studyId],
    detail: { userId: input.userId, role: input.role },
  });
  return getStudy(tx, actor, studyId, { audit: false });
}

export async function removeMember(tx: Db, actor: Actor, studyId: string, userId: string) {
  await studyFor(tx, actor, studyId, 'lead');
  const [member] = await tx
    .select()
    .from(researchStudyMembers)
    .where(and(eq(researchStudyMembers.studyId, studyId), eq(researchStudyMembers.userId, userId)));
  if (!member) throw new NotFoundError('This person is not on the study’s team.');
  if (member.role === 'lead') await assertAnotherLead(tx, studyId, userId);
  await tx
    .delete(researchStudyMembers)
    .where(and(eq(researchStudyMembers.studyId, studyId), eq(researchStudyMembers.userId, userId)));
  await recordAudit(tx, actor, {
    action: 'research.team.member_removed',
    recordType: 'study',
    recordIds: [studyId],
    detail: { userId },
  });
  return getStudy(tx, actor, studyId, { audit: false });
}

async function assertAnotherLead(tx: Db, studyId: string, userId: string) {
  const leads = await tx
    .select({ userId: researchStudyMembers.userId })
    .from(researchStudyMembers)
    .where(and(eq(researchStudyMembers.studyId, studyId), eq(researchStudyMembers.role, 'lead')));
  if (!leads.some((l) => l.userId !== userId)) {
    throw new ConflictError('A study needs at least one lead: make someone else a lead first.');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sites and cases

export async function addSite(tx: Db, actor: Actor, studyId: string, input: z.infer<typeof siteInput>) {
  const { study } = await studyFor(tx, actor, studyId, 'write');
  if (input.organisationId && !inScope(actor, input.organisationId)) {
    throw new ValidationError('Choose an organisation within yours', { field: 'organisationId' });
  }
  const id = newId();
  const [clash] = await tx
    .select({ id: researchSites.id })
    .from(researchSites)
    .where(and(eq(researchSites.studyId, studyId), eq(researchSites.name, input.name)));
  if (clash)
    throw new ValidationError(`The study already has a site called ${input.name}`, { field: 'name' });
  await tx.insert(researchSites).values({
    id,
    organisationId: study.organisationId,
    studyId,
    name: input.name,
    description: input.description,
    linkedOrganisationId: input.organisationId,
    createdAt: actor.now,
  });
  await recordAudit(tx, actor, { action: 'research.site.added', recordType: 'study', recordIds: [studyId] });
  return { id };
}

/** Link workers in the study organisation's PCNs, who can be a case. */
export async function caseCandidates(tx: Db, actor: Actor, studyId: string) {
  const { study } = await studyFor(tx, actor, studyId, 'write');
  const below = actor.scopeOrganisationIds.includes(study.organisationId) ? actor.scopeOrganisationIds : [];
  const people = await usersHoldingRole(tx, 'link_worker', below);
  return people.map((p) => ({
    id: p.id,
    name: p.name,
    organisationId: p.organisationId,
    organisationName: p.organisationName,
  }));
}

export async function addCase(tx: Db, actor: Actor, studyId: string, input: z.infer<typeof caseInput>) {
  const { study } = await studyFor(tx, actor, studyId, 'write');
  const [site] = await tx
    .select({ id: researchSites.id })
    .from(researchSites)
    .where(and(eq(researchSites.id, input.siteId), eq(researchSites.studyId, studyId)));
  if (!site) throw new ValidationError('Choose a site of this study', { field: 'siteId' });
  if (input.linkWorkerId) {
    const candidates = await caseCandidates(tx, actor, studyId);
    if (
      !candidates.some(
        (c) => c.id === input.linkWorkerId && c.organisationId === input.linkWorkerOrganisationId,
      )
    ) {
      throw new ValidationError('Choose a link worker who works at that PCN, within your organisation', {
        field: 'linkWorkerId',
      });
    }
  }
  const [clash] = await tx
    .select({ id: researchCases.id })
    .from(researchCases)
    .where(and(eq(researchCases.studyId, studyId), eq(researchCases.label, input.label)));
  if (clash) throw new ValidationError(`The study already has a case ${input.label}`, { field: 'label' });
  const id = newId();
  // A case is studied for 3 months unless the study says otherwise.
  const endsOn = input.endsOn ?? addDays(addMonths(input.startsOn, 3), -1);
  await tx.insert(researchCases).values({
    id,
    organisationId: study.organisationId,
    studyId,
    siteId: input.siteId,
    label: input.label,
    linkWorkerId: input.linkWorkerId,
    linkWorkerOrganisationId: input.linkWorkerOrganisationId,
    startsOn: input.startsOn,
    endsOn,
    description: input.description,
    createdAt: actor.now,
  });
  await recordAudit(tx, actor, { action: 'research.case.added', recordType: 'study', recordIds: [studyId] });
  return { id, endsOn };
}

// ---------------------------------------------------------------------------------------------------------------
// Participants

type Participant = typeof researchParticipants.$inferSelect;
type Consent = typeof researchConsents.$inferSelect;

const scopeColumns: Record<ConsentScope, keyof Consent> = {
  interview: 'interview',
  audio_recording: 'audioRecording',
  anonymised_quotes: 'anonymisedQuotes',
  future_contact: 'futureContact',
  pathway_record: 'pathwayRecord',
};

function consentView(c: Consent) {
  return {
    id: c.id,
    formVersion: c.formVersion,
    consentedOn: c.consentedOn,
    scopes: (Object.keys(scopeColumns) as ConsentScope[]).filter((s) => c[scopeColumns[s]] === true),
    recordedAt: c.recordedAt.toISOString(),
  };
}

/** The latest consent of each participant (by date, then when it was recorded). */
async function latestConsents(tx: Db, participantIds: string[]): Promise<Map<string, Consent>> {
  if (participantIds.length === 0) return new Map();
  const rows = await tx
    .selectDistinctOn([researchConsents.participantId])
    .from(researchConsents)
    .where(inArray(researchConsents.participantId, participantIds))
    .orderBy(
      researchConsents.participantId,
      desc(researchConsents.consentedOn),
      desc(researchConsents.recordedAt),
      desc(researchConsents.id),
    );
  return new Map(rows.map((r) => [r.participantId, r]));
}

function participantView(p: Participant, caseLabel: string | null, consent: Consent | undefined) {
  return {
    id: p.id,
    studyCode: p.studyCode,
    role: p.role,
    caseId: p.caseId,
    caseLabel,
    withdrawnOn: p.withdrawnOn,
    withdrawalChoice: p.withdrawalChoice,
    consent: consent ? consentView(consent) : null,
    version: p.version,
  };
}

export async function listParticipants(tx: Db, actor: Actor, studyId: string) {
  await studyFor(tx, actor, studyId, 'read');
  const rows = await tx
    .select({ p: researchParticipants, caseLabel: researchCases.label })
    .from(researchParticipants)
    .leftJoin(researchCases, eq(researchCases.id, researchParticipants.caseId))
    .where(eq(researchParticipants.studyId, studyId))
    .orderBy(researchParticipants.studyCode);
  const consents = await latestConsents(
    tx,
    rows.map((r) => r.p.id),
  );
  if (rows.length) {
    await recordAudit(tx, actor, {
      action: 'research.participants.listed',
      recordType: 'research_participant',
      recordIds: rows.map((r) => r.p.id),
    });
  }
  return rows.map((r) => participantView(r.p, r.caseLabel, consents.get(r.p.id)));
}

/**
 * The study a record (source, code, participant, configuration …) belongs to, for someone on its team with what
 * they need to do. A record of a study they are not on is as missing as one that does not exist: the same 404,
 * naming the record rather than the study. Callers check the role before looking the record up, so that someone
 * without it gets 403 whether or not the id exists.
 */
export async function studyOfRecord<R extends { studyId: string }>(
  tx: Db,
  actor: Actor,
  record: R | undefined,
  need: Need,
  what: string,
): Promise<{ record: R; study: Study; role: StudyRole }> {
  const missing = () => new NotFoundError(`There is no ${what} with this id in a study you are on.`);
  if (!record) throw missing();
  const access = await studyFor(tx, actor, record.studyId, need).catch((err) => {
    throw err instanceof NotFoundError ? missing() : err;
  });
  return { record, ...access };
}

/** A participant of a study the actor is on, with what they need done. */
async function participantFor(tx: Db, actor: Actor, participantId: string, need: Need) {
  assertRole(actor, 'researcher');
  const [p] = await tx.select().from(researchParticipants).where(eq(researchParticipants.id, participantId));
  const { record: participant, ...access } = await studyOfRecord(tx, actor, p, need, 'participant');
  return { participant, ...access };
}

/** The next free study ID for a case and role: C3-GP-01, C3-GP-02 … (S- for a participant without a case). */
async function nextStudyCode(tx: Db, studyId: string, caseLabel: string | null, role: ParticipantRole) {
  const prefix = `${caseLabel ?? 'S'}-${participantRoleCodes[role]}-`;
  const rows = await tx
    .select({ code: researchParticipants.studyCode })
    .from(researchParticipants)
    .where(
      and(
        eq(researchParticipants.studyId, studyId),
        sql`starts_with(${researchParticipants.studyCode}, ${prefix})`,
      ),
    );
  const used = rows.map((r) => Number(r.code.slice(prefix.length))).filter((n) => Number.isInteger(n));
  const next = (used.length ? Math.max(...used) : 0) + 1;
  return `${prefix}${String(next).padStart(2, '0')}`;
}

export async function addParticipant(
  tx: Db,
  actor: Actor,
  studyId: string,
  input: z.infer<typeof participantInput>,
) {
  const { study, role } = await studyFor(tx, actor, studyId, 'write');
  if (input.contact && role !== 'lead') {
    throw new ForbiddenError(
      'Only the study’s leads record who a participant is. Leave the contact details out.',
    );
  }
  let caseLabel: string | null = null;
  if (input.caseId) {
    const [c] = await tx
      .select({ label: researchCases.label })
      .from(researchCases)
      .where(and(eq(researchCases.id, input.caseId), eq(researchCases.studyId, studyId)));
    if (!c) throw new ValidationError('Choose a case of this study', { field: 'caseId' });
    caseLabel = c.label;
  }
  // One study ID at a time per study: two people adding participants at once must not get the same one.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`research-codes:${studyId}`}, 0))`);
  const studyCode = await nextStudyCode(tx, studyId, caseLabel, input.role);
  const id = newId();
  await tx.insert(researchParticipants).values({
    id,
    organisationId: study.organisationId,
    studyId,
    caseId: input.caseId,
    studyCode,
    role: input.role,
    createdAt: actor.now,
  });
  if (input.contact) {
    await tx.insert(researchParticipantContacts).values({
      participantId: id,
      organisationId: study.organisationId,
      ...input.contact,
      updatedAt: actor.now,
    });
  }
  await recordAudit(tx, actor, {
    action: 'research.participant.added',
    recordType: 'research_participant',
    recordIds: [id],
    detail: { studyId, withContact: !!input.contact },
  });
  return { id, studyCode };
}

export async function getParticipant(tx: Db, actor: Actor, participantId: string) {
  const { participant: p, role } = await participantFor(tx, actor, participantId, 'read');
  const [caseRow] = p.caseId
    ? await tx
        .select({ label: researchCases.label })
        .from(researchCases)
        .where(eq(researchCases.id, p.caseId))
    : [];
  const consents = await tx
    .select()
    .from(researchConsents)
    .where(eq(researchConsents.participantId, p.id))
    .orderBy(
      desc(researchConsents.consentedOn),
      desc(researchConsents.recordedAt),
      desc(researchConsents.id),
    );
  const collections = await collectionsWhere(tx, eq(researchCollections.participantId, p.id));
  let contact = null;
  if (role === 'lead') {
    const [c] = await tx
      .select()
      .from(researchParticipantContacts)
      .where(eq(researchParticipantContacts.participantId, p.id));
    contact = c
      ? { name: c.name, email: c.email, phone: c.phone, notes: c.notes, pathwayPersonId: c.pathwayPersonId }
      : null;
  }
  await recordAudit(tx, actor, {
    action: contact ? 'research.participant.read_identifiable' : 'research.participant.read',
    recordType: 'research_participant',
    recordIds: [p.id],
  });
  return {
    ...participantView(p, caseRow?.label ?? null, consents[0]),
    withdrawalReason: p.withdrawalReason,
    consents: consents.map(consentView),
    collections,
    contact,
    identifiableVisible: role === 'lead',
  };
}

export async function recordConsent(
  tx: Db,
  actor: Actor,
  participantId: string,
  input: z.infer<typeof consentInput>,
) {
  const { participant: p, role, study } = await participantFor(tx, actor, participantId, 'write');
  if (p.withdrawnOn)
    throw new ConflictError(`${p.studyCode} withdrew on ${p.withdrawnOn}: record no more consent.`);
  const scopes = new Set(input.scopes);
  if (input.pathwayPersonId) {
    if (role !== 'lead') {
      throw new ForbiddenError(
        'Only the study’s leads link a participant to their social prescribing record.',
      );
    }
    if (p.role !== 'patient') {
      throw new ValidationError('Only a patient participant can be linked to a social prescribing record', {
        field: 'pathwayPersonId',
      });
    }
    if (!scopes.has('pathway_record')) {
      throw new ValidationError(
        'Link their social prescribing record only when they agreed to it: tick that on the consent',
        { field: 'pathwayPersonId' },
      );
    }
    const [person] = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from people where id = ${input.pathwayPersonId}
        and organisation_id = any(${sql.param(actor.scopeOrganisationIds)}::uuid[])`),
    );
    if (!person) {
      throw new ValidationError('There is no such person’s record within your organisation', {
        field: 'pathwayPersonId',
      });
    }
  }
  const id = newId();
  await tx.insert(researchConsents).values({
    id,
    organisationId: study.organisationId,
    participantId,
    formVersion: input.formVersion,
    consentedOn: input.consentedOn,
    interview: scopes.has('interview'),
    audioRecording: scopes.has('audio_recording'),
    anonymisedQuotes: scopes.has('anonymised_quotes'),
    futureContact: scopes.has('future_contact'),
    pathwayRecord: scopes.has('pathway_record'),
    recordedBy: actor.userId,
    recordedAt: actor.now,
  });
  // Without consent to it, no link to the pathway record stays.
  if (input.pathwayPersonId || !scopes.has('pathway_record')) {
    await tx
      .insert(researchParticipantContacts)
      .values({
        participantId,
        organisationId: study.organisationId,
        pathwayPersonId: input.pathwayPersonId,
        updatedAt: actor.now,
      })
      .onConflictDoUpdate({
        target: researchParticipantContacts.participantId,
        set: { pathwayPersonId: input.pathwayPersonId, updatedAt: actor.now },
      });
  }
  await recordAudit(tx, actor, {
    action: 'research.consent.recorded',
    recordType: 'research_participant',
    recordIds: [participantId],
    detail: { formVersion: input.formVersion, scopes: [...scopes], linkedToPathway: !!input.pathwayPersonId },
  });
  return getParticipant(tx, actor, participantId);
}

export async function updateContact(
  tx: Db,
  actor: Actor,
  participantId: string,
  input: NonNullable<z.infer<typeof participantInput>['contact']>,
) {
  const { participant: p, study } = await participantFor(tx, actor, participantId, 'lead');
  if (p.withdrawnOn && p.withdrawalChoice === 'remove_data') {
    throw new ConflictError(`${p.studyCode} withdrew and asked for their data to be removed.`);
  }
  await tx
    .insert(researchParticipantContacts)
    .values({ participantId, organisationId: study.organisationId, ...input, updatedAt: actor.now })
    .onConflictDoUpdate({
      target: researchParticipantContacts.participantId,
      set: { ...input, updatedAt: actor.now },
    });
  await recordAudit(tx, actor, {
    action: 'research.participant.contact_updated',
    recordType: 'research_participant',
    recordIds: [participantId],
  });
  return getParticipant(tx, actor, participantId);
}

/**
 * A participant withdraws: nothing more is collected (planned interviews are cancelled). With "remove data",
 * who they are and everything collected from them goes; the audit record says what was removed, not what it said.
 */
export async function withdrawParticipant(
  tx: Db,
  actor: Actor,
  participantId: string,
  input: z.infer<typeof withdrawalInput> & { version: number },
) {
  const { participant: p } = await participantFor(tx, actor, participantId, 'lead');
  if (p.withdrawnOn) throw new ConflictError(`${p.studyCode} already withdrew on ${p.withdrawnOn}.`);
  const updated = await tx
    .update(researchParticipants)
    .set({
      withdrawnOn: input.withdrawnOn,
      withdrawalChoice: input.choice,
      withdrawalReason: input.reason,
      version: sql`${researchParticipants.version} + 1`,
    })
    .where(and(eq(researchParticipants.id, participantId), eq(researchParticipants.version, input.version)))
    .returning({ id: researchParticipants.id });
  if (updated.length === 0) throw new VersionConflictError('participant', p.version);
  const cancelled = await tx
    .update(researchCollections)
    .set({ status: 'cancelled', updatedAt: actor.now, version: sql`${researchCollections.version} + 1` })
    .where(
      and(eq(researchCollections.participantId, participantId), eq(researchCollections.status, 'planned')),
    )
    .returning({ id: researchCollections.id });
  const removed: Record<string, number> = { plannedCancelled: cancelled.length };
  // Recordings go on any withdrawal: a voice identifies its speaker.
  removed.recordings = await deleteRecordingsOfParticipant(tx, actor, participantId);
  if (input.choice === 'remove_data') {
    // Their transcripts go with everything that points into them: codings, memos on those, evidence.
    const sources = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from research_sources where participant_id = ${participantId}`),
    ).map((r) => r.id);
    if (sources.length) {
      const ids = sql.param(sources);
      await tx.execute(sql`delete from research_memos where (target_type = 'source' and target_id = any(${ids}::uuid[]))
        or (target_type = 'coding' and target_id in (select id from research_codings where source_id = any(${ids}::uuid[])))`);
      const evidence = rowsOf<{ n: number }>(
        await tx.execute(sql`with d as (delete from research_cmoc_evidence where source_id = any(${ids}::uuid[]) returning 1)
          select count(*)::int as n from d`),
      );
      const codings = rowsOf<{ n: number }>(
        await tx.execute(sql`with d as (delete from research_codings where source_id = any(${ids}::uuid[]) returning 1)
          select count(*)::int as n from d`),
      );
      await tx.execute(sql`delete from research_sources where id = any(${ids}::uuid[])`);
      removed.sources = sources.length;
      removed.codings = codings[0]?.n ?? 0;
      removed.evidence = evidence[0]?.n ?? 0;
    }
    const contacts = await tx
      .delete(researchParticipantContacts)
      .where(eq(researchParticipantContacts.participantId, participantId))
      .returning({ id: researchParticipantContacts.participantId });
    removed.contactDetails = contacts.length;
  }
  await recordAudit(tx, actor, {
    action: 'research.participant.withdrawn',
    recordType: 'research_participant',
    recordIds: [participantId],
    detail: { choice: input.choice, withdrawnOn: input.withdrawnOn, removed },
  });
  return getParticipant(tx, actor, participantId);
}

// ---------------------------------------------------------------------------------------------------------------
// Interviews and observations

async function collectionsWhere(tx: Db, where: ReturnType<typeof eq>) {
  const rows = await tx
    .select({
      c: researchCollections,
      participantCode: researchParticipants.studyCode,
      caseLabel: researchCases.label,
    })
    .from(researchCollections)
    .leftJoin(researchParticipants, eq(researchParticipants.id, researchCollections.participantId))
    .leftJoin(researchCases, eq(researchCases.id, researchCollections.caseId))
    .where(where)
    .orderBy(researchCollections.scheduledOn, researchCollections.createdAt);
  const researcherIds = [...new Set(rows.map((r) => r.c.researcherId).filter((x): x is string => !!x))];
  const names = new Map(
    researcherIds.length
      ? rowsOf<{ id: string; name: string }>(
          await tx.execute(
            sql`select id, name from users where id = any(${sql.param(researcherIds)}::uuid[])`,
          ),
        ).map((u) => [u.id, u.name])
      : [],
  );
  return rows.map((r) => ({
    id: r.c.id,
    participantId: r.c.participantId,
    participantCode: r.participantCode,
    caseId: r.c.caseId,
    caseLabel: r.caseLabel,
    kind: r.c.kind,
    workPackage: r.c.workPackage,
    mode: r.c.mode,
    scheduledOn: r.c.scheduledOn,
    heldOn: r.c.heldOn,
    status: r.c.status,
    researcherId: r.c.researcherId,
    researcherName: r.c.researcherId ? (names.get(r.c.researcherId) ?? null) : null,
    topicGuideVersion: r.c.topicGuideVersion,
    followUpOf: r.c.followUpOf,
    version: r.c.version,
  }));
}

export async function listCollections(tx: Db, actor: Actor, studyId: string) {
  await studyFor(tx, actor, studyId, 'read');
  return collectionsWhere(tx, eq(researchCollections.studyId, studyId));
}

export async function scheduleCollection(
  tx: Db,
  actor: Actor,
  studyId: string,
  input: z.infer<typeof collectionInput>,
) {
  const { study } = await studyFor(tx, actor, studyId, 'write');
  const wps = await tx
    .select({ code: researchWorkPackages.code })
    .from(researchWorkPackages)
    .where(eq(researchWorkPackages.studyId, studyId));
  if (!wps.some((w) => w.code === input.workPackage)) {
    throw new ValidationError(`The study has no ${input.workPackage}: add it to the study first`, {
      field: 'workPackage',
    });
  }
  if (input.kind === 'interview' && !input.participantId) {
    throw new ValidationError('Choose who is interviewed', { field: 'participantId' });
  }
  let caseId = input.caseId;
  if (input.participantId) {
    const [p] = await tx
      .select()
      .from(researchParticipants)
      .where(
        and(eq(researchParticipants.id, input.participantId), eq(researchParticipants.studyId, studyId)),
      );
    if (!p) throw new ValidationError('Choose a participant of this study', { field: 'participantId' });
    if (p.withdrawnOn) {
      throw new ConflictError(
        `${p.studyCode} withdrew from the study on ${p.withdrawnOn}: plan nothing more with them.`,
      );
    }
    caseId = caseId ?? p.caseId;
  }
  if (caseId) {
    const [c] = await tx
      .select({ id: researchCases.id })
      .from(researchCases)
      .where(and(eq(researchCases.id, caseId), eq(researchCases.studyId, studyId)));
    if (!c) throw new ValidationError('Choose a case of this study', { field: 'caseId' });
  }
  if (input.researcherId) {
    const [m] = await tx
      .select({ userId: researchStudyMembers.userId })
      .from(researchStudyMembers)
      .where(
        and(eq(researchStudyMembers.studyId, studyId), eq(researchStudyMembers.userId, input.researcherId)),
      );
    if (!m) throw new ValidationError('Choose a researcher on the study’s team', { field: 'researcherId' });
  }
  if (input.workPackage === 'WP2' && input.kind === 'interview') {
    await assertFollowUpAllowed(tx, studyId, input.participantId!, input.followUpOf);
  } else if (input.followUpOf) {
    throw new ValidationError('Only a WP2 interview follows up an earlier one', { field: 'followUpOf' });
  }
  const id = newId();
  await tx.insert(researchCollections).values({
    id,
    organisationId: study.organisationId,
    studyId,
    participantId: input.participantId,
    caseId,
    kind: input.kind,
    workPackage: input.workPackage,
    mode: input.mode,
    scheduledOn: input.scheduledOn,
    status: 'planned',
    researcherId: input.researcherId,
    topicGuideVersion: input.topicGuideVersion,
    followUpOf: input.followUpOf,
    createdAt: actor.now,
    updatedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'research.collection.planned',
    recordType: 'research_collection',
    recordIds: [id],
    detail: { studyId, kind: input.kind, workPackage: input.workPackage },
  });
  return (await collectionsWhere(tx, eq(researchCollections.id, id)))[0]!;
}

/** A WP2 follow-up needs the patient's WP1 interview done and their consent to be contacted again. */
async function assertFollowUpAllowed(
  tx: Db,
  studyId: string,
  participantId: string,
  followUpOf: string | null,
) {
  if (!followUpOf) {
    throw new ValidationError('Choose the WP1 interview this follows up', { field: 'followUpOf' });
  }
  const [first] = await tx
    .select()
    .from(researchCollections)
    .where(and(eq(researchCollections.id, followUpOf), eq(researchCollections.studyId, studyId)));
  if (
    !first ||
    first.participantId !== participantId ||
    first.workPackage !== 'WP1' ||
    first.kind !== 'interview'
  ) {
    throw new ValidationError('Choose a WP1 interview with the same participant', { field: 'followUpOf' });
  }
  if (first.status !== 'done') {
    throw new ValidationError('The WP1 interview has not taken place yet', { field: 'followUpOf' });
  }
  const consent = (await latestConsents(tx, [participantId])).get(participantId);
  if (!consent?.futureContact) {
    throw new ConflictError(
      'They did not agree to be contacted again, so no follow-up interview can be planned.',
    );
  }
}

export async function updateCollection(
  tx: Db,
  actor: Actor,
  collectionId: string,
  input: z.infer<typeof collectionUpdate>,
) {
  assertRole(actor, 'researcher');
  const [found] = await tx.select().from(researchCollections).where(eq(researchCollections.id, collectionId));
  const { record: c } = await studyOfRecord(tx, actor, found, 'write', 'interview or observation');
  const today = londonDate(actor.now);
  if (input.status === 'done') {
    if (!input.heldOn) throw new ValidationError('Enter the date it took place', { field: 'heldOn' });
    if (input.heldOn > today) {
      throw new ValidationError('The date it took place cannot be in the future', { field: 'heldOn' });
    }
    if (c.kind === 'interview' && c.participantId) {
      const consent = (await latestConsents(tx, [c.participantId])).get(c.participantId);
      if (!consent?.interview || consent.consentedOn > input.heldOn) {
        throw new ConflictError(
          'Record their consent to be interviewed, given on or before the interview, before marking it done.',
        );
      }
    }
  } else if (input.heldOn) {
    throw new ValidationError('Give a date it took place only when it is done', { field: 'heldOn' });
  }
  const updated = await tx
    .update(researchCollections)
    .set({
      status: input.status,
      heldOn: input.status === 'done' ? input.heldOn : null,
      updatedAt: actor.now,
      version: sql`${researchCollections.version} + 1`,
    })
    .where(and(eq(researchCollections.id, collectionId), eq(researchCollections.version, input.version)))
    .returning({ id: researchCollections.id });
  if (updated.length === 0) throw new VersionConflictError('interview', c.version);
  await recordAudit(tx, actor, {
    action: 'research.collection.updated',
    recordType: 'research_collection',
    recordIds: [collectionId],
    detail: { status: input.status },
  });
  return (await collectionsWhere(tx, eq(researchCollections.id, collectionId)))[0]!;
}

// ---------------------------------------------------------------------------------------------------------------
// WP2 follow-ups

export type FollowUpStatus = 'not_yet' | 'opening' | 'open' | 'planned' | 'done' | 'missed';

/** How soon before a window opens it shows as opening. */
export const OPENING_DAYS = 28;

/**
 * Patients whose first interview is done and who agreed to be contacted again: a follow-up is due 9–12 months
 * after that first interview. Each shows how its window stands today; withdrawn participants are left out.
 */
export async function followUps(tx: Db, actor: Actor, studyId: string) {
  await studyFor(tx, actor, studyId, 'read');
  const today = londonDate(actor.now);
  const firsts = rowsOf<{
    participant_id: string;
    study_code: string;
    case_label: string | null;
    first_id: string;
    first_on: string;
  }>(
    await tx.execute(sql`
      select distinct on (p.id) p.id as participant_id, p.study_code, c.label as case_label,
        i.id as first_id, i.held_on::text as first_on
      from research_participants p
      join research_collections i on i.participant_id = p.id and i.kind = 'interview' and i.work_package = 'WP1'
        and i.status = 'done'
      left join research_cases c on c.id = p.case_id
      where p.study_id = ${studyId} and p.role = 'patient' and p.withdrawn_on is null
      order by p.id, i.held_on, i.created_at`),
  );
  const consents = await latestConsents(
    tx,
    firsts.map((f) => f.participant_id),
  );
  const agreed = firsts.filter((f) => consents.get(f.participant_id)?.futureContact);
  const wp2 = agreed.length
    ? await tx
        .select()
        .from(researchCollections)
        .where(
          and(
            inArray(
              researchCollections.participantId,
              agreed.map((a) => a.participant_id),
            ),
            eq(researchCollections.workPackage, 'WP2'),
            eq(researchCollections.kind, 'interview'),
          ),
        )
    : [];
  const items = agreed.map((f) => {
    const from = addMonths(f.first_on, 9);
    const to = addMonths(f.first_on, 12);
    const mine = wp2.filter((w) => w.participantId === f.participant_id);
    const done = mine.find((w) => w.status === 'done');
    const planned = mine.find((w) => w.status === 'planned');
    const status: FollowUpStatus = done
      ? 'done'
      : planned
        ? 'planned'
        : today > to
          ? 'missed'
          : today >= from
            ? 'open'
            : today >= addDays(from, -OPENING_DAYS)
              ? 'opening'
              : 'not_yet';
    return {
      participantId: f.participant_id,
      studyCode: f.study_code,
      caseLabel: f.case_label,
      firstInterviewId: f.first_id,
      firstInterviewOn: f.first_on,
      windowFrom: from,
      windowTo: to,
      status,
      followUpId: (done ?? planned)?.id ?? null,
      followUpOn: done?.heldOn ?? planned?.scheduledOn ?? null,
    };
  });
  const order: FollowUpStatus[] = ['open', 'opening', 'missed', 'planned', 'not_yet', 'done'];
  items.sort(
    (a, b) => order.indexOf(a.status) - order.indexOf(b.status) || (a.windowTo < b.windowTo ? -1 : 1),
  );
  if (items.length) {
    await recordAudit(tx, actor, {
      action: 'research.follow_ups.listed',
      recordType: 'research_participant',
      recordIds: items.map((i) => i.participantId),
    });
  }
  return { today, items };
}

export type { ConsentScope, ParticipantRole };
