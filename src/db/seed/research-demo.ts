import { sql } from 'drizzle-orm';
import { linkWorkerContexts } from '../../modules/link-workers/schema.ts';
import {
  type CollectionMode,
  type ConsentScope,
  type ParticipantRole,
  participantRoleCodes,
  type StudyRole,
} from '../../modules/research/contract.ts';
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
} from '../../modules/research/schema.ts';
import { newId } from '../../platform/ids.ts';
import { addDays, addMonths, londonDate } from '../../platform/working-days.ts';
import { type Db, rowsOf } from '../client.ts';

/*
 * The demo researcher's realist evaluation: a study of link workers in primary care with its WP1 case studies and
 * WP2 follow-ups, two sites, three cases (Amira at Riverside, Tom at Moorland, Grace at Riverside), a dozen
 * pseudonymised participants with consent, and interviews held and planned. Every date is counted back from the
 * seed's `now`, so the follow-up list always has a window open, one opening soon, one done and one not yet open.
 * Written with direct inserts in the caller's transaction, as the other demo seeds are.
 */

export interface ResearchDemoIds {
  icb: string;
  riverside: string;
  moorland: string;
  council: string;
  researcher: string;
  /** A second researcher, on the team as a coder. */
  coder: string;
  lead: string;
  amira: string;
  tom: string;
  grace: string;
}

const programmeTheory = `Built on the realist review of link workers in primary care (BMC Medicine 2020;18:49), which explains what link workers achieve through buy-in and connections.

CMOC 1 – Practice buy-in. If GPs and practice staff understand the link worker role and see it as part of care (context), then they refer people whose needs fit and at the right time (outcome), because they trust the link worker and value what social prescribing offers (mechanism).

CMOC 2 – Patient buy-in. If people are told why they are being referred and meet the link worker soon after (context), then they take up support and stay with it (outcome), because they feel listened to and see the link worker as on their side (mechanism).

CMOC 3 – VCSE buy-in. If community organisations are funded and able to take referrals (context), then people are welcomed when they arrive (outcome), because the organisations see link workers as partners rather than a source of unfunded work (mechanism).

CMOC 4 – Connections in the community. If the link worker knows local groups well and has time for warm handovers (context), then people attend and keep going (outcome), because an introduction lowers the fear of walking in alone and builds their social capital (mechanism).

CMOC 5 – Connections in the practice. If the link worker has clinical system access, attends practice meetings and is supervised (context), then referrals and feedback flow both ways (outcome), because practice staff know them and what they do (mechanism).

CMOC 6 – Sustaining outcomes. If support builds people's confidence and skills rather than doing things for them (context), then changes last after discharge (outcome), because people become more able to manage their own health and wellbeing (patient activation: mechanism).`;

type CaseKey = 'C1' | 'C2' | 'C3';

interface SeedParticipant {
  key: string;
  case: CaseKey;
  role: ParticipantRole;
  contact?: { name: string; email?: string; phone?: string; notes?: string };
  /** What they consented to and, for staff and patients not yet interviewed, how many days into the case. */
  consent?: { day: number; scopes: ConsentScope[] };
  /** Their WP1 interview: held or planned on a date (from `dates` below). */
  interview?: { on: string; held: boolean; mode: CollectionMode; guide: string };
  /** A WP2 follow-up held on a date. */
  followUp?: { on: string; mode: CollectionMode };
}

const patientScopes: ConsentScope[] = ['interview', 'audio_recording', 'anonymised_quotes', 'future_contact'];
const staffScopes: ConsentScope[] = ['interview', 'audio_recording', 'anonymised_quotes'];
const at = (date: string) => new Date(`${date}T12:00:00Z`);

