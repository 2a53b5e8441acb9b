import { sql } from 'drizzle-orm';
import { linkWorkerContexts } from '../../modules/link-workers/schema.ts';
import {
  type CmocInput,
  type CollectionMode,
  type ConsentScope,
  type ParticipantRole,
  participantRoleCodes,
  type StudyRole,
} from '../../modules/research/contract.ts';
import { statementOf } from '../../modules/research/realist.ts';
import {
  researchCases,
  researchCmocEvidence,
  researchCmocs,
  researchCodes,
  researchCodings,
  researchCollections,
  researchConsents,
  researchMemos,
  researchParticipantContacts,
  researchParticipants,
  researchSites,
  researchSources,
  researchStudies,
  researchStudyMembers,
  researchWorkPackages,
} from '../../modules/research/schema.ts';
import { codePointLength, createOffsetConverter } from '../../modules/research/sources/offsets.ts';
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
  await seedCodingDemo(tx, now, {
    studyId,
    org,
    lead: ids.researcher,
    coder: ids.coder,
    participants: new Map(rows.map((p) => [p.key, { id: p.id, caseId: cases[p.case].id }])),
    interviews: collections.filter((c) => c.workPackage === 'WP1' && c.status === 'done'),
  });
  return { studyId };
}

// ---------------------------------------------------------------------------------------------------------------
// Coding and realist analysis (issue 7)

/*
 * Four de-identified transcripts of the demo study (fictional, written for the demo), its codebook, the codings
 * of the lead (Dr Nia Roberts) and the coder (Sam Turner) — overlapping, with some disagreements to discuss — a few
 * memos, and the initial programme theory as six structured CMOCs with evidence from the transcripts, one of them
 * refined in the light of the remote case (C3).
 */

type SpeakerTurn = [speaker: string, words: string];

interface DemoTranscript {
  key: 'lw1' | 'gp1' | 'pt1' | 'lw3';
  participant: string;
  name: string;
  fileName: string;
  kind: 'text' | 'docx' | 'vtt';
  turns: SpeakerTurn[];
}

