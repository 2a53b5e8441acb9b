import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import {
  makeTestApp,
  makeUser,
  signedInUsers,
  type TestApp,
  type TestUser,
} from '../../../test/factories.ts';
import { makeWorld, type World } from '../../../test/world.ts';
import { rowsOf } from '../../db/client.ts';
import { ManualClock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { linkWorkerContexts } from '../link-workers/schema.ts';

const TODAY = '2026-03-02T10:00:00Z';

const studyBody = {
  title: 'Link workers in primary care: what works, for whom, in what circumstances',
  question: 'When implementing link workers in primary care to sustain outcomes, what works, for whom, why?',
  ethicsReference: '26/NW/0001',
  funder: 'NIHR HS&DR',
  startsOn: '2026-01-01',
  endsOn: '2027-12-31',
  workPackages: [
    { code: 'WP1', title: 'Case studies' },
    { code: 'WP2', title: 'Patient follow-up interviews' },
  ],
  initialProgrammeTheory: 'If practice staff buy in, then referrals fit, because they trust the link worker.',
  audioRetentionMonths: 6,
};

describeEachDatabase('the research workspace: studies, team, sites, cases, participants', (db) => {
  let t: TestApp;
  let world: World;
  let researcherB: TestUser;
  let researcherC: TestUser;
  const { req, forget } = signedInUsers(() => t);
  // Moving the clock by months ends every session: sign in again at the new time.
  const travel = (to: Date) => {
    t.clock.set(to);
    forget();
  };
  let studyId: string;
  let siteId: string;
  let caseId: string;

  beforeAll(async () => {
    world = await makeWorld(db().db);
    researcherB = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Researcher B' });
    researcherC = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Researcher C' });
    // Link worker A1's role: PCN-employed, then VCSE-hosted from 1 April 2026 (during the case below).
    await inTransaction(db().db, { system: true, now: new Date(TODAY) }, (tx) =>
      tx.insert(linkWorkerContexts).values(
        (['2025-01-01', '2026-04-01'] as const).map((effectiveFrom, i) => ({
          id: newId(),
          organisationId: world.orgs.pcnA1,
          linkWorkerId: world.users.lwA1.id,
          effectiveFrom,
          employmentModel: i === 0 ? ('pcn_employed' as const) : ('vcse_hosted' as const),
          baseSettings: ['gp_practice' as const],
          contractedHoursPerWeek: '37.5',
          supervision: 'lead_link_worker' as const,
          clinicalSystemAccess: 'yes' as const,
          practiceMeetings: 'regular' as const,
          deliveryMode: 'in_person' as const,
          recordedBy: world.users.leadA1.id,
          recordedAt: new Date(TODAY),
        })),
      ),
    );
    t = await makeTestApp(db(), new ManualClock(TODAY));
  });
  afterAll(() => t?.close());

  it('lets a researcher start a study and lead it; others are told it does not exist', async () => {
    const res = await req(world.users.researcherA, 'POST', '/research/studies', studyBody);
    expect(res.statusCode, res.body).toBe(201);
    const study = res.json();
    studyId = study.id;
    expect(study).toMatchObject({
      title: studyBody.title,
      myRole: 'lead',
      workPackages: [
        { code: 'WP1', title: 'Case studies' },
        { code: 'WP2', title: 'Patient follow-up interviews' },
      ],
      members: [{ userId: world.users.researcherA.id, role: 'lead' }],
      keepUnredactedText: false,
    });
    const mine = await req(world.users.researcherA, 'GET', '/research/studies');
    expect(mine.json().items.map((s: { id: string }) => s.id)).toEqual([studyId]);
    // Not on the team: no such study. Not a researcher at all: not allowed.
    expect((await req(researcherB, 'GET', `/research/studies/${studyId}`)).statusCode).toBe(404);
    expect((await req(researcherB, 'GET', '/research/studies')).json().items).toEqual([]);
    expect((await req(world.users.commissionerA, 'GET', `/research/studies/${studyId}`)).statusCode).toBe(
      403,
    );
    expect((await req(world.users.lwA1, 'POST', '/research/studies', studyBody)).statusCode).toBe(403);
  });

  it('names each wrong field of a study', async () => {
    const res = await req(world.users.researcherA, 'POST', '/research/studies', {
      ...studyBody,
      endsOn: '2025-12-31',
      workPackages: [
        { code: 'WP1', title: 'A' },
        { code: 'WP1', title: 'B' },
      ],
      audioRetentionMonths: -1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['endsOn', 'workPackages', 'audioRetentionMonths']));
  });

  it('puts researchers on the team with a study role; coders read but do not change; a study keeps a lead', async () => {
    let res = await req(world.users.researcherA, 'PUT', `/research/studies/${studyId}/members`, {
      userId: researcherB.id,
      role: 'coder',
    });
    expect(res.statusCode, res.body).toBe(200);
    res = await req(world.users.researcherA, 'PUT', `/research/studies/${studyId}/members`, {
      userId: researcherC.id,
      role: 'researcher',
    });
    expect(res.json().members.map((m: { role: string }) => m.role)).toEqual(['lead', 'researcher', 'coder']);
    // Only researchers at the study's organisation can join.
    res = await req(world.users.researcherA, 'PUT', `/research/studies/${studyId}/members`, {
      userId: world.users.lwA1.id,
      role: 'coder',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toMatchObject({ field: 'userId' });
    // The coder reads the study but adds nothing; nor can they manage the team.
    expect((await req(researcherB, 'GET', `/research/studies/${studyId}`)).statusCode).toBe(200);
    res = await req(researcherB, 'POST', `/research/studies/${studyId}/sites`, { name: 'Northshire' });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/Coders, transcribers and read-only members/);
    expect(
      (
        await req(researcherC, 'PUT', `/research/studies/${studyId}/members`, {
          userId: researcherB.id,
          role: 'lead',
        })
      ).statusCode,
    ).toBe(403);
    // The only lead cannot step down or be removed.
    res = await req(
      world.users.researcherA,
      'DELETE',
      `/research/studies/${studyId}/members/${world.users.researcherA.id}`,
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/at least one lead/);
  });

  it('adds sites and cases; a case runs 3 months and shows its link worker’s context as it was', async () => {
    let res = await req(researcherC, 'POST', `/research/studies/${studyId}/sites`, {
      name: 'Northshire',
      organisationId: world.orgs.pcnA1,
    });
    expect(res.statusCode, res.body).toBe(201);
    siteId = res.json().id;
    res = await req(researcherC, 'POST', `/research/studies/${studyId}/sites`, { name: 'Northshire' });
    expect(res.statusCode).toBe(422);
    const candidates = (await req(researcherC, 'GET', `/research/studies/${studyId}/case-candidates`)).json()
      .items;
    expect(candidates.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining([world.users.lwA1.id, world.users.lwA1b.id]),
    );
    expect(candidates.map((c: { id: string }) => c.id)).not.toContain(world.users.lwB1.id);
    res = await req(researcherC, 'POST', `/research/studies/${studyId}/cases`, {
      siteId,
      label: 'C1',
      linkWorkerId: world.users.lwA1.id,
      linkWorkerOrganisationId: world.orgs.pcnA1,
      startsOn: '2026-03-01',
    });
    expect(res.statusCode, res.body).toBe(201);
    caseId = res.json().id;
    expect(res.json().endsOn).toBe('2026-05-31');
    // Another ICB's link worker cannot be a case here.
    res = await req(researcherC, 'POST', `/research/studies/${studyId}/cases`, {
      siteId,
      label: 'C2',
      linkWorkerId: world.users.lwB1.id,
      linkWorkerOrganisationId: world.orgs.pcnB1,
      startsOn: '2026-03-01',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('linkWorkerId');
    const study = (await req(world.users.researcherA, 'GET', `/research/studies/${studyId}`)).json();
    expect(study.cases).toHaveLength(1);
    expect(study.cases[0]).toMatchObject({
      label: 'C1',
      linkWorkerName: 'Link worker A1',
      startsOn: '2026-03-01',
      endsOn: '2026-05-31',
      contextAtStart: { employmentModel: 'pcn_employed', effectiveTo: '2026-03-31' },
      contextAtEnd: { employmentModel: 'vcse_hosted', effectiveFrom: '2026-04-01' },
    });
  });

  it('gives participants study IDs; only leads record or see who they are, and each read is audited', async () => {
    let res = await req(world.users.researcherA, 'POST', `/research/studies/${studyId}/participants`, {
      caseId,
      role: 'gp',
      contact: { name: 'Dr Ann Example', email: 'ann@example.org' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().studyCode).toBe('C1-GP-01');
    const gpId = res.json().id;
    res = await req(researcherC, 'POST', `/research/studies/${studyId}/participants`, { caseId, role: 'gp' });
    expect(res.json().studyCode).toBe('C1-GP-02');
    res = await req(researcherC, 'POST', `/research/studies/${studyId}/participants`, { role: 'other' });
    expect(res.json().studyCode).toBe('S-OT-01');
    // A researcher who is not a lead may not record identities.
    res = await req(researcherC, 'POST', `/research/studies/${studyId}/participants`, {
      caseId,
      role: 'patient',
      contact: { name: 'Someone' },
    });
    expect(res.statusCode).toBe(403);
    res = await req(researcherC, 'GET', `/research/participants/${gpId}`);
    expect(res.json()).toMatchObject({ studyCode: 'C1-GP-01', contact: null, identifiableVisible: false });
    expect(res.body).not.toContain('Ann Example');
    res = await req(world.users.researcherA, 'GET', `/research/participants/${gpId}`);
    expect(res.json().contact).toMatchObject({ name: 'Dr Ann Example', email: 'ann@example.org' });
    const list = (await req(researcherB, 'GET', `/research/studies/${studyId}/participants`)).json().items;
    expect(list.map((p: { studyCode: string }) => p.studyCode)).toEqual(['C1-GP-01', 'C1-GP-02', 'S-OT-01']);
    expect(JSON.stringify(list)).not.toContain('Ann');
    const events = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ action: string; actor_user_id: string }>(
        await tx.execute(sql`select action, actor_user_id from audit_events
          where record_ids @> ${JSON.stringify([gpId])}::jsonb order by occurred_at, action`),
      ),
    );
    expect(
      events.map((e) => `${e.action}:${e.actor_user_id === world.users.researcherA.id ? 'A' : 'other'}`),
    ).toEqual(
      expect.arrayContaining([
        'research.participant.added:A',
        'research.participant.read:other',
        'research.participant.read_identifiable:A',
        'research.participants.listed:other',
      ]),
    );
    // Another study's team, or none, cannot read the participant.
    expect((await req(world.users.commissionerA, 'GET', `/research/participants/${gpId}`)).statusCode).toBe(
      403,
    );
    const other = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']] });
    expect((await req(other, 'GET', `/research/participants/${gpId}`)).statusCode).toBe(404);
  });

  it('proposes a WP2 follow-up 9–12 months after a patient’s first interview, for those who agreed to it', async () => {
    const add = async (contact?: object) =>
      (
        await req(world.users.researcherA, 'POST', `/research/studies/${studyId}/participants`, {
          caseId,
          role: 'patient',
          ...(contact ? { contact } : {}),
        })
      ).json() as { id: string; studyCode: string };
    const agreed = await add({ name: 'Pat One', phone: '07700 900001' });
    const declined = await add();
    const consent = (id: string, scopes: string[], consentedOn = '2026-03-02') =>
      req(researcherC, 'POST', `/research/participants/${id}/consents`, {
        formVersion: 'v2.1',
        consentedOn,
        scopes,
      });
    const plan = async (participantId: string, extra: object = {}) =>
      req(researcherC, 'POST', `/research/studies/${studyId}/collections`, {
        participantId,
        kind: 'interview',
        workPackage: 'WP1',
        mode: 'teams',
        scheduledOn: '2026-03-02',
        researcherId: researcherC.id,
        topicGuideVersion: 'TG-patient-1',
        ...extra,
      });
    const first = (await plan(agreed.id)).json();
    expect(first).toMatchObject({ status: 'planned', caseLabel: 'C1', participantCode: agreed.studyCode });
    // No consent to be interviewed yet: it cannot be marked done.
    let res = await req(researcherC, 'PATCH', `/research/collections/${first.id}`, {
      status: 'done',
      heldOn: '2026-03-02',
      version: first.version,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/consent to be interviewed/);
    expect((await consent(agreed.id, ['interview', 'audio_recording', 'future_contact'])).statusCode).toBe(
      201,
    );
    expect((await consent(declined.id, ['interview'])).statusCode).toBe(201);
    res = await req(researcherC, 'PATCH', `/research/collections/${first.id}`, {
      status: 'done',
      heldOn: '2026-03-02',
      version: first.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    const second = (await plan(declined.id)).json();
    await req(researcherC, 'PATCH', `/research/collections/${second.id}`, {
      status: 'done',
      heldOn: '2026-03-02',
      version: second.version,
    });
    // A WP2 interview for someone who did not agree to be contacted again is refused.
    res = await plan(declined.id, { workPackage: 'WP2', followUpOf: second.id, scheduledOn: '2026-12-10' });
    expect(res.statusCode).toBe(409);

    const followUps = async () => {
      const r = await req(researcherB, 'GET', `/research/studies/${studyId}/follow-ups`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    let f = await followUps();
    expect(f.items).toEqual([
      expect.objectContaining({
        studyCode: agreed.studyCode,
        firstInterviewOn: '2026-03-02',
        windowFrom: '2026-12-02',
        windowTo: '2027-03-02',
        status: 'not_yet',
      }),
    ]);
    travel(new Date('2026-11-10T10:00:00Z'));
    expect((await followUps()).items[0].status).toBe('opening');
    travel(new Date('2026-12-02T10:00:00Z'));
    expect((await followUps()).items[0].status).toBe('open');
    travel(new Date('2027-03-03T10:00:00Z'));
    expect((await followUps()).items[0].status).toBe('missed');
    travel(new Date('2026-12-05T10:00:00Z'));
    res = await plan(agreed.id, { workPackage: 'WP2', followUpOf: first.id, scheduledOn: '2026-12-10' });
    expect(res.statusCode, res.body).toBe(201);
    f = await followUps();
    expect(f.items[0]).toMatchObject({
      status: 'planned',
      followUpOn: '2026-12-10',
      followUpId: res.json().id,
    });
    travel(new Date(TODAY));
  });

  it('records a withdrawal: planned interviews are cancelled and, when asked, who they were is removed', async () => {
    const { id } = (
      await req(world.users.researcherA, 'POST', `/research/studies/${studyId}/participants`, {
        caseId,
        role: 'vcse_staff',
        contact: { name: 'Val Staff', email: 'val@example.org' },
      })
    ).json();
    const planned = (
      await req(researcherC, 'POST', `/research/studies/${studyId}/collections`, {
        participantId: id,
        kind: 'interview',
        workPackage: 'WP1',
        mode: 'in_person',
        scheduledOn: '2026-03-20',
      })
    ).json();
    expect(
      (
        await req(researcherC, 'POST', `/research/participants/${id}/withdrawal`, {
          withdrawnOn: '2026-03-02',
          choice: 'remove_data',
          version: 1,
        })
      ).statusCode,
    ).toBe(403);
    const res = await req(world.users.researcherA, 'POST', `/research/participants/${id}/withdrawal`, {
      withdrawnOn: '2026-03-02',
      choice: 'remove_data',
      reason: 'No longer has time',
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      withdrawnOn: '2026-03-02',
      withdrawalChoice: 'remove_data',
      contact: null,
    });
    expect(res.json().collections).toEqual([
      expect.objectContaining({ id: planned.id, status: 'cancelled' }),
    ]);
    // Nothing more is collected.
    const again = await req(researcherC, 'POST', `/research/studies/${studyId}/collections`, {
      participantId: id,
      kind: 'interview',
      workPackage: 'WP1',
      mode: 'telephone',
      scheduledOn: '2026-04-01',
    });
    expect(again.statusCode).toBe(409);
    const [audit] = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ detail: { removed: Record<string, number> } }>(
        await tx.execute(sql`select detail from audit_events where action = 'research.participant.withdrawn'
          and record_ids @> ${JSON.stringify([id])}::jsonb`),
      ),
    );
    expect(audit?.detail.removed).toEqual({ plannedCancelled: 1, recordings: 0, contactDetails: 1 });
  });

  it('links a patient to their pathway record only with consent to it, by a lead', async () => {
    const { id } = (
      await req(world.users.researcherA, 'POST', `/research/studies/${studyId}/participants`, {
        caseId,
        role: 'patient',
      })
    ).json();
    const personId = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) => {
      const pid = newId();
      await tx.execute(sql`insert into people (id, organisation_id, given_name, family_name, date_of_birth, sex, ethnic_category,
          address_lines, consent_to_share_with_services, created_at, updated_at)
        values (${pid}, ${world.orgs.pcnA1}, 'Linked', 'Person', '1950-01-01', 'female', 'Z', '[]'::jsonb, false, now(), now())`);
      return pid;
    });
    const body = { formVersion: 'v2.1', consentedOn: '2026-03-02', pathwayPersonId: personId };
    let res = await req(world.users.researcherA, 'POST', `/research/participants/${id}/consents`, {
      ...body,
      scopes: ['interview'],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('pathwayPersonId');
    res = await req(researcherC, 'POST', `/research/participants/${id}/consents`, {
      ...body,
      scopes: ['interview', 'pathway_record'],
    });
    expect(res.statusCode).toBe(403);
    res = await req(world.users.researcherA, 'POST', `/research/participants/${id}/consents`, {
      ...body,
      scopes: ['interview', 'pathway_record'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().contact.pathwayPersonId).toBe(personId);
    // A later consent without it takes the link away.
    res = await req(world.users.researcherA, 'POST', `/research/participants/${id}/consents`, {
      formVersion: 'v2.2',
      consentedOn: '2026-03-02',
      scopes: ['interview'],
    });
    expect(res.json().contact.pathwayPersonId).toBeNull();
    expect(res.json().consents.map((c: { formVersion: string }) => c.formVersion)).toEqual(['v2.2', 'v2.1']);
  });
});
