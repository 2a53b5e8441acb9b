import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, signIn, type TestApp } from '../../../test/factories.ts';
import { makeWorld, type World } from '../../../test/world.ts';
import { type Db, rowsOf } from '../../db/client.ts';
import { ManualClock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { auditEvents } from '../audit/schema.ts';
import { linkWorkerContexts } from '../link-workers/schema.ts';
import { discharges } from '../pathway/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { instrumentDefinition } from './definition.ts';
import { ONS4 } from './instruments.ts';
import type { ChangeReport, ChangeRow } from './report.ts';
import { outcomeInstruments, outcomeResponses } from './schema.ts';
import { scoreResponse } from './scoring.ts';

/*
 * A fixed dataset of ONS4 measures (baseline in 2026, "today" 15 June 2027):
 *
 *   E1–E5   PCN A1, link worker A1 (PCN-employed), baselines Feb 2026, IMD deciles 1–2, need "loneliness",
 *           discharged 1 May 2026 agreeing to follow-up; discharge measures for all five, a long-term follow-up
 *           for E1–E3 (the window closed 1 May 2027). E1 also has an amended-away baseline, E2 an earlier
 *           discharge measure, E3 a later partial one: none of those may count.
 *   E6–E8   PCN A1, link worker A1 after their context changed to VCSE-hosted (1 July 2026), IMD deciles 9–10,
 *           discharged 1 November 2026 without consent to follow-up.
 *   E9–E10  PCN A1, link worker A1b (PCN-employed), no IMD decile, discharged 1 June 2026 with consent, no follow-up.
 *   E11–E12 PCN A1, baselines only, still open.
 *   E13     PCN A2 (same ICB), discharged.        E14  PCN B1 (another ICB), discharged.
 *   E15     PCN A1, baseline in December 2025: outside the period.
 */
const life = {
  // E1..E15, baseline → discharge
  before: [3, 5, 4, 6, 2, 4, 4, 4, 2, 8, null, null, 5, 1, 0],
  after: [6, 6, 5, 8, 5, 5, 3, 6, 4, 8, null, null, 7, 9, 10],
};
const anxiety = { before: [7, 6, 8, 5, 9], after: [4, 6, 5, 5, 6] };

const TODAY = '2027-06-15T11:00:00Z';
const PERIOD = 'from=2026-01-01&to=2026-12-31';

async function seed(db: Db, world: World) {
  const { orgs, users } = world;
  const ons4 = instrumentDefinition.parse(ONS4);
  const now = new Date(TODAY);
  await inTransaction(db, { system: true, now }, async (tx) => {
    const [instrument] = await tx
      .select({ id: outcomeInstruments.id })
      .from(outcomeInstruments)
      .where(eq(outcomeInstruments.code, 'ons4'));
    const context = (linkWorkerId: string, effectiveFrom: string, model: 'pcn_employed' | 'vcse_hosted') => ({
      id: newId(),
      organisationId: orgs.pcnA1,
      linkWorkerId,
      effectiveFrom,
      employmentModel: model,
      baseSettings: ['gp_practice' as const],
      contractedHoursPerWeek: '37.5',
      supervision: 'lead_link_worker' as const,
      clinicalSystemAccess: 'yes' as const,
      practiceMeetings: 'regular' as const,
      deliveryMode: 'in_person' as const,
      recordedBy: users.leadA1.id,
      recordedAt: now,
    });
    await tx
      .insert(linkWorkerContexts)
      .values([
        context(users.lwA1.id, '2025-01-01', 'pcn_employed'),
        context(users.lwA1.id, '2026-07-01', 'vcse_hosted'),
        context(users.lwA1b.id, '2025-01-01', 'pcn_employed'),
      ]);

    const episode = async (e: {
      pcn: string;
      linkWorker: string | null;
      decile: number | null;
      reasons: string[];
      sex: 'female' | 'male';
      discharged?: { on: string; consent: boolean };
    }) => {
      const personId = newId();
      const referralId = newId();
      await tx.insert(people).values({
        id: personId,
        organisationId: e.pcn,
        givenName: 'Report',
        familyName: 'Person',
        dateOfBirth: '1950-03-03',
        sex: e.sex,
        ethnicCategory: 'A',
        addressLines: [],
        imdDecile: e.decile,
        consentToShareWithServices: false,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(referrals).values({
        id: referralId,
        organisationId: e.pcn,
        personId,
        source: 'professional',
        reasons: e.reasons,
        urgency: 'routine',
        consentToReferral: true,
        status: e.discharged ? 'discharged' : 'accepted',
        allocatedLinkWorkerId: e.linkWorker,
        receivedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      if (e.discharged) {
        await tx.insert(discharges).values({
          referralId,
          organisationId: e.pcn,
          personId,
          reason: 'goals_met',
          dischargedOn: e.discharged.on,
          closingSummary: 'x',
          supportOffered: 'x',
          outcome: 'x',
          consentToFollowUp: e.discharged.consent,
          dischargedBy: users.leadA1.id,
          dischargedAt: now,
        });
      }
      const measure = async (
        timepoint: 'baseline' | 'discharge' | 'follow_up_long',
        completedOn: string,
        answers: Record<string, number>,
        extra: { superseded?: boolean } = {},
      ) => {
        const scored = scoreResponse(ons4, answers);
        await tx.insert(outcomeResponses).values({
          id: newId(),
          organisationId: e.pcn,
          personId,
          referralId,
          instrumentId: instrument!.id,
          instrumentCode: 'ons4',
          timepoint,
          completedOn,
          completedBy: 'with_link_worker',
          mode: 'in_person',
          answers,
          status: scored.status,
          scores: scored.scores.map((s) => ({ code: s.code, value: s.value, band: s.band })),
          submissionId: newId(),
          superseded: extra.superseded ?? false,
          recordedAt: now,
        });
      };
      return measure;
    };
    const ons = (lifeSatisfaction: number, anxietyScore = 5, other = 5) => ({
      life_satisfaction: lifeSatisfaction,
      worthwhile: other,
      happiness: other,
      anxiety: anxietyScore,
    });

    for (let i = 0; i < 5; i++) {
      const m = await episode({
        pcn: orgs.pcnA1,
        linkWorker: users.lwA1.id,
        decile: i % 2 === 0 ? 1 : 2,
        reasons: ['loneliness'],
        sex: 'female',
        discharged: { on: '2026-05-01', consent: true },
      });
      if (i === 0) await m('baseline', '2026-02-01', ons(0, 0, 0), { superseded: true });
      await m('baseline', `2026-02-0${i + 2}`, ons(life.before[i]!, anxiety.before[i]!, 5));
      if (i === 1) await m('discharge', '2026-04-20', ons(10, 0, 10));
      await m('discharge', '2026-05-01', ons(life.after[i]!, anxiety.after[i]!, 6));
      if (i === 2) await m('discharge', '2026-05-03', { anxiety: 0 });
      if (i < 3) await m('follow_up_long', '2027-02-15', ons(7));
    }
    for (let i = 5; i < 8; i++) {
      const m = await episode({
        pcn: orgs.pcnA1,
        linkWorker: users.lwA1.id,
        decile: i === 6 ? 10 : 9,
        reasons: ['mental_wellbeing'],
        sex: 'male',
        discharged: { on: '2026-11-01', consent: false },
      });
      await m('baseline', `2026-08-0${i - 2}`, ons(life.before[i]!));
      await m('discharge', '2026-11-01', ons(life.after[i]!));
    }
    for (let i = 8; i < 10; i++) {
      const m = await episode({
        pcn: orgs.pcnA1,
        linkWorker: users.lwA1b.id,
        decile: null,
        reasons: ['housing'],
        sex: 'male',
        discharged: { on: '2026-06-01', consent: true },
      });
      await m('baseline', '2026-03-02', ons(life.before[i]!));
      await m('discharge', '2026-06-01', ons(life.after[i]!));
    }
    for (let i = 10; i < 12; i++) {
      const m = await episode({
        pcn: orgs.pcnA1,
        linkWorker: users.lwA1.id,
        decile: 5,
        reasons: ['loneliness'],
        sex: 'female',
      });
      await m('baseline', '2026-10-01', ons(5));
    }
    const other = [
      { pcn: orgs.pcnA2, linkWorker: null, baseline: '2026-03-01', i: 12 },
      { pcn: orgs.pcnB1, linkWorker: users.lwB1.id, baseline: '2026-03-01', i: 13 },
      { pcn: orgs.pcnA1, linkWorker: users.lwA1.id, baseline: '2025-12-15', i: 14 },
    ];
    for (const o of other) {
      const m = await episode({
        pcn: o.pcn,
        linkWorker: o.linkWorker,
        decile: 1,
        reasons: ['loneliness'],
        sex: 'female',
        discharged: { on: '2026-06-01', consent: true },
      });
      await m('baseline', o.baseline, ons(life.before[o.i]!));
      await m('discharge', '2026-06-01', ons(life.after[o.i]!));
    }
  });
}

/** The mean, SD and n of the changes, worked out plainly (two passes), to check the report against. */
function plain(before: (number | null)[], after: (number | null)[], picks: number[]) {
  const changes = picks.map((i) => after[i]! - before[i]!);
  const n = changes.length;
  const mean = changes.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(changes.reduce((a, c) => a + (c - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd };
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describeEachDatabase('the service-level change report', (db) => {
  let t: TestApp;
  let world: World;
  const sessions = new Map<string, Promise<Session>>();
  const as = (key: keyof World['users']) => {
    if (!sessions.has(key)) sessions.set(key, signIn(t, world.users[key]));
    return sessions.get(key)!;
  };
  beforeAll(async () => {
    world = await makeWorld(db().db);
    await seed(db().db, world);
    t = await makeTestApp(db(), new ManualClock(TODAY));
  });
  afterAll(() => t?.close());

  const get = async (who: keyof World['users'], url: string) => call(t, await as(who), 'GET', url);
  const report = async (who: keyof World['users'], query: string): Promise<ChangeReport> => {
    const res = await get(who, `/api/outcomes/change?instrument=ons4&${PERIOD}${query ? `&${query}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const row = (r: ChangeReport, code: string, comparison: ChangeRow['comparison']) =>
    r.rows.find((x) => x.measure.code === code && x.comparison === comparison)!;

  it('gives the hand-worked mean change, 95% CI and effect size for five paired episodes', async () => {
    // E1–E5 (IMD quintile 1). Life satisfaction 3 5 4 6 2 → 6 6 5 8 5: changes 3 1 1 2 3, mean 2, SD 1,
    // SE 1/√5 = 0.447214, t(0.975, 4) = 2.776445, CI 2 ± 1.241664 = 0.758336 to 3.241664; baseline SD 1.581139,
    // effect size 2 / 1.581139 = 1.264911.
    const r = await report('leadA1', 'imdQuintile=1');
    const cell = row(r, 'life_satisfaction', 'discharge').change;
    expect(cell).toMatchObject({ suppressed: false, n: 5, meanBefore: 4, meanAfter: 6, meanChange: 2 });
    expect(cell.sdChange).toBeCloseTo(1, 9);
    expect(cell.ci95!.lower).toBeCloseTo(0.758336, 6);
    expect(cell.ci95!.upper).toBeCloseTo(3.241664, 6);
    expect(cell.effectSize.kazis).toBeCloseTo(1.264911, 6);
    expect(cell.improvedPercent).toBe(100);
    // Anxiety (lower is better) 7 6 8 5 9 → 4 6 5 5 6: changes −3 0 −3 0 −3, mean −1.8, SD √(10.8/4) = 1.643168,
    // CI −1.8 ± 2.776445 × 0.734847 = −3.840262 to 0.240262; 3 improved, 2 the same.
    const anx = row(r, 'anxiety', 'discharge');
    expect(anx.measure).toMatchObject({ higherIsBetter: false, threshold: null });
    expect(anx.change.meanChange).toBeCloseTo(-1.8, 9);
    expect(anx.change.ci95!.lower).toBeCloseTo(-3.840262, 6);
    expect(anx.change.ci95!.upper).toBeCloseTo(0.240262, 6);
    expect([anx.change.improvedPercent, anx.change.samePercent, anx.change.worsePercent]).toEqual([
      60, 40, 0,
    ]);
    // Worthwhile went 5 → 6 for everyone: no spread, so the CI has no width and no effect size can be given.
    const worthwhile = row(r, 'worthwhile', 'discharge').change;
    expect(worthwhile).toMatchObject({ n: 5, meanChange: 1, sdChange: 0, ci95: { lower: 1, upper: 1 } });
    expect(worthwhile.effectSize).toEqual({ kazis: null, srm: null, dAv: null });
    expect(r.episodes).toEqual({ value: 5, suppressed: false });
  });

  it('suppresses cells and counts of fewer than 5, and says why', async () => {
    const r = await report('leadA1', 'imdQuintile=1');
    const long = row(r, 'life_satisfaction', 'follow_up_long');
    expect(long.change).toMatchObject({ suppressed: true, n: null, meanChange: null, ci95: null });
    expect(long.change.reason).toMatch(/Fewer than 5/);
    // 3 of 5 completed the long-term follow-up: both counts would give away a number under 5.
    expect(long.completion).toMatchObject({ suppressed: true, reached: null, ratePercent: null });
    const short = row(r, 'life_satisfaction', 'follow_up_short');
    expect(short.change).toMatchObject({ suppressed: true, n: 0 });
    expect(short.completion).toMatchObject({ suppressed: false, reached: 5, completed: 0, ratePercent: 0 });
    expect(short.missing.notCompleted).toEqual({ value: 5, suppressed: false });
    expect(row(r, 'life_satisfaction', 'discharge').completion).toMatchObject({ ratePercent: 100 });
  });

  it('covers the PCN by default for its lead, with open episodes counted as not yet due', async () => {
    // E1–E10: 4 5 4 6 2 4 4 4 2 8 → 6 6 5 8 5 5 3 6 4 8; changes sum 14, mean 1.4, squares about it 14.4,
    // SD √1.6 = 1.264911, SE 0.4, t(0.975, 9) = 2.262157, CI 1.4 ± 0.904863 = 0.495137 to 2.304863.
    const r = await report('leadA1', '');
    expect(r.organisation).toMatchObject({ id: world.orgs.pcnA1, type: 'pcn' });
    const cell = row(r, 'life_satisfaction', 'discharge');
    const expected = plain(life.before, life.after, range(0, 9));
    expect(cell.change.n).toBe(10);
    expect(cell.change.meanChange).toBeCloseTo(expected.mean, 9);
    expect(cell.change.sdChange).toBeCloseTo(expected.sd, 9);
    expect(cell.change.ci95!.lower).toBeCloseTo(0.495137, 6);
    expect(cell.change.ci95!.upper).toBeCloseTo(2.304863, 6);
    // E11 and E12 are open: 2, so suppressed.
    expect(cell.missing.notYetDue).toEqual({ value: null, suppressed: true });
    // E6–E8 declined follow-up.
    expect(row(r, 'life_satisfaction', 'follow_up_long').missing.noConsentToFollowUp).toEqual({
      value: null,
      suppressed: true,
    });
    expect(r.episodes.value).toBe(12);
  });

  it('covers the whole ICB for a commissioner, and narrows to a PCN', async () => {
    const icb = await report('commissionerA', '');
    expect(icb.organisation).toMatchObject({ id: world.orgs.icbA, type: 'icb' });
    const all = row(icb, 'life_satisfaction', 'discharge').change;
    const expected = plain(life.before, life.after, [...range(0, 9), 12]);
    expect(all.n).toBe(11);
    expect(all.meanChange).toBeCloseTo(expected.mean, 9);
    expect(all.sdChange).toBeCloseTo(expected.sd, 9);
    const pcn = await report('commissionerA', `pcnId=${world.orgs.pcnA1}`);
    expect(row(pcn, 'life_satisfaction', 'discharge').change.n).toBe(10);
    const small = await report('commissionerA', `pcnId=${world.orgs.pcnA2}`);
    expect(row(small, 'life_satisfaction', 'discharge').change).toMatchObject({ suppressed: true, n: null });
  });

  it('filters by link worker, by implementation model at the time, by IMD quintile and by need', async () => {
    const n = async (query: string) =>
      row(await report('leadA1', query), 'life_satisfaction', 'discharge').change;
    expect((await n(`linkWorkerId=${world.users.lwA1.id}`)).n).toBe(8);
    expect(await n(`linkWorkerId=${world.users.lwA1b.id}`)).toMatchObject({ suppressed: true });
    // Link worker A1 was PCN-employed for E1–E5 and VCSE-hosted by E6–E8's baselines; A1b PCN-employed throughout.
    const pcnEmployed = await n('implementationModel=pcn_employed');
    const expected = plain(life.before, life.after, [0, 1, 2, 3, 4, 8, 9]);
    expect(pcnEmployed.n).toBe(7);
    expect(pcnEmployed.meanChange).toBeCloseTo(expected.mean, 9);
    expect(await n('implementationModel=vcse_hosted')).toMatchObject({ suppressed: true, n: null });
    expect(await n('imdQuintile=5')).toMatchObject({ suppressed: true, n: null });
    expect((await n('needDomain=loneliness')).n).toBe(5);
    expect((await n('sex=female&ageBand=75_84')).n).toBe(5);
    expect(await n('ageBand=18_24')).toMatchObject({ suppressed: true, n: 0 });
  });

  it('refuses roles without access, organisations out of reach, and says which parameter is wrong', async () => {
    expect((await get('lwA1', `/api/outcomes/change?instrument=ons4`)).statusCode).toBe(403);
    expect((await get('referrerA1a', `/api/outcomes/change?instrument=ons4`)).statusCode).toBe(403);
    const otherIcb = await get(
      'commissionerA',
      `/api/outcomes/change?instrument=ons4&organisationId=${world.orgs.pcnB1}`,
    );
    expect(otherIcb.statusCode).toBe(404);
    expect(otherIcb.headers['content-type']).toContain('application/problem+json');
    expect(
      (await get('leadB1', `/api/outcomes/change?instrument=ons4&pcnId=${world.orgs.pcnA1}`)).statusCode,
    ).toBe(404);
    expect(
      (await get('leadA1', `/api/outcomes/change?instrument=ons4&organisationId=${world.orgs.icbA}`))
        .statusCode,
    ).toBe(404);
    expect(
      (await get('leadA1', `/api/outcomes/change?instrument=ons4&linkWorkerId=${world.users.lwB1.id}`))
        .statusCode,
    ).toBe(404);
    // Lead B1 sees their own PCN: one episode, suppressed.
    const b1 = await report('leadB1', '');
    expect(row(b1, 'life_satisfaction', 'discharge').change).toMatchObject({ suppressed: true, n: null });
    for (const [query, field] of [
      ['', 'instrument'],
      ['instrument=ons4&imdQuintile=7', 'imdQuintile'],
      ['instrument=ons4&from=2026-13-01', 'from'],
      ['instrument=ons4&from=2026-06-01&to=2026-01-01', 'to'],
      ['instrument=ons4&pcnId=not-an-id', 'pcnId'],
      ['instrument=ons4&ethnicity=martian', 'ethnicity'],
    ] as const) {
      const res = await get('leadA1', `/api/outcomes/change?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const unknown = await get('leadA1', '/api/outcomes/change?instrument=no_such_thing');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe('instrument');
  });

  it('downloads the same table as CSV, with suppressed cells saying so', async () => {
    const res = await get('leadA1', `/api/outcomes/change.csv?instrument=ons4&${PERIOD}&imdQuintile=1`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="outcome-change-ons4-2026-01-01-to-2026-12-31.csv"',
    );
    const lines = res.body.split('\r\n');
    expect(lines[0]).toMatch(/^Measure,Kind,Better when,Comparison,People with paired measures \(n\),/);
    expect(lines).toContain(
      'Life satisfaction,score,higher,Baseline to discharge,5,4,6,2,0.76,3.24,1,1.26,2,100,0,0,any change (no published threshold),,5,5,100,0,0,not applicable',
    );
    const long = lines.find((l) => l.startsWith('Life satisfaction,score,higher,Baseline to long-term'))!;
    expect(long).toContain('suppressed (n < 5)');
    expect(lines).toHaveLength(1 + 4 * 3 + 1);
  });

  it('downloads an XLSX workbook that opens and holds the same table', async () => {
    const res = await get('commissionerA', `/api/outcomes/change.xlsx?instrument=ons4&${PERIOD}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Change')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Measure');
    const discharge = sheet.getRow(2);
    expect(discharge.getCell(1).value).toBe('Life satisfaction');
    expect(discharge.getCell(5).value).toBe(11);
    expect(sheet.rowCount).toBe(1 + 4 * 3);
    const about = workbook.getWorksheet('About')!;
    expect(about.getRow(3).getCell(2).value).toBe('ICB A');
  });

  it('records each read in the audit log without naming any person or episode', async () => {
    await report('commissionerA', 'needDomain=loneliness');
    const events = await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(
          sql`${auditEvents.action} = 'outcomes.change_report.read'
              and ${auditEvents.actorUserId} = ${world.users.commissionerA.id}
              and ${auditEvents.detail}->'filters'->>'needDomain' = 'loneliness'`,
        ),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUserId: world.users.commissionerA.id,
      recordIds: [],
      detail: { instrument: 'ons4', organisationId: world.orgs.icbA, format: 'json' },
    });
  });

  it('keeps an unfiltered table while its data is unchanged, and shows a change to it at once', async () => {
    const n = async (query: string) =>
      row(await report('commissionerA', query), 'life_satisfaction', 'discharge').change.n;
    const versions = () =>
      inTransaction(
        db().db,
        { system: true, now: new Date() },
        async (tx) =>
          new Map(
            rowsOf<{ organisation_id: string; version: number }>(
              await tx.execute(
                sql`select organisation_id, version::int as version from outcome_change_versions`,
              ),
            ).map((v) => [v.organisation_id, v.version]),
          ),
      );
    expect(await n('')).toBe(11);
    expect(await n('')).toBe(11);
    const before = await versions();
    // E13 (PCN A2) amends its discharge measure away: the ICB's table and PCN A2's change, PCN A1's does not.
    await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx.execute(sql`update outcome_responses set superseded = true
        where organisation_id = ${world.orgs.pcnA2} and timepoint = 'discharge'`),
    );
    const after = await versions();
    expect(after.get(world.orgs.pcnA2)).toBeGreaterThan(before.get(world.orgs.pcnA2)!);
    expect(after.get(world.orgs.pcnA1)).toBe(before.get(world.orgs.pcnA1));
    expect(await n('')).toBe(10);
    expect(await n(`pcnId=${world.orgs.pcnA1}`)).toBe(10);
    // Outcome settings decide which follow-up windows count as closed: saving them moves the counter too.
    await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx.execute(sql`insert into outcome_settings (organisation_id, instrument_codes, short_follow_up_from_months,
          short_follow_up_to_months, long_follow_up_from_months, long_follow_up_to_months, updated_at)
        values (${world.orgs.pcnA1}, array['ons4'], 2, 4, 9, 12, now())
        on conflict (organisation_id) do update set updated_at = now()`),
    );
    expect((await versions()).get(world.orgs.pcnA1)).toBeGreaterThan(after.get(world.orgs.pcnA1)!);
    await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx.execute(sql`update outcome_responses set superseded = false
        where organisation_id = ${world.orgs.pcnA2} and timepoint = 'discharge'`),
    );
    expect(await n('')).toBe(11);
  });
});