const transcripts: DemoTranscript[] = [
  {
    key: 'lw1',
    participant: 'amira',
    name: 'C1-LW-01 interview',
    fileName: 'C1-LW-01-interview.docx',
    kind: 'docx',
    turns: [
      [
        'Interviewer',
        'Thank you for making time. Could you start by telling me how you came into the link worker role at [GP practice]?',
      ],
      [
        'Link worker',
        'I was a support worker with [VCSE organisation] for six years before this, so I already knew most of the groups round here. When the PCN hosted the post with us I applied straight away. I work across three practices, two days in the biggest one and a day each in the others.',
      ],
      ['Interviewer', 'How did the practices take to having a link worker?'],
      [
        'Link worker',
        'It was slow at first. Some of the GPs thought I was there to take the patients they didn’t have time for. I got referrals that just said “lonely, please see”, with nothing else. The turning point was when [name], one of the partners, asked me to come to the Tuesday clinical meeting. I explained what I can and can’t do, and after that the referrals got better. They started saying why they were referring and what the person wanted.',
      ],
      ['Interviewer', 'What made the difference, do you think?'],
      [
        'Link worker',
        'Being in the room. Once they know your face they trust you with their patients. I have access to the clinical system now, so I can write back into the record and the GP sees what happened. Before that it felt like referrals went into a black hole, and the GPs stopped sending them.',
      ],
      ['Interviewer', 'Tell me about the community side.'],
      [
        'Link worker',
        'That’s the bit I love. If someone is nervous about a group, I don’t just give them a leaflet. I’ll ring the group leader first, and sometimes I walk in with them the first time. A warm handover makes all the difference: people tell me they would never have gone through the door on their own. But the groups are stretched. The lunch club lost its funding in the spring and the coordinator said to me, “We can’t keep taking your referrals for nothing.” I understood that. We’re sending people to organisations that are running on goodwill.',
      ],
      ['Interviewer', 'And your caseload?'],
      [
        'Link worker',
        'Too big, honestly. I have about fifty open at the moment. When it gets like that I end up signposting rather than supporting, and I know signposting on its own doesn’t work for the people who are most isolated.',
      ],
      ['Interviewer', 'What do you hope people are left with when you discharge them?'],
      [
        'Link worker',
        'That they can do it without me. I try not to do things for people. We make the phone call together the first time and then they make the next one. One lady told me at our last session that she had joined the library reading group on her own, and that was the best news I had all month.',
      ],
    ],
  },
  {
    key: 'gp1',
    participant: 'gp1',
    name: 'C1-GP-01 interview (Teams)',
    fileName: 'C1-GP-01-teams.vtt',
    kind: 'vtt',
    turns: [
      ['Interviewer', 'How did you first come across the link worker service?'],
      [
        'GP',
        'Through the PCN. To be honest I was sceptical. We had a social prescribing scheme years ago that was a website with a list of groups, and nothing came of it.',
      ],
      ['Interviewer', 'What changed your mind?'],
      [
        'GP',
        'Seeing it work for patients I knew well. I referred a man who was coming in every fortnight with back pain, and what was really going on was that his wife had died and he hadn’t left the house in months. The link worker got him to the men’s shed. He came in six weeks later for his review and he was a different person. He said she actually listened to him, which he didn’t feel we had time to do.',
      ],
      ['Interviewer', 'How do referrals work in practice?'],
      [
        'GP',
        'I send a task through the clinical system and she picks it up within a week or so. What I value is the note back. When she writes in the record, I can see what happened without chasing. If that loop wasn’t there I think I’d stop referring, because you don’t know whether it went anywhere.',
      ],
      ['Interviewer', 'Are there colleagues who refer less?'],
      [
        'GP',
        'Yes. Some of the locums don’t know she exists, and a couple of partners still see it as a bit soft. They haven’t been to the meetings where she talks about what she does. I think it comes down to whether you know her as a person.',
      ],
      ['Interviewer', 'What about since COVID?'],
      [
        'GP',
        'We went to telephone for everything for a while, and so did she. It worked for some patients, but the most isolated people were exactly the ones who didn’t answer the phone. I’d say face to face is still the default for anyone who is really struggling.',
      ],
      ['Interviewer', 'Anything you would change?'],
      [
        'GP',
        'A shorter wait, and more money for the groups. There is no point referring people to a walking group that has closed.',
      ],
    ],
  },
  {
    key: 'pt1',
    participant: 'pt-open',
    name: 'C1-PT-01 interview',
    fileName: 'C1-PT-01-interview.txt',
    kind: 'text',
    turns: [
      ['Interviewer', 'Can you tell me how you came to see the link worker?'],
      [
        'Participant',
        'It was the doctor. I’d been in about my sleep and my nerves, and she said there was someone at the surgery who could help with other things. I didn’t really know what that meant. I thought it would be another form to fill in.',
      ],
      ['Interviewer', 'What was the first meeting like?'],
      [
        'Participant',
        'She came to my house, which I liked, because I don’t go out much since my husband passed. She asked what mattered to me. Nobody had asked me that before. I said I missed having people to talk to and I missed my garden, because I can’t manage it now with my knees. She wrote it down in my own words.',
      ],
      ['Interviewer', 'What happened after that?'],
      [
        'Participant',
        'She found a gardening group at the community centre. I said I couldn’t go on my own, I wouldn’t know anybody. So she came with me the first time and introduced me to the lady who runs it. If she hadn’t, I would have turned round at the door, I know I would.',
      ],
      ['Interviewer', 'And now?'],
      [
        'Participant',
        'I go every Thursday. I’ve got to know two of the women and we have a cup of tea after. One of them gives me a lift when it rains. I feel more like myself.',
      ],
      ['Interviewer', 'Was anything difficult?'],
      [
        'Participant',
        'The waiting at the start. It was nearly six weeks before she rang, and I’d given up on it by then. And when she rang, the first call was from a number I didn’t know, so I didn’t answer.',
      ],
      ['Interviewer', 'How do you feel about when the support ends?'],
      [
        'Participant',
        'She told me from the start it wouldn’t be forever, which was fair. She showed me how to look things up on the community website and who to ring. I was worried at first, but I think I’ll be all right. I’ve got the group now, and I know I can go back to the surgery if things get bad again.',
      ],
    ],
  },
  {
    key: 'lw3',
    participant: 'grace',
    name: 'C3-LW-01 interview (telephone)',
    fileName: 'C3-LW-01-telephone.txt',
    kind: 'text',
    turns: [
      ['Interviewer', 'Your service is mostly remote. How did that come about?'],
      [
        'Link worker',
        'I’m employed by the council, not the practices, and I started during the pandemic, so phone and video was all there was. It stuck, partly because we cover a big area and partly because the council doesn’t have rooms in the surgeries.',
      ],
      ['Interviewer', 'How does remote working affect the people you support?'],
      [
        'Link worker',
        'For some people it’s better. Younger people with anxiety often prefer a video call, and carers can fit a phone call around everything else. But I worry about the people I never reach. If someone doesn’t pick up three times, they get discharged, and I know those are often the people who need us most.',
      ],
      ['Interviewer', 'And your relationship with the practices?'],
      [
        'Link worker',
        'That has been the hard part. I don’t have access to the clinical system, so I can’t see the record or write back. For the first months I didn’t know any of the GPs. Referrals came through a generic inbox and I had no idea who had sent them. Things changed when I was given a named contact at each practice, the care coordinator at [GP practice], and started going to the monthly practice meeting on Teams. Now the GPs email me directly and tell me what they’re worried about.',
      ],
      ['Interviewer', 'What about connecting people with groups when you are not there in person?'],
      [
        'Link worker',
        'I do what I can. I ring the group first and explain who is coming, so they are expecting them. Sometimes I arrange a three-way call so the person hears a friendly voice before they go. It’s not the same as walking in with someone, but it helps.',
      ],
      ['Interviewer', 'Who supports you?'],
      [
        'Link worker',
        'My supervision moved to the PCN’s lead link worker a few weeks ago. Before that I had a council manager who didn’t really know what the job was. Now I have someone to talk through the difficult cases with, and I feel less on my own.',
      ],
      ['Interviewer', 'What would you want commissioners to know?'],
      [
        'Link worker',
        'That remote can work, but only if the link worker is connected to the practice. Otherwise you are just another phone number.',
      ],
    ],
  },
];

