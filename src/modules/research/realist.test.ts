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
import { ManualClock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';

const TODAY = '2026-06-15T10:00:00Z';
const TRANSCRIPT = [
  'Interviewer: What made the difference?',
  'Participant: The GP knew her and trusted her, so I went along to the group.',
  'Interviewer: Was anything hard?',
  'Participant: The first week nobody spoke to me and I nearly stopped going.',
].join('\n');

const buyIn = {
  title: 'Practice buy-in',
  contexts: ['Practice staff know the link worker', 'The link worker sits in the practice'],
  mechanismResource: 'A warm handover from the GP',
  mechanismResponse: 'patients trust the referral.',
  outcome: 'Patients take up the referral',
};
const connections = {
  title: 'Community connections',
  contexts: ['The link worker knows local groups'],
  mechanismResource: 'Introductions to group leaders',
  mechanismResponse: 'people feel welcome',
  outcome: 'people keep going to groups',
};

describeEachDatabase('the research workspace: CMO configurations, evidence, refinement, cross-case', (db) => {
  let t: TestApp;
  let world: World;
  let lead: TestUser;
  let coder: TestUser;
  const { as, req } = signedInUsers(() => t);
  let studyId: string;
  let sourceId: string;
  let caseId: string;
  const cmoc: Record<string, string> = {};
  const at = (phrase: string) => {
    const start = TRANSCRIPT.indexOf(phrase);
    return { start, end: start + phrase.length };
  };

  beforeAll(async () => {
    world = await makeWorld(db().db);
    lead = world.users.researcherA;
    coder = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Coder B' });
    t = await makeTestApp(db(), new ManualClock(TODAY));
    // Six referrals allocated to link worker A1 in the case period, first contacted 1 to 6 days later.
    await inTransaction(db().db, { system: true, now: new Date(TODAY) }, async (tx) => {
      for (let i = 1; i <= 6; i++) {
        const personId = newId();
        const referralId = newId();
        const received = new Date(Date.UTC(2026, 3, 1 + i, 9));
        await tx.execute(sql`insert into people (id, organisation_id, given_name, family_name, date_of_birth, sex,
            ethnic_category, address_lines, consent_to_share_with_services, created_at, updated_at)
          values (${personId}, ${world.orgs.pcnA1}, 'Case', 'Person', '1950-01-01', 'female', 'Z', '[]'::jsonb,
            false, now(), now())`);
        await tx.execute(sql`insert into referrals (id, organisation_id, person_id, source, reasons, urgency,
            consent_to_referral, status, allocated_link_worker_id, received_at, created_at, updated_at)
          values (${referralId}, ${world.orgs.pcnA1}, ${personId}, 'professional', '["loneliness"]'::jsonb, 'routine',
            true, 'accepted', ${world.users.lwA1.id}, ${received}, ${received}, ${received})`);
        await tx.execute(sql`insert into contacts (id, organisation_id, referral_id, person_id, link_worker_id,
            occurred_at, mode, kind, created_at)
          values (${newId()}, ${world.orgs.pcnA1}, ${referralId}, ${personId}, ${world.users.lwA1.id},
            ${new Date(received.getTime() + i * 86_400_000)}, 'phone', 'first_contact', now())`);
      }
    });
    const res = await req(lead, 'POST', '/research/studies', {
      title: 'Realist study',
      question: 'What works, for whom, why?',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      workPackages: [{ code: 'WP1', title: 'Case studies' }],
      audioRetentionMonths: 6,
      initialCmocs: [buyIn, connections],
    });
    expect(res.statusCode, res.body).toBe(201);
    studyId = res.json().id;
    await req(lead, 'PUT', `/research/studies/${studyId}/members`, { userId: coder.id, role: 'coder' });
    const site = (
      await req(lead, 'POST', `/research/studies/${studyId}/sites`, { name: 'Northshire' })
    ).json();
    caseId = (
      await req(lead, 'POST', `/research/studies/${studyId}/cases`, {
        siteId: site.id,
        label: 'C1',
        linkWorkerId: world.users.lwA1.id,
        linkWorkerOrganisationId: world.orgs.pcnA1,
        startsOn: '2026-04-01',
      })
    ).json().id;
    const participant = (
      await req(lead, 'POST', `/research/studies/${studyId}/participants`, { caseId, role: 'patient' })
    ).json();
    const s = await as(lead);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: `/api/research/studies/${studyId}/sources?fileName=c1-pt-01.txt&participantId=${participant.id}`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'text/plain' },
      payload: Buffer.from(TRANSCRIPT),
    });
    sourceId = uploaded.json().id;
    await req(lead, 'POST', `/research/sources/${sourceId}/redactions`, { redactions: [], version: 1 });
  });
  afterAll(() => t?.close());

  it('seeds the initial programme theory from the study’s set-up, each written as if–then–because', async () => {
    const res = await req(coder, 'GET', `/research/studies/${studyId}/cmocs`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items.map((c: { label: string; initial: boolean }) => [c.label, c.initial])).toEqual([
      ['CMOC 1', true],
      ['CMOC 2', true],
    ]);
    cmoc.buyIn = items[0].id;
    cmoc.connections = items[1].id;
    expect(items[0].statement).toBe(
      'If practice staff know the link worker and the link worker sits in the practice, then patients take up the ' +
        'referral, because a warm handover from the GP leads to patients trust the referral.',
    );
    const added = await req(lead, 'POST', `/research/studies/${studyId}/cmocs`, {
      ...connections,
      title: 'Remote delivery',
      statement: 'If contact is by phone only, then fewer people attend, because trust builds slowly.',
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ label: 'CMOC 3', initial: false, status: 'proposed' });
    expect((await req(coder, 'POST', `/research/studies/${studyId}/cmocs`, connections)).statusCode).toBe(
      403,
    );
    const bad = await req(lead, 'POST', `/research/studies/${studyId}/cmocs`, {
      ...connections,
      contexts: [],
    });
    expect(bad.statusCode).toBe(400);
  });

  it('links evidence that supports and refutes, from the text of a de-identified source', async () => {
    const supports = at('The GP knew her and trusted her');
    let res = await req(lead, 'POST', `/research/cmocs/${cmoc.buyIn}/evidence`, {
      sourceId,
      ...supports,
      stance: 'supports',
      note: 'Trust in the GP carries over to the link worker.',
    });
    expect(res.statusCode, res.body).toBe(201);
    res = await req(lead, 'POST', `/research/cmocs/${cmoc.buyIn}/evidence`, {
      sourceId,
      ...at('nobody spoke to me and I nearly stopped going'),
      stance: 'refutes',
    });
    expect(res.statusCode).toBe(201);
    const evidence = res.json().evidence;
    expect(
      evidence.map((e: { stance: string; text: string; caseLabel: string; role: string }) => [
        e.stance,
        e.text,
        e.caseLabel,
        e.role,
      ]),
    ).toEqual([
      ['supports', 'The GP knew her and trusted her', 'C1', 'patient'],
      ['refutes', 'nobody spoke to me and I nearly stopped going', 'C1', 'patient'],
    ]);
    const outside = await req(lead, 'POST', `/research/cmocs/${cmoc.buyIn}/evidence`, {
      sourceId,
      start: 10,
      end: TRANSCRIPT.length + 1,
      stance: 'supports',
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().detail).toContain(`positions 0 to ${TRANSCRIPT.length}`);
  });

  it('records the team’s judgement, refusing a stale one', async () => {
    let res = await req(lead, 'PUT', `/research/cmocs/${cmoc.connections}/judgement`, {
      status: 'supported',
      confidence: 'moderate',
      memo: 'Seen in two cases.',
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'supported', confidence: 'moderate' });
    res = await req(lead, 'PUT', `/research/cmocs/${cmoc.connections}/judgement`, {
      status: 'refuted',
      confidence: 'low',
      version: 1,
    });
    expect(res.statusCode).toBe(409);
  });

  it('refines a configuration into a new version; the old one and its evidence stay as history', async () => {
    const res = await req(lead, 'POST', `/research/cmocs/${cmoc.buyIn}/refinements`, {
      ...buyIn,
      contexts: [...buyIn.contexts, 'The group welcomes newcomers'],
      reason: 'A warm handover was not enough where the group did not welcome her (C1-PT-01).',
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(201);
    const v2 = res.json();
    expect(v2).toMatchObject({
      label: 'CMOC 1 v2',
      lineageVersion: 2,
      current: true,
      refinedFrom: cmoc.buyIn,
    });
    expect(
      v2.history.map((h: { label: string; status: string; evidence: object }) => [
        h.label,
        h.status,
        h.evidence,
      ]),
    ).toEqual([
      ['CMOC 1', 'refined', { supports: 1, refutes: 1, refines: 0 }],
      ['CMOC 1 v2', 'proposed', { supports: 0, refutes: 0, refines: 0 }],
    ]);
    // The old version takes no more evidence; the theory now shows the new one.
    const late = await req(lead, 'POST', `/research/cmocs/${cmoc.buyIn}/evidence`, {
      sourceId,
      ...at('The first week'),
      stance: 'refines',
    });
    expect(late.statusCode).toBe(409);
    const theory = (await req(lead, 'GET', `/research/studies/${studyId}/cmocs`)).json().items;
    expect(theory.map((c: { label: string }) => c.label)).toEqual(['CMOC 1 v2', 'CMOC 2', 'CMOC 3']);
    expect(theory[0].evidenceAllVersions).toEqual({ supports: 1, refutes: 1, refines: 0 });
    const history = (await req(coder, 'GET', `/research/studies/${studyId}/theory-history`)).json().items;
    expect(history.map((h: { label: string; change: string }) => `${h.label}:${h.change}`)).toEqual([
      'CMOC 1:initial',
      'CMOC 2:initial',
      'CMOC 3:proposed',
      'CMOC 1 v2:refined',
    ]);
    expect(history[3]).toMatchObject({
      refinedFromLabel: 'CMOC 1',
      refineReason: expect.stringContaining('did not welcome her'),
      evidenceBehindChange: { supports: 1, refutes: 1, refines: 0 },
    });
    cmoc.buyInV2 = v2.id;
  });

  it('shows cases × configurations with evidence, the case’s context, and pathway figures with small cells hidden', async () => {
    const res = await req(lead, 'GET', `/research/studies/${studyId}/cross-case`);
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json();
    expect(m.cmocs.map((c: { label: string }) => c.label)).toEqual(['CMOC 1 v2', 'CMOC 2', 'CMOC 3']);
    expect(m.rows).toHaveLength(1);
    const row = m.rows[0];
    expect(row).toMatchObject({
      label: 'C1',
      context: { linkWorkerName: 'Link worker A1', startsOn: '2026-04-01' },
    });
    expect(row.cells[0]).toMatchObject({ supports: 1, refutes: 1, refines: 0 });
    expect(row.cells[0].summaries[0]).toMatchObject({
      stance: 'supports',
      role: 'patient',
      text: 'Trust in the GP carries over to the link worker.',
    });
    // Six referrals and first contacts in the period: shown; waits 1–6 days, median 3.5; no discharges: hidden.
    expect(row.pathway).toEqual({
      referrals: { value: 6, suppressed: false },
      contacts: { value: 6, suppressed: false },
      firstContacts: { value: 6, suppressed: false },
      discharges: { value: null, suppressed: true },
      medianDaysToFirstContact: { value: 3.5, suppressed: false },
    });
    const gps = (await req(lead, 'GET', `/research/studies/${studyId}/cross-case?role=gp`)).json();
    expect(gps.rows[0].cells[0]).toMatchObject({ supports: 0, refutes: 0 });
  });

  it('keeps the RAMESES II checklist and downloads it as a PDF', async () => {
    let res = await req(lead, 'GET', `/research/studies/${studyId}/rameses`);
    expect(res.json().items).toHaveLength(20);
    expect(res.json().items[5]).toMatchObject({ item: 6, title: 'Ethical approval', reported: null });
    res = await req(lead, 'PUT', `/research/studies/${studyId}/rameses`, {
      items: [
        { item: 6, reported: 'yes', location: 'Study details: ethics reference' },
        { item: 17, reported: 'unclear', note: 'Limitations to write up' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items[5]).toMatchObject({
      reported: 'yes',
      location: 'Study details: ethics reference',
    });
    expect(
      (
        await req(lead, 'PUT', `/research/studies/${studyId}/rameses`, {
          items: [{ item: 21, reported: 'yes' }],
        })
      ).statusCode,
    ).toBe(400);
    const pdf = await req(coder, 'GET', `/research/studies/${studyId}/rameses.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