/** Seeds the demo study; returns its id. */
export async function seedResearchDemo(
  tx: Db,
  now: Date,
  ids: ResearchDemoIds,
): Promise<{ studyId: string }> {
  const today = londonDate(now);
  const starts: Record<CaseKey, string> = {
    C1: addDays(today, -330),
    C2: addDays(today, -61),
    C3: addDays(today, -20),
  };
  const on = (c: CaseKey, day: number) => addDays(starts[c], day);
  // C1-PT-01's window (9–12 months after the first interview) opened a month ago; C1-PT-02's opens in about
  // two weeks, inside the 4 weeks the follow-up list calls "opening soon"; C1-PT-03's follow-up is done.
  const openFirst = addMonths(today, -10);
  const openingFirst = addDays(addMonths(today, -9), 14);
  const doneFirst = on('C1', 5);

  const participants: SeedParticipant[] = [
    {
      key: 'amira',
      case: 'C1',
      role: 'link_worker',
      contact: { name: 'Amira Hassan', email: 'amira.hassan@demo.linkwork.example' },
      consent: { day: 3, scopes: staffScopes },
      interview: { on: on('C1', 10), held: true, mode: 'in_person', guide: 'TG-LW-v1' },
    },
    {
      key: 'gp1',
      case: 'C1',
      role: 'gp',
      contact: { name: 'Dr Rhys Jones', email: 'dr.jones@demo.linkwork.example', notes: 'GP partner' },
      consent: { day: 12, scopes: staffScopes },
      interview: { on: on('C1', 20), held: true, mode: 'teams', guide: 'TG-GP-v1' },
    },
    {
      key: 'vcse1',
      case: 'C1',
      role: 'vcse_staff',
      contact: { name: 'Sally Green', notes: 'Riverside Community Action' },
      consent: { day: 25, scopes: staffScopes },
      interview: { on: on('C1', 30), held: true, mode: 'telephone', guide: 'TG-VCSE-v1' },
    },
    {
      key: 'pt-open',
      case: 'C1',
      role: 'patient',
      contact: { name: 'Maureen Fletcher', phone: '07700 900301', notes: 'Prefers mornings' },
      consent: { day: 0, scopes: [...patientScopes, 'pathway_record'] },
      interview: { on: openFirst, held: true, mode: 'in_person', guide: 'TG-patient-v1' },
    },
    {
      key: 'pt-opening',
      case: 'C1',
      role: 'patient',
      contact: { name: 'Ade Williams', phone: '07700 900302' },
      consent: { day: 0, scopes: patientScopes },
      interview: { on: openingFirst, held: true, mode: 'telephone', guide: 'TG-patient-v1' },
    },
    {
      key: 'pt-done',
      case: 'C1',
      role: 'patient',
      contact: { name: 'Jean Parry', phone: '07700 900303' },
      consent: { day: 0, scopes: patientScopes },
      interview: { on: doneFirst, held: true, mode: 'in_person', guide: 'TG-patient-v1' },
      followUp: { on: addDays(today, -21), mode: 'telephone' },
    },
    {
      key: 'tom',
      case: 'C2',
      role: 'link_worker',
      contact: { name: 'Tom Bennett', email: 'tom.bennett@demo.linkwork.example' },
      consent: { day: 2, scopes: staffScopes },
      interview: { on: on('C2', 7), held: true, mode: 'in_person', guide: 'TG-LW-v1' },
    },
    {
      key: 'pm2',
      case: 'C2',
      role: 'practice_manager',
      contact: { name: 'Karen Lloyd', notes: 'Practice manager, Hilltop Surgery' },
      consent: { day: 9, scopes: staffScopes },
      interview: { on: on('C2', 14), held: true, mode: 'teams', guide: 'TG-PM-v1' },
    },
    {
      key: 'pt-not-yet',
      case: 'C2',
      role: 'patient',
      contact: { name: 'Colin Marsh', phone: '07700 900304' },
      consent: { day: 16, scopes: patientScopes },
      interview: { on: on('C2', 21), held: true, mode: 'in_person', guide: 'TG-patient-v1' },
    },
    {
      key: 'pt-no-follow-up',
      case: 'C2',
      role: 'patient',
      contact: { name: 'Bethan Hughes', email: 'bethan.h@example.org', phone: '07700 900305' },
      consent: { day: 30, scopes: ['interview', 'audio_recording'] },
      interview: { on: addDays(today, 5), held: false, mode: 'telephone', guide: 'TG-patient-v1' },
    },
    {
      key: 'grace',
      case: 'C3',
      role: 'link_worker',
      contact: { name: 'Grace Lee', email: 'grace.lee@demo.linkwork.example' },
      consent: { day: 1, scopes: staffScopes },
      interview: { on: on('C3', 6), held: true, mode: 'telephone', guide: 'TG-LW-v1' },
    },
    {
      // Not yet consented: their interview can be planned but not marked done.
      key: 'pt-unconsented',
      case: 'C3',
      role: 'patient',
      contact: { name: 'Rashid Khan', phone: '07700 900306' },
      interview: { on: addDays(today, 7), held: false, mode: 'teams', guide: 'TG-patient-v1' },
    },
  ];

  const org = ids.icb;
  const studyId = newId();
  const studyStarts = addMonths(today, -13);
  await tx.insert(researchStudies).values({
    id: studyId,
    organisationId: org,
    title: 'Link workers in primary care: a realist evaluation',
    question:
      'When implementing link workers in primary care to sustain outcomes, what works, for whom, why and in what circumstances?',
    ethicsReference: '25/NW/0217',
    funder: 'NIHR Health and Social Care Delivery Research programme',
    startsOn: studyStarts,
    endsOn: addDays(addMonths(studyStarts, 30), -1),
    initialProgrammeTheory: programmeTheory,
    audioRetentionMonths: 6,
    keepUnredactedText: false,
    createdBy: ids.researcher,
    createdAt: at(studyStarts),
    updatedAt: at(studyStarts),
  });
  await tx.insert(researchWorkPackages).values([
    {
      id: newId(),
      organisationId: org,
      studyId,
      code: 'WP1',
      title: 'Case studies of link workers in practice',
      description:
        'A purposive sample of link workers (cases) in different sites, each studied in depth for 3 months: interviews with link workers, GPs, practice managers, VCSE staff and patients, observation and documents, in person or remotely.',
    },
    {
      id: newId(),
      organisationId: org,
      studyId,
      code: 'WP2',
      title: 'Patient follow-up interviews',
      description:
        'Semi-structured interviews with WP1 patients 9 to 12 months after their first interview, on how they benefited (or not) in the longer term.',
    },
  ]);
  const members: [string, StudyRole][] = [
    [ids.researcher, 'lead'],
    [ids.coder, 'coder'],
  ];
  await tx.insert(researchStudyMembers).values(
    members.map(([userId, role]) => ({
      organisationId: org,
      studyId,
      userId,
      role,
      addedBy: ids.researcher,
      addedAt: at(studyStarts),
    })),
  );
  const sites = { riverside: newId(), moorland: newId() };
  await tx.insert(researchSites).values([
    {
      id: sites.riverside,
      organisationId: org,
      studyId,
      name: 'Riverside',
      description: 'An urban PCN with neighbourhoods of high deprivation and a busy VCSE sector.',
      linkedOrganisationId: ids.riverside,
      createdAt: at(studyStarts),
    },
    {
      id: sites.moorland,
      organisationId: org,
      studyId,
      name: 'Moorland',
      description: 'A rural PCN: long distances, few buses, small practices.',
      linkedOrganisationId: ids.moorland,
      createdAt: at(studyStarts),
    },
  ]);
  const cases: Record<CaseKey, { id: string; site: string; linkWorker: string; pcn: string; why: string }> = {
    C1: {
      id: newId(),
      site: sites.riverside,
      linkWorker: ids.amira,
      pcn: ids.riverside,
      why: 'A link worker hosted by a VCSE organisation, working across three practices.',
    },
    C2: {
      id: newId(),
      site: sites.moorland,
      linkWorker: ids.tom,
      pcn: ids.moorland,
      why: 'A PCN-employed link worker in a rural area, mostly seeing people at home.',
    },
    C3: {
      id: newId(),
      site: sites.riverside,
      linkWorker: ids.grace,
      pcn: ids.riverside,
      why: 'A link worker employed by the council, supporting people mostly by phone and video.',
    },
  };
  await tx.insert(researchCases).values(
    (Object.keys(cases) as CaseKey[]).map((label) => ({
      id: cases[label].id,
      organisationId: org,
      studyId,
      siteId: cases[label].site,
      label,
      linkWorkerId: cases[label].linkWorker,
      linkWorkerOrganisationId: cases[label].pcn,
      startsOn: starts[label],
      // A case is studied for 3 months, as the service sets by default.
      endsOn: addDays(addMonths(starts[label], 3), -1),
      description: cases[label].why,
      createdAt: at(starts[label]),
    })),
  );

  // Grace's supervision moved to the lead link worker two weeks into her case, and she began joining practice
  // meetings: the study page shows her context at the start and at the end of the case side by side.
  const graceChange = on('C3', 14);
  if (graceChange > '2025-10-01' && graceChange <= today) {
    await tx.insert(linkWorkerContexts).values({
      id: newId(),
      organisationId: ids.riverside,
      linkWorkerId: ids.grace,
      employerOrganisationId: ids.council,
      effectiveFrom: graceChange,
      employmentModel: 'local_authority',
      baseSettings: ['council_office', 'community'],
      contractedHoursPerWeek: '22.5',
      supervision: 'lead_link_worker',
      clinicalSystemAccess: 'no',
      practiceMeetings: 'occasional',
      deliveryMode: 'remote',
      notes: 'Supervision moved to the PCN’s lead link worker; now joins practice meetings once a month.',
      recordedBy: ids.lead,
      recordedAt: now,
    });
  }

  // Study IDs in order within each case and role, as the service numbers them: C1-PT-01, C1-PT-02 …
  const counters = new Map<string, number>();
  const rows = participants.map((p) => {
    const prefix = `${p.case}-${participantRoleCodes[p.role]}-`;
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return { ...p, id: newId(), studyCode: `${prefix}${String(n).padStart(2, '0')}` };
  });
  await tx.insert(researchParticipants).values(
    rows.map((p) => ({
      id: p.id,
      organisationId: org,
      studyId,
      caseId: cases[p.case].id,
      studyCode: p.studyCode,
      role: p.role,
      createdAt: at(starts[p.case]),
    })),
  );
  // The first patient agreed to their social prescribing record being linked: one of Amira's people.
  const [linked] = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select p.id from people p join referrals r on r.person_id = p.id
      where r.allocated_link_worker_id = ${ids.amira} order by r.received_at, p.id limit 1`),
  );
  await tx.insert(researchParticipantContacts).values(
    rows
      .filter((p) => p.contact)
      .map((p) => ({
        participantId: p.id,
        organisationId: org,
        name: p.contact?.name ?? null,
        email: p.contact?.email ?? null,
        phone: p.contact?.phone ?? null,
        notes: p.contact?.notes ?? null,
        pathwayPersonId: p.key === 'pt-open' ? (linked?.id ?? null) : null,
        updatedAt: now,
      })),
  );
  // Patients sign the consent form a few days before their first interview; staff on the day given.
  const consentedOn = (p: (typeof rows)[number]) =>
    p.role === 'patient' && p.interview?.held ? addDays(p.interview.on, -3) : on(p.case, p.consent?.day ?? 0);
  await tx.insert(researchConsents).values(
    rows
      .filter((p) => p.consent)
      .map((p) => {
        const scopes = new Set(p.consent?.scopes);
        return {
          id: newId(),
          organisationId: org,
          participantId: p.id,
          formVersion: p.role === 'patient' ? 'Patient v1.2' : 'Staff v1.1',
          consentedOn: consentedOn(p),
          interview: scopes.has('interview'),
          audioRecording: scopes.has('audio_recording'),
          anonymisedQuotes: scopes.has('anonymised_quotes'),
          futureContact: scopes.has('future_contact'),
          pathwayRecord: scopes.has('pathway_record'),
          recordedBy: ids.researcher,
          recordedAt: at(consentedOn(p)),
        };
      }),
  );
  const collections: (typeof researchCollections.$inferInsert)[] = [];
  for (const p of rows) {
    if (!p.interview) continue;
    const first = newId();
    const base = {
      organisationId: org,
      studyId,
      participantId: p.id,
      caseId: cases[p.case].id,
      kind: 'interview' as const,
      researcherId: ids.researcher,
    };
    collections.push({
      ...base,
      id: first,
      workPackage: 'WP1',
      mode: p.interview.mode,
      scheduledOn: p.interview.on,
      heldOn: p.interview.held ? p.interview.on : null,
      status: p.interview.held ? 'done' : 'planned',
      topicGuideVersion: p.interview.guide,
      createdAt: at(addDays(p.interview.on, -14)),
      updatedAt: at(p.interview.held ? p.interview.on : addDays(p.interview.on, -14)),
    });
    if (p.followUp) {
      collections.push({
        ...base,
        id: newId(),
        workPackage: 'WP2',
        mode: p.followUp.mode,
        scheduledOn: p.followUp.on,
        heldOn: p.followUp.on,
        status: 'done',
        topicGuideVersion: 'TG-follow-up-v1',
        followUpOf: first,
        createdAt: at(addDays(p.followUp.on, -14)),
        updatedAt: at(p.followUp.on),
      });
    }
  }
  // An observation of Grace's online drop-in, planned for the case without a participant.
  collections.push({
    id: newId(),
    organisationId: org,
    studyId,
    participantId: null,
    caseId: cases.C3.id,
    kind: 'observation',
    workPackage: 'WP1',
    mode: 'teams',
    scheduledOn: addDays(today, 10),
    status: 'planned',
    researcherId: ids.coder,
    topicGuideVersion: 'OBS-v1',
    createdAt: at(addDays(today, -3)),
    updatedAt: at(addDays(today, -3)),
  });
  await tx.insert(researchCollections).values(collections);
  return { studyId };
}