type CodeKey =
  | 'buyIn'
  | 'practiceBuyIn'
  | 'patientBuyIn'
  | 'vcseBuyIn'
  | 'connections'
  | 'practiceConnections'
  | 'communityConnections'
  | 'warmHandover'
  | 'trust'
  | 'listenedTo'
  | 'remote'
  | 'phoneVideo'
  | 'role'
  | 'caseload'
  | 'supervision'
  | 'sustaining'
  | 'confidence';

const codebook: {
  key: CodeKey;
  parent?: CodeKey;
  name: string;
  colour: string;
  definition: string;
  whenToUse?: string;
  whenNotToUse?: string;
}[] = [
  {
    key: 'buyIn',
    name: 'Buy-in',
    colour: '#005EB8',
    definition:
      'Whether people and organisations accept social prescribing and the link worker role, and act on it.',
  },
  {
    key: 'practiceBuyIn',
    parent: 'buyIn',
    name: 'Practice buy-in',
    colour: '#41B6E6',
    definition:
      'GPs’ and practice staff’s understanding of the role, their scepticism or support, and how they refer.',
    whenToUse: 'Accounts of referring (or not), of what staff think the link worker is for.',
    whenNotToUse:
      'The link worker’s working relationships with the practice: use Connections in the practice.',
  },
  {
    key: 'patientBuyIn',
    parent: 'buyIn',
    name: 'Patient buy-in',
    colour: '#00A499',
    definition: 'Whether people understand why they were referred and take up, or drop out of, support.',
  },
  {
    key: 'vcseBuyIn',
    parent: 'buyIn',
    name: 'VCSE buy-in',
    colour: '#78BE20',
    definition: 'Community organisations’ willingness and capacity to take people on, including funding.',
  },
  {
    key: 'connections',
    name: 'Connections',
    colour: '#007F3B',
    definition: 'The link worker’s relationships, and the relationships they build for people.',
  },
  {
    key: 'practiceConnections',
    parent: 'connections',
    name: 'Connections in the practice',
    colour: '#330072',
    definition:
      'How the link worker is joined to the practice: system access, meetings, named contacts, feedback on referrals.',
  },
  {
    key: 'communityConnections',
    parent: 'connections',
    name: 'Connections in the community',
    colour: '#AE2573',
    definition: 'Knowledge of local groups and services; people’s new relationships through them.',
  },
  {
    key: 'warmHandover',
    parent: 'communityConnections',
    name: 'Warm handover',
    colour: '#7C2855',
    definition:
      'The link worker introduces the person to a group or service rather than only giving its details.',
    whenToUse: 'Going along the first time, ringing ahead, three-way calls.',
    whenNotToUse:
      'Signposting alone (a leaflet, a website): code it under Caseload and workload if it is a reason.',
  },
  {
    key: 'trust',
    name: 'Trust',
    colour: '#ED8B00',
    definition: 'Trust between the link worker and GPs, practice staff or the people they support.',
  },
  {
    key: 'listenedTo',
    parent: 'trust',
    name: 'Feeling listened to',
    colour: '#FFB81C',
    definition: 'People saying the link worker listened, or asked what matters to them.',
  },
  {
    key: 'remote',
    name: 'Remote delivery',
    colour: '#DA291C',
    definition:
      'Support given by telephone or video rather than face to face, and who it suits or leaves out.',
  },
  {
    key: 'phoneVideo',
    parent: 'remote',
    name: 'Telephone and video suit some',
    colour: '#768692',
    definition: 'Accounts of remote contact working better for particular people.',
  },
  {
    key: 'role',
    name: 'The link worker role',
    colour: '#425563',
    definition: 'How the role is set up: employer, caseload, supervision.',
  },
  {
    key: 'caseload',
    parent: 'role',
    name: 'Caseload and workload',
    colour: '#4C6272',
    definition: 'Caseload size, waiting times, and what link workers stop doing when busy.',
  },
  {
    key: 'supervision',
    parent: 'role',
    name: 'Supervision',
    colour: '#00A9CE',
    definition: 'Who supervises the link worker and whether they know the role.',
  },
  {
    key: 'sustaining',
    name: 'Sustaining outcomes',
    colour: '#009639',
    definition: 'Whether changes last after discharge, and why.',
  },
  {
    key: 'confidence',
    parent: 'sustaining',
    name: 'Confidence and skills',
    colour: '#006747',
    definition:
      'Support that builds people’s confidence and skills to do things themselves (patient activation).',
  },
];

/** A coding: `quote` by the lead and the coder, or by one of them; the coder may take `coderQuote` instead. */
interface DemoCoding {
  code: CodeKey;
  quote: string;
  by: 'both' | 'lead' | 'coder';
  coderQuote?: string;
}

const demoCodings: Record<DemoTranscript['key'], DemoCoding[]> = {
  lw1: [
    { code: 'communityConnections', quote: 'I already knew most of the groups round here', by: 'lead' },
    {
      code: 'practiceBuyIn',
      quote: 'Some of the GPs thought I was there to take the patients they didn’t have time for.',
      by: 'both',
    },
    {
      code: 'practiceConnections',
      quote: 'asked me to come to the Tuesday clinical meeting',
      by: 'both',
      coderQuote:
        'The turning point was when [name], one of the partners, asked me to come to the Tuesday clinical meeting.',
    },
    {
      code: 'practiceBuyIn',
      quote:
        'after that the referrals got better. They started saying why they were referring and what the person wanted.',
      by: 'lead',
    },
    { code: 'trust', quote: 'Once they know your face they trust you with their patients.', by: 'both' },
    {
      code: 'practiceConnections',
      quote:
        'I have access to the clinical system now, so I can write back into the record and the GP sees what happened.',
      by: 'both',
    },
    {
      code: 'warmHandover',
      quote:
        'I’ll ring the group leader first, and sometimes I walk in with them the first time. A warm handover makes all the difference',
      by: 'both',
      coderQuote: 'A warm handover makes all the difference',
    },
    { code: 'vcseBuyIn', quote: '“We can’t keep taking your referrals for nothing.”', by: 'both' },
    {
      code: 'caseload',
      quote:
        'I have about fifty open at the moment. When it gets like that I end up signposting rather than supporting',
      by: 'both',
    },
    {
      code: 'confidence',
      quote:
        'I try not to do things for people. We make the phone call together the first time and then they make the next one.',
      by: 'lead',
    },
    {
      code: 'sustaining',
      quote:
        'I try not to do things for people. We make the phone call together the first time and then they make the next one.',
      by: 'coder',
    },
  ],
  gp1: [
    { code: 'practiceBuyIn', quote: 'To be honest I was sceptical.', by: 'both' },
    { code: 'practiceBuyIn', quote: 'Seeing it work for patients I knew well.', by: 'lead' },
    {
      code: 'listenedTo',
      quote: 'He said she actually listened to him, which he didn’t feel we had time to do.',
      by: 'both',
    },
    {
      code: 'practiceConnections',
      quote:
        'What I value is the note back. When she writes in the record, I can see what happened without chasing.',
      by: 'both',
    },
    { code: 'practiceBuyIn', quote: 'If that loop wasn’t there I think I’d stop referring', by: 'coder' },
    { code: 'practiceBuyIn', quote: 'a couple of partners still see it as a bit soft', by: 'both' },
    { code: 'trust', quote: 'I think it comes down to whether you know her as a person.', by: 'both' },
    {
      code: 'practiceConnections',
      quote: 'I think it comes down to whether you know her as a person.',
      by: 'coder',
    },
    {
      code: 'remote',
      quote: 'the most isolated people were exactly the ones who didn’t answer the phone',
      by: 'both',
    },
    {
      code: 'vcseBuyIn',
      quote:
        'more money for the groups. There is no point referring people to a walking group that has closed.',
      by: 'lead',
    },
  ],
  pt1: [
    {
      code: 'patientBuyIn',
      quote: 'I didn’t really know what that meant. I thought it would be another form to fill in.',
      by: 'both',
    },
    {
      code: 'listenedTo',
      quote: 'She asked what mattered to me. Nobody had asked me that before.',
      by: 'both',
    },
    {
      code: 'warmHandover',
      quote:
        'So she came with me the first time and introduced me to the lady who runs it. If she hadn’t, I would have turned round at the door, I know I would.',
      by: 'both',
    },
    {
      code: 'communityConnections',
      quote: 'I go every Thursday. I’ve got to know two of the women and we have a cup of tea after.',
      by: 'both',
      coderQuote: 'I’ve got to know two of the women',
    },
    {
      code: 'patientBuyIn',
      quote: 'It was nearly six weeks before she rang, and I’d given up on it by then.',
      by: 'lead',
    },
    {
      code: 'caseload',
      quote: 'It was nearly six weeks before she rang, and I’d given up on it by then.',
      by: 'coder',
    },
    {
      code: 'remote',
      quote: 'the first call was from a number I didn’t know, so I didn’t answer.',
      by: 'both',
    },
    {
      code: 'confidence',
      quote: 'She showed me how to look things up on the community website and who to ring.',
      by: 'both',
    },
    { code: 'sustaining', quote: 'I think I’ll be all right. I’ve got the group now', by: 'lead' },
  ],
  lw3: [
    { code: 'remote', quote: 'phone and video was all there was', by: 'both' },
    {
      code: 'phoneVideo',
      quote:
        'Younger people with anxiety often prefer a video call, and carers can fit a phone call around everything else.',
      by: 'both',
    },
    {
      code: 'remote',
      quote:
        'If someone doesn’t pick up three times, they get discharged, and I know those are often the people who need us most.',
      by: 'both',
    },
    {
      code: 'practiceConnections',
      quote: 'I don’t have access to the clinical system, so I can’t see the record or write back.',
      by: 'both',
    },
    {
      code: 'practiceConnections',
      quote: 'Things changed when I was given a named contact at each practice',
      by: 'both',
      coderQuote:
        'Things changed when I was given a named contact at each practice, the care coordinator at [GP practice], and started going to the monthly practice meeting on Teams.',
    },
    {
      code: 'trust',
      quote: 'Now the GPs email me directly and tell me what they’re worried about.',
      by: 'lead',
    },
    {
      code: 'warmHandover',
      quote:
        'I ring the group first and explain who is coming, so they are expecting them. Sometimes I arrange a three-way call',
      by: 'both',
    },
    {
      code: 'supervision',
      quote: 'Now I have someone to talk through the difficult cases with, and I feel less on my own.',
      by: 'both',
    },
    {
      code: 'remote',
      quote: 'remote can work, but only if the link worker is connected to the practice',
      by: 'both',
    },
    {
      code: 'practiceConnections',
      quote: 'remote can work, but only if the link worker is connected to the practice',
      by: 'lead',
    },
  ],
};

/** The initial programme theory's six configurations, as the study page's text gives them. */
const initialCmocs: (CmocInput & { key: string })[] = [
  {
    key: 'practice',
    title: 'Practice buy-in',
    contexts: [
      'GPs and practice staff understand the link worker role',
      'The link worker is seen as part of the practice team',
    ],
    mechanismResource: 'Social prescribing offered as part of care, with word back on what happened',
    mechanismResponse: 'GPs trust the link worker and value what social prescribing offers',
    outcome: 'GPs refer people whose needs fit, at the right time',
    intervention: 'A link worker in the practice team',
    actor: 'GPs and practice staff',
    statement: null,
    confidence: 'moderate',
    memo: null,
  },
  {
    key: 'patient',
    title: 'Patient buy-in',
    contexts: [
      'People are told why they are being referred',
      'They meet the link worker soon after referral',
    ],
    mechanismResource: 'A link worker who asks what matters to them',
    mechanismResponse: 'people feel listened to and see the link worker as on their side',
    outcome: 'people take up support and stay with it',
    intervention: null,
    actor: 'Patients',
    statement: null,
    confidence: null,
    memo: null,
  },
  {
    key: 'vcse',
    title: 'VCSE buy-in',
    contexts: ['Community organisations are funded and able to take referrals'],
    mechanismResource: 'Link workers who work with community organisations as partners',
    mechanismResponse: 'the organisations see link workers as partners rather than a source of unfunded work',
    outcome: 'people are welcomed when they arrive',
    intervention: null,
    actor: 'VCSE organisations',
    statement: null,
    confidence: null,
    memo: null,
  },
  {
    key: 'community',
    title: 'Connections in the community',
    contexts: ['The link worker knows local groups well', 'The link worker has time for warm handovers'],
    mechanismResource: 'An introduction to the group (a warm handover)',
    mechanismResponse: 'less fear of walking in alone, and new relationships (social capital)',
    outcome: 'people attend and keep going',
    intervention: 'Warm handover',
    actor: 'Patients',
    statement: null,
    confidence: 'high',
    memo: null,
  },
  {
    key: 'practiceConnections',
    title: 'Connections in the practice',
    contexts: [
      'The link worker has clinical system access',
      'The link worker attends practice meetings and is supervised',
    ],
    mechanismResource: 'Shared records and regular contact with practice staff',
    mechanismResponse: 'practice staff know the link worker and what they do',
    outcome: 'referrals and feedback flow both ways',
    intervention: null,
    actor: 'Link workers and practice staff',
    statement: null,
    confidence: null,
    memo: null,
  },
  {
    key: 'sustaining',
    title: 'Sustaining outcomes',
    contexts: ['Support builds people’s confidence and skills rather than doing things for them'],
    mechanismResource: 'Doing things with people first, then letting them lead',
    mechanismResponse:
      'people become more able to manage their own health and wellbeing (patient activation)',
    outcome: 'changes last after discharge',
    intervention: null,
    actor: 'Patients',
    statement: null,
    confidence: null,
    memo: null,
  },
];

const refinedConnections: CmocInput = {
  title: 'Connections in the practice',
  contexts: [
    'The link worker has clinical system access, or a named contact in each practice',
    'The link worker joins practice meetings, in person or online, and is supervised by someone who knows the role',
  ],
  mechanismResource: 'Shared records or a named practice contact, and regular contact with practice staff',
  mechanismResponse: 'practice staff know the link worker and what they do',
  outcome: 'referrals and feedback flow both ways, also when the link worker works remotely',
  intervention: null,
  actor: 'Link workers and practice staff',
  statement: null,
  confidence: 'moderate',
  memo: null,
};

const refineReason =
  'Case C3 (a council-employed link worker working remotely, without clinical system access) shows the mechanism firing through a named practice contact and online practice meetings: system access is one way into the practice, not the only one. The C1 accounts support the original where access exists.';

/** Evidence for the configurations: a stretch of a transcript (a quote), and whether it supports or refutes. */
const demoEvidence: {
  cmoc: string;
  transcript: DemoTranscript['key'];
  quote: string;
  stance: 'supports' | 'refutes' | 'refines';
  note: string | null;
}[] = [
  {
    cmoc: 'practice',
    transcript: 'lw1',
    quote:
      'after that the referrals got better. They started saying why they were referring and what the person wanted.',
    stance: 'supports',
    note: 'Referrals improved once the GPs met the link worker at the clinical meeting.',
  },
  {
    cmoc: 'practice',
    transcript: 'gp1',
    quote: 'If that loop wasn’t there I think I’d stop referring',
    stance: 'supports',
    note: null,
  },
  {
    cmoc: 'patient',
    transcript: 'pt1',
    quote: 'I didn’t really know what that meant. I thought it would be another form to fill in.',
    stance: 'refutes',
    note: 'She was not told why she was referred, yet took up support: being asked what mattered seems to do the work.',
  },
  {
    cmoc: 'patient',
    transcript: 'pt1',
    quote: 'She asked what mattered to me. Nobody had asked me that before.',
    stance: 'supports',
    note: null,
  },
  {
    cmoc: 'vcse',
    transcript: 'lw1',
    quote: '“We can’t keep taking your referrals for nothing.”',
    stance: 'supports',
    note: 'Without funding the partnership strains: the context matters.',
  },
  {
    cmoc: 'community',
    transcript: 'pt1',
    quote:
      'So she came with me the first time and introduced me to the lady who runs it. If she hadn’t, I would have turned round at the door, I know I would.',
    stance: 'supports',
    note: null,
  },
  {
    cmoc: 'community',
    transcript: 'lw3',
    quote:
      'I ring the group first and explain who is coming, so they are expecting them. Sometimes I arrange a three-way call',
    stance: 'refines',
    note: 'A remote warm handover.',
  },
  {
    cmoc: 'practiceConnections',
    transcript: 'lw1',
    quote:
      'I have access to the clinical system now, so I can write back into the record and the GP sees what happened.',
    stance: 'supports',
    note: null,
  },
  {
    cmoc: 'practiceConnections',
    transcript: 'gp1',
    quote:
      'What I value is the note back. When she writes in the record, I can see what happened without chasing.',
    stance: 'supports',
    note: null,
  },
  {
    cmoc: 'practiceConnections',
    transcript: 'lw3',
    quote: 'Things changed when I was given a named contact at each practice',
    stance: 'refines',
    note: 'No system access, but a named contact and online meetings: referrals and feedback started to flow.',
  },
  {
    cmoc: 'sustaining',
    transcript: 'pt1',
    quote: 'She showed me how to look things up on the community website and who to ring.',
    stance: 'supports',
    note: null,
  },
];

/** A transcript's text as "Speaker: words" paragraphs, and its turns in code points. */
function transcriptText(turns: SpeakerTurn[]) {
  const paragraphs = turns.map(([speaker, words]) => `${speaker}: ${words}`);
  const text = paragraphs.join('\n\n');
  let at = 0;
  const spans = paragraphs.map((p, i) => {
    const start = at;
    const end = start + codePointLength(p);
    at = end + 2;
    return { speaker: turns[i]![0], start, end };
  });
  return { text, turns: spans };
}

/** Where a quote is in a text, in code points; the seed fails loudly if the transcript and quote drift apart. */
function spanOf(text: string, quote: string, where: string) {
  const at = text.indexOf(quote);
  if (at < 0 || text.indexOf(quote, at + 1) >= 0) {
    throw new Error(`The demo quote "${quote.slice(0, 40)}…" is not found exactly once in ${where}`);
  }
  const converter = createOffsetConverter(text);
  return { start: converter.toCodePoint(at), end: converter.toCodePoint(at + quote.length) };
}

async function seedCodingDemo(
  tx: Db,
  now: Date,
  ctx: {
    studyId: string;
    org: string;
    lead: string;
    coder: string;
    participants: Map<string, { id: string; caseId: string }>;
    interviews: (typeof researchCollections.$inferInsert)[];
  },
) {
  const { studyId, org, lead, coder } = ctx;
  const today = londonDate(now);
  // A day after the interview, not after today.
  const after = (date: string, days: number, hour = 10) =>
    new Date(`${[addDays(date, days), today].sort()[0]}T${String(hour).padStart(2, '0')}:00:00Z`);

  const codeIds = new Map<CodeKey, string>(codebook.map((c) => [c.key, newId()]));
  const codebookMade = at(addDays(today, -60));
  await tx.insert(researchCodes).values(
    codebook.map((c) => ({
      id: codeIds.get(c.key)!,
      organisationId: org,
      studyId,
      parentId: c.parent ? codeIds.get(c.parent)! : null,
      name: c.name,
      definition: c.definition,
      whenToUse: c.whenToUse ?? null,
      whenNotToUse: c.whenNotToUse ?? null,
      colour: c.colour,
      createdBy: lead,
      createdAt: codebookMade,
      updatedAt: codebookMade,
    })),
  );

  const sources = new Map<DemoTranscript['key'], { id: string; text: string; heldOn: string }>();
  const codingRows: (typeof researchCodings.$inferInsert)[] = [];
  /** The lead's coding of each quote, for evidence to point at. */
  const leadCoding = new Map<string, string>();
  for (const t of transcripts) {
    const participant = ctx.participants.get(t.participant)!;
    const interview = ctx.interviews.find((c) => c.participantId === participant.id)!;
    const heldOn = interview.heldOn ?? interview.scheduledOn;
    const { text, turns } = transcriptText(t.turns);
    const id = newId();
    sources.set(t.key, { id, text, heldOn });
    await tx.insert(researchSources).values({
      id,
      organisationId: org,
      studyId,
      name: t.name,
      kind: t.kind,
      fileName: t.fileName,
      participantId: participant.id,
      caseId: participant.caseId,
      collectionId: interview.id!,
      workPackage: 'WP1',
      text,
      turns,
      length: codePointLength(text),
      status: 'ready',
      unredactedText: null,
      redactions: [],
      warnings: [],
      uploadedBy: lead,
      uploadedAt: after(heldOn, 5),
      deidentifiedBy: lead,
      deidentifiedAt: after(heldOn, 5, 11),
    });
    for (const c of demoCodings[t.key]) {
      const codeId = codeIds.get(c.code)!;
      if (c.by !== 'coder') {
        const span = spanOf(text, c.quote, t.name);
        const codingId = newId();
        leadCoding.set(`${t.key}|${c.quote}`, codingId);
        codingRows.push({
          id: codingId,
          organisationId: org,
          studyId,
          sourceId: id,
          codeId,
          coderId: lead,
          startOffset: span.start,
          endOffset: span.end,
          createdAt: after(heldOn, 8),
        });
      }
      if (c.by !== 'lead') {
        const span = spanOf(text, c.coderQuote ?? c.quote, t.name);
        codingRows.push({
          id: newId(),
          organisationId: org,
          studyId,
          sourceId: id,
          codeId,
          coderId: coder,
          startOffset: span.start,
          endOffset: span.end,
          createdAt: after(heldOn, 9),
        });
      }
    }
  }
  await tx.insert(researchCodings).values(codingRows);

  const coderCoding = (key: DemoTranscript['key'], quote: string) => {
    const source = sources.get(key)!;
    const span = spanOf(source.text, quote, key);
    return codingRows.find(
      (r) => r.sourceId === source.id && r.coderId === coder && r.startOffset === span.start,
    )!.id;
  };
  await tx.insert(researchMemos).values(
    [
      {
        targetType: 'code' as const,
        targetId: codeIds.get('warmHandover')!,
        text: 'A warm handover is an introduction made by the link worker, in person or by a call (three-way calls count). Leaflets and websites alone are signposting.',
        authorId: lead,
      },
      {
        targetType: 'coding' as const,
        targetId: leadCoding.get('lw3|Things changed when I was given a named contact at each practice')!,
        text: 'CMOC 5 may need a remote variant: a named practice contact stands in for being in the building.',
        authorId: lead,
      },
      {
        targetType: 'coding' as const,
        targetId: coderCoding(
          'pt1',
          'It was nearly six weeks before she rang, and I’d given up on it by then.',
        ),
        text: 'Coded as workload: the wait reads as capacity rather than her buy-in. To discuss.',
        authorId: coder,
      },
      {
        targetType: 'source' as const,
        targetId: sources.get('pt1')!.id,
        text: 'Strong account of a warm handover and of growing confidence. At WP2, ask whether she kept going to the group.',
        authorId: lead,
      },
    ].map((m) => ({
      id: newId(),
      organisationId: org,
      studyId,
      ...m,
      createdAt: after(sources.get('pt1')!.heldOn, 10),
      updatedAt: after(sources.get('pt1')!.heldOn, 10),
    })),
  );

  // The initial programme theory, CMOC 1 to 6, as the study was set up; CMOC 5 refined after case C3's data.
  const set = at(addDays(today, -200));
  const cmocIds = new Map<string, string>();
  await tx.insert(researchCmocs).values(
    initialCmocs.map(({ key, ...c }, i) => {
      const id = newId();
      cmocIds.set(key, id);
      const refined = key === 'practiceConnections';
      return {
        id,
        organisationId: org,
        studyId,
        lineageId: id,
        lineageVersion: 1,
        number: i + 1,
        title: c.title,
        contexts: c.contexts,
        mechanismResource: c.mechanismResource,
        mechanismResponse: c.mechanismResponse,
        outcome: c.outcome,
        intervention: c.intervention ?? null,
        actor: c.actor ?? null,
        statement: statementOf(c),
        status: refined
          ? ('refined' as const)
          : key === 'practice' || key === 'community'
            ? ('supported' as const)
            : ('proposed' as const),
        confidence: c.confidence,
        memo: c.memo,
        initial: true,
        supersededAt: refined ? after(sources.get('lw3')!.heldOn, 12) : null,
        createdBy: lead,
        createdAt: set,
        updatedAt: refined ? after(sources.get('lw3')!.heldOn, 12) : set,
        version: refined ? 2 : 1,
      };
    }),
  );
  const v1 = cmocIds.get('practiceConnections')!;
  await tx.insert(researchCmocs).values({
    id: newId(),
    organisationId: org,
    studyId,
    lineageId: v1,
    lineageVersion: 2,
    number: initialCmocs.findIndex((c) => c.key === 'practiceConnections') + 1,
    title: refinedConnections.title,
    contexts: refinedConnections.contexts,
    mechanismResource: refinedConnections.mechanismResource,
    mechanismResponse: refinedConnections.mechanismResponse,
    outcome: refinedConnections.outcome,
    intervention: null,
    actor: refinedConnections.actor ?? null,
    statement: statementOf(refinedConnections),
    status: 'proposed',
    confidence: refinedConnections.confidence,
    memo: null,
    initial: true,
    refinedFrom: v1,
    refineReason,
    createdBy: lead,
    createdAt: after(sources.get('lw3')!.heldOn, 12),
    updatedAt: after(sources.get('lw3')!.heldOn, 12),
  });
  await tx.insert(researchCmocEvidence).values(
    demoEvidence.map((e) => {
      const source = sources.get(e.transcript)!;
      const span = spanOf(source.text, e.quote, e.transcript);
      return {
        id: newId(),
        organisationId: org,
        studyId,
        cmocId: cmocIds.get(e.cmoc)!,
        sourceId: source.id,
        startOffset: span.start,
        endOffset: span.end,
        codingId: leadCoding.get(`${e.transcript}|${e.quote}`) ?? null,
        stance: e.stance,
        note: e.note,
        addedBy: lead,
        addedAt: after(source.heldOn, 11),
      };
    }),
  );
}
