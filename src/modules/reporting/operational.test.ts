import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { importServices, orukService } from '../../../test/directory.ts';
import {
  call,
  makeOrganisation,
  makeTestApp,
  makeUser,
  type Session,
  signIn,
  type TestApp,
  type TestUser,
} from '../../../test/factories.ts';
import { makeWorld, type World } from '../../../test/world.ts';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { ManualClock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { workingDaysBetween } from '../../platform/working-days.ts';
import { auditEvents } from '../audit/schema.ts';
import { connectionEvents, connections } from '../connections/schema.ts';
import { codedEvents, contacts } from '../contacts/schema.ts';
import { allocations, appointments, discharges, pathwaySettings } from '../pathway/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import type { OperationalReport, ReportTable } from './contract.ts';
import { monthsOf, operationalReportFor, periodOf } from './operational.ts';
import { percentileCont, wilson95 } from './operational-tables.ts';

/*
 * A fixed pathway dataset; "today" is 15 June 2027, so the default period is June 2026 to May 2027. PCN A1's
 * first-contact target is 5 working days; PCN A2 keeps the default 10.
 *
 *   S1  10 referrals to PCN A1 (practice A1a, professional) on Monday 1 June 2026, link worker A1; first contact
 *       after 0 1 2 3 4 7 8 9 14 21 days; two video contacts each in July; E1–E6 discharged 15 Sept (E6 referred
 *       on), E7–E10 still open; 2 attended appointments each, and E6–E10 one they did not attend; a connection each.
 *   S2  3 self-referrals (practice A1b) on 10 June, link worker A1b, never reached: 3 attempts, 1 attempt, and one
 *       discharged as unable to contact.
 *   S3  2 declined at triage in June (one as unable to contact; one with no practice recorded).
 *   S4  1 awaiting triage in June.      S5  one received 00:30 on 1 June (BST, in) and one 23:30 on 31 May (out).
 *   S6  6 referrals (practice A1b) on Monday 6 July, link worker A1b; first contact after 2 3 3 10 12 30 days; four
 *       discharged 30 Nov; #5 open and reallocated to A1 after the period; #6 reallocated to A1 in March 2027 and
 *       discharged 5 June 2027 (open at the end of the period).
 *   S7  declined by the person at the first contact, July.   S10  S6#1's person referred again in August.
 *   S8  5 referrals to PCN A2 (practice A2a) in August, link worker A2, open.     S9  3 referrals to PCN B1 (ICB B).
 */

const TODAY = '2027-06-15T11:00:00Z';

type Mode = 'in_practice' | 'home_visit' | 'phone' | 'video';
type LinkWorker = 'lwA1' | 'lwA1b' | 'lwA2' | 'lwB1';
type Practice = 'A1a' | 'A1b' | 'A2a' | null;
type Service = 'befriend' | 'walk' | 'both' | 'debt';
type Status = 'awaiting_triage' | 'accepted' | 'declined' | 'declined_by_person' | 'discharged';

interface PersonSpec {
  sex: 'female' | 'male';
  dob: string;
  ethnic: 'A' | 'B' | 'H' | 'M' | 'Z';
  imd: number | null;
}
interface Ep {
  set: string;
  pcn: 'pcnA1' | 'pcnA2' | 'pcnB1';
  practice: Practice;
  source: 'professional' | 'self' | 'api';
  reasons: string[];
  received: string;
  /** The London month it was received in, written by hand; null: before the period. */
  month: string | null;
  status: Status;
  declineReason?: 'unable_to_contact' | 'not_appropriate';
  person: PersonSpec;
  personKey?: string;
  allocations?: { to: LinkWorker; at: string }[];
  first?: { days: number; mode: Mode; declines?: boolean };
  contacts?: { at: string; mode: Mode }[];
  attempts?: string[];
  discharge?: {
    on: string;
    reason: 'goals_met' | 'referred_on' | 'declined' | 'disengaged_or_unable_to_contact';
  };
  appointments?: { at: string; status: 'attended' | 'did_not_attend' | 'cancelled' }[];
  connection?: { service: Service; on: string; path: string[] };
}

const S1_WAITS = [0, 1, 2, 3, 4, 7, 8, 9, 14, 21];
const S6_WAITS = [2, 3, 3, 10, 12, 30];

const EPISODES: Ep[] = [
  ...S1_WAITS.map(
    (days, i): Ep => ({
      set: 'S1',
      pcn: 'pcnA1',
      practice: 'A1a',
      source: 'professional',
      reasons: i < 4 ? ['loneliness', 'mental_wellbeing'] : ['loneliness'],
      received: '2026-06-01T08:00:00Z',
      month: '2026-06',
      status: i < 6 ? 'discharged' : 'accepted',
      person: {
        sex: i < 7 ? 'female' : 'male',
        dob: i < 5 ? '1995-01-01' : '1956-01-01',
        ethnic: i < 8 ? 'A' : 'H',
        imd: i < 6 ? 1 : 10,
      },
      allocations: [{ to: 'lwA1', at: '2026-06-01T09:00:00Z' }],
      first: { days, mode: i < 6 ? 'in_practice' : 'phone' },
      contacts: [
        { at: '2026-07-06T10:00:00Z', mode: 'video' },
        { at: '2026-07-07T10:00:00Z', mode: 'video' },
      ],
      discharge:
        i < 5
          ? { on: '2026-09-15', reason: 'goals_met' }
          : i === 5
            ? { on: '2026-09-15', reason: 'referred_on' }
            : undefined,
      appointments: [
        { at: '2026-07-08T10:00:00Z', status: 'attended' },
        { at: '2026-07-15T10:00:00Z', status: 'attended' },
        ...(i >= 5 ? [{ at: '2026-07-22T10:00:00Z', status: 'did_not_attend' as const }] : []),
        ...(i === 9 ? [{ at: '2026-07-29T10:00:00Z', status: 'cancelled' as const }] : []),
      ],
      connection: {
        service: i < 6 ? 'befriend' : 'walk',
        on: '2026-06-20',
        path:
          i < 5
            ? ['referred', 'accepted', 'attended']
            : i === 5
              ? ['referred', 'declined']
              : ([['suggested'], ['referred', 'accepted'], ['referred', 'accepted', 'did_not_attend']][
                  i - 6
                ] ?? ['referred', 'accepted', 'did_not_attend', 'attended']),
      },
    }),
  ),
  ...[0, 1, 2].map(
    (i): Ep => ({
      set: 'S2',
      pcn: 'pcnA1',
      practice: 'A1b',
      source: 'self',
      reasons: ['housing'],
      received: '2026-06-10T08:00:00Z',
      month: '2026-06',
      status: i < 2 ? 'accepted' : 'discharged',
      person: { sex: 'female', dob: '1980-05-05', ethnic: 'M', imd: 3 },
      allocations: [{ to: 'lwA1b', at: '2026-06-10T12:00:00Z' }],
      attempts:
        i === 0
          ? ['2026-06-11T10:00:00Z', '2026-06-12T10:00:00Z', '2026-06-15T10:00:00Z']
          : i === 1
            ? ['2026-06-11T10:00:00Z']
            : [],
      discharge: i === 2 ? { on: '2026-07-20', reason: 'disengaged_or_unable_to_contact' } : undefined,
    }),
  ),
  {
    set: 'S3',
    pcn: 'pcnA1',
    practice: 'A1a',
    source: 'professional',
    reasons: ['loneliness'],
    received: '2026-06-15T08:00:00Z',
    month: '2026-06',
    status: 'declined',
    declineReason: 'unable_to_contact',
    person: { sex: 'male', dob: '1970-01-01', ethnic: 'Z', imd: null },
  },
  {
    set: 'S3',
    pcn: 'pcnA1',
    practice: null,
    source: 'self',
    reasons: ['food'],
    received: '2026-06-15T08:00:00Z',
    month: '2026-06',
    status: 'declined',
    declineReason: 'not_appropriate',
    person: { sex: 'female', dob: '2001-01-01', ethnic: 'B', imd: 5 },
  },
  {
    set: 'S4',
    pcn: 'pcnA1',
    practice: 'A1a',
    source: 'professional',
    reasons: ['loneliness'],
    received: '2026-06-20T08:00:00Z',
    month: '2026-06',
    status: 'awaiting_triage',
    person: { sex: 'male', dob: '1950-01-01', ethnic: 'A', imd: 7 },
  },
  {
    set: 'S5',
    pcn: 'pcnA1',
    practice: 'A1a',
    source: 'professional',
    reasons: ['loneliness'],
    // 00:30 on 1 June in London (BST): June.
    received: '2026-05-31T23:30:00Z',
    month: '2026-06',
    status: 'awaiting_triage',
    person: { sex: 'female', dob: '1960-01-01', ethnic: 'A', imd: 2 },
  },
  {
    set: 'S5',
    pcn: 'pcnA1',
    practice: 'A1a',
    source: 'professional',
    reasons: ['loneliness'],
    // 23:30 on 31 May in London: before the period.
    received: '2026-05-31T22:30:00Z',
    month: null,
    status: 'awaiting_triage',
    person: { sex: 'female', dob: '1960-01-01', ethnic: 'A', imd: 2 },
  },
  ...S6_WAITS.map(
    (days, i): Ep => ({
      set: 'S6',
      pcn: 'pcnA1',
      practice: 'A1b',
      source: 'professional',
      reasons: ['physical_activity'],
      received: '2026-07-06T08:00:00Z',
      month: '2026-07',
      status: i === 4 ? 'accepted' : 'discharged',
      person: { sex: i < 3 ? 'male' : 'female', dob: '1990-06-30', ethnic: 'A', imd: 4 },
      personKey: i === 0 ? 'S6-1' : undefined,
      allocations: [
        { to: 'lwA1b', at: '2026-07-06T09:00:00Z' },
        ...(i === 4 ? [{ to: 'lwA1' as const, at: '2027-06-10T09:00:00Z' }] : []),
        ...(i === 5 ? [{ to: 'lwA1' as const, at: '2027-03-01T09:00:00Z' }] : []),
      ],
      first: { days, mode: 'home_visit' },
      discharge:
        i < 3
          ? { on: '2026-11-30', reason: 'goals_met' }
          : i === 3
            ? { on: '2026-11-30', reason: 'declined' }
            : i === 5
              ? { on: '2027-06-05', reason: 'goals_met' }
              : undefined,
      connection:
        i < 3
          ? { service: 'both', on: '2026-08-01', path: ['referred', 'accepted', 'attended'] }
          : i === 3
            ? { service: 'debt', on: '2026-08-01', path: ['referred'] }
            : undefined,
    }),
  ),
  {
    set: 'S7',
    pcn: 'pcnA1',
    practice: 'A1b',
    source: 'professional',
    reasons: ['loneliness'],
    received: '2026-07-13T08:00:00Z',
    month: '2026-07',
    status: 'declined_by_person',
    person: { sex: 'female', dob: '1985-01-01', ethnic: 'A', imd: 6 },
    allocations: [{ to: 'lwA1b', at: '2026-07-13T09:00:00Z' }],
    first: { days: 7, mode: 'phone', declines: true },
  },
  {
    set: 'S10',
    pcn: 'pcnA1',
    practice: 'A1b',
    source: 'professional',
    reasons: ['money_debt_benefits'],
    received: '2026-08-03T08:00:00Z',
    month: '2026-08',
    status: 'awaiting_triage',
    person: { sex: 'male', dob: '1990-06-30', ethnic: 'A', imd: 4 },
    personKey: 'S6-1',
  },
  ...[1, 1, 2, 2, 5].map(
    (days): Ep => ({
      set: 'S8',
      pcn: 'pcnA2',
      practice: 'A2a',
      source: 'professional',
      reasons: ['loneliness'],
      received: '2026-08-03T08:00:00Z',
      month: '2026-08',
      status: 'accepted',
      person: { sex: 'female', dob: '1940-01-01', ethnic: 'A', imd: 1 },
      allocations: [{ to: 'lwA2', at: '2026-08-03T09:00:00Z' }],
      first: { days, mode: 'video' },
    }),
  ),
  ...[0, 1, 2].map(
    (): Ep => ({
      set: 'S9',
      pcn: 'pcnB1',
      practice: null,
      source: 'professional',
      reasons: ['loneliness'],
      received: '2026-06-05T08:00:00Z',
      month: '2026-06',
      status: 'accepted',
      person: { sex: 'female', dob: '1960-01-01', ethnic: 'A', imd: 1 },
      allocations: [{ to: 'lwB1', at: '2026-06-05T09:00:00Z' }],
      first: { days: 1, mode: 'phone' },
    }),
  ),
];

const firstContactAt = (e: Ep) =>
  new Date(Date.parse(`${e.received.slice(0, 10)}T10:00:00Z`) + e.first!.days * 86_400_000);

interface Fixture {
  world: World;
  lwA2: TestUser;
  practices: Record<'A1a' | 'A1b' | 'A2a', string>;
}

async function seed(db: Db, world: World): Promise<Fixture> {
  const { orgs, users } = world;
  const practices = {
    A1a: orgs.practiceA1a,
    A1b: await makeOrganisation(db, { type: 'gp_practice', name: 'Practice A1b', parentId: orgs.pcnA1 }),
    A2a: await makeOrganisation(db, { type: 'gp_practice', name: 'Practice A2a', parentId: orgs.pcnA2 }),
  };
  const lwA2 = await makeUser(db, { roles: [[orgs.pcnA2, 'link_worker']], name: 'Link worker A2' });
  const linkWorkers: Record<LinkWorker, string> = {
    lwA1: users.lwA1.id,
    lwA1b: users.lwA1b.id,
    lwA2: lwA2.id,
    lwB1: users.lwB1.id,
  };
  const services: Record<Service, string> = {
    befriend: newId(),
    walk: newId(),
    both: newId(),
    debt: newId(),
  };
  const report = await importServices(db, orgs.icbA, [
    orukService({ id: services.befriend, name: 'Befriending Leeds', terms: ['befriending'] }),
    orukService({ id: services.walk, name: 'Health walks', terms: ['walking'] }),
    orukService({ id: services.both, name: 'Walk and talk', terms: ['befriending', 'walking'] }),
    orukService({ id: services.debt, name: 'Debt advice', terms: ['debt-advice'] }),
  ]);
  expect(report.rejections).toEqual([]);
  const now = new Date(TODAY);
  const by = users.leadA1.id;
  await inTransaction(db, { system: true, now }, async (tx) => {
    await tx.insert(pathwaySettings).values({
      organisationId: orgs.pcnA1,
      firstContactTargetWorkingDays: 5,
      unableToContactAttempts: 3,
      updatedAt: now,
    });
    const personIds = new Map<string, string>();
    for (const e of EPISODES) {
      const organisationId = orgs[e.pcn];
      let personId = e.personKey ? personIds.get(e.personKey) : undefined;
      if (!personId) {
        personId = newId();
        if (e.personKey) personIds.set(e.personKey, personId);
        await tx.insert(people).values({
          id: personId,
          organisationId,
          givenName: 'Report',
          familyName: 'Person',
          dateOfBirth: e.person.dob,
          sex: e.person.sex,
          ethnicCategory: e.person.ethnic,
          addressLines: [],
          imdDecile: e.person.imd,
          registeredPracticeId: e.practice ? practices[e.practice] : null,
          consentToShareWithServices: true,
          createdAt: now,
          updatedAt: now,
        });
      }
      const referralId = newId();
      const last = e.allocations?.at(-1);
      await tx.insert(referrals).values({
        id: referralId,
        organisationId,
        personId,
        source: e.source,
        reasons: e.reasons,
        urgency: 'routine',
        consentToReferral: true,
        status: e.status,
        declineReason: e.declineReason ?? null,
        allocatedLinkWorkerId: last ? linkWorkers[last.to] : null,
        receivedAt: new Date(e.received),
        createdAt: now,
        updatedAt: now,
      });
      let from: string | null = null;
      for (const a of e.allocations ?? []) {
        await tx.insert(allocations).values({
          id: newId(),
          organisationId,
          referralId,
          fromLinkWorkerId: from,
          toLinkWorkerId: linkWorkers[a.to],
          reason: 'test',
          allocatedBy: by,
          allocatedAt: new Date(a.at),
        });
        from = linkWorkers[a.to];
      }
      const linkWorkerId = linkWorkers[e.allocations?.[0]?.to ?? 'lwA1'];
      const contact = (at: Date, mode: Mode, kind: 'first_contact' | 'contact' | 'attempt') =>
        tx.insert(contacts).values({
          id: newId(),
          organisationId,
          referralId,
          personId,
          linkWorkerId,
          occurredAt: at,
          mode,
          kind,
          createdAt: now,
        });
      if (e.first) {
        const at = firstContactAt(e);
        await contact(at, e.first.mode, 'first_contact');
        const declined = e.first.declines === true;
        await tx.insert(codedEvents).values({
          id: newId(),
          organisationId,
          referralId,
          personId,
          purpose: declined ? 'social_prescribing_declined' : 'social_prescribing_accepted',
          system: 'http://snomed.info/sct',
          code: declined ? '871711000000103' : '871731000000106',
          display: declined
            ? 'Social prescribing declined (situation)'
            : 'Referral to social prescribing service (procedure)',
          recordedAt: at,
          recordedBy: by,
        });
      }
      for (const c of e.contacts ?? []) await contact(new Date(c.at), c.mode, 'contact');
      for (const at of e.attempts ?? []) await contact(new Date(at), 'phone', 'attempt');
      if (e.discharge) {
        await tx.insert(discharges).values({
          referralId,
          organisationId,
          personId,
          reason: e.discharge.reason,
          dischargedOn: e.discharge.on,
          closingSummary: 'x',
          supportOffered: 'x',
          outcome: 'x',
          consentToFollowUp: true,
          dischargedBy: by,
          dischargedAt: now,
        });
      }
      for (const a of e.appointments ?? []) {
        await tx.insert(appointments).values({
          id: newId(),
          organisationId,
          referralId,
          personId,
          linkWorkerId,
          startsAt: new Date(a.at),
          durationMinutes: 30,
          mode: 'in_practice',
          status: a.status,
          createdAt: now,
          updatedAt: now,
        });
      }
      if (e.connection) {
        const connectionId = newId();
        const path = e.connection.path;
        await tx.insert(connections).values({
          id: connectionId,
          organisationId,
          referralId,
          personId,
          directoryId: orgs.icbA,
          serviceId: services[e.connection.service],
          serviceName: e.connection.service,
          kind: path[0] === 'suggested' ? 'signposted' : 'referred',
          status: path.at(-1) as 'referred',
          consentToShare: true,
          statusOn: e.connection.on,
          connectedOn: e.connection.on,
          linkWorkerId,
          createdAt: now,
          updatedAt: now,
        });
        for (const status of path) {
          await tx.insert(connectionEvents).values({
            id: newId(),
            organisationId,
            connectionId,
            personId,
            status: status as 'referred',
            on: e.connection.on,
            recordedBy: by,
            recordedAt: now,
          });
        }
      }
    }
  });
  return { world, lwA2, practices };
}

// ---------------------------------------------------------------------------------------------------------------
// Worked independently of the service: plain filters over the episodes above

const inA1 = (e: Ep) => e.pcn === 'pcnA1' && e.month !== null;
const count = (f: (e: Ep) => boolean) => EPISODES.filter(f).length;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
/** The median and 90th percentile by linear interpolation between closest ranks, written out. */
function quantile(xs: number[], p: number) {
  const s = sorted(xs);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo]! + (h - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}
const round1 = (x: number) => Math.round(x * 10) / 10;

const tableOf = (r: OperationalReport, key: ReportTable['key']) => {
  const t = r.tables.find((x) => x.key === key);
  if (!t) throw new Error(`no table ${key}`);
  return t;
};
/** The cell at a row (by key) and a column (by key). */
const cellOf = (t: ReportTable, row: string, column: string) => {
  const r = t.rows.find((x) => x.key === row);
  const c = t.columns.findIndex((x) => x.key === column);
  if (!r || c < 0) throw new Error(`no cell ${row} × ${column} in ${t.key}`);
  return r.cells[c]!;
};
const shown = (value: number | null) => ({ value, suppressed: false });
const SUPPRESSED = { value: null, suppressed: true };

describe('the report period', () => {
  it('defaults to the last 12 complete months, and runs 12 months from either end given', () => {
    expect(periodOf({}, '2027-06-15')).toEqual({ from: '2026-06-01', to: '2027-05-31' });
    expect(periodOf({}, '2027-01-01')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodOf({ from: '2026-03-15' }, '2027-06-15')).toEqual({ from: '2026-03-15', to: '2027-03-14' });
    expect(periodOf({ to: '2026-02-28' }, '2027-06-15')).toEqual({ from: '2025-03-01', to: '2026-02-28' });
    expect(monthsOf('2026-11-15', '2027-02-01').map((m) => m.key)).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(monthsOf('2026-11-15', '2026-11-20')[0]!.label).toBe('November 2026');
  });

  it('interpolates percentiles as percentile_cont does, and gives the Wilson interval', () => {
    expect(percentileCont([0, 1, 2, 3, 4, 7, 8, 9, 14, 21], 0.5)).toBe(5.5);
    expect(percentileCont([0, 1, 2, 3, 4, 7, 8, 9, 14, 21], 0.9)).toBeCloseTo(14.7, 9);
    expect(percentileCont([], 0.5)).toBeNull();
    // 15 of 6,100: worked by hand, centre (15 + 1.92)/(6,100 + 3.84), half-width 1.96·√(15·6085/6100 + 0.96)/6,103.84.
    const ci = wilson95(15, 6100)!;
    expect(ci.lower * 1000).toBeCloseTo(1.4908, 3);
    expect(ci.upper * 1000).toBeCloseTo(4.0535, 3);
  });
});

describeEachDatabase('the operational report', (db, kind) => {
  let t: TestApp;
  let fx: Fixture;
  const sessions = new Map<string, Promise<Session>>();
  const as = (key: keyof World['users']) => {
    if (!sessions.has(key)) sessions.set(key, signIn(t, fx.world.users[key]));
    return sessions.get(key)!;
  };
  const get = async (who: keyof World['users'], url: string) => call(t, await as(who), 'GET', url);
  const report = async (who: keyof World['users'], query = ''): Promise<OperationalReport> => {
    const res = await get(who, `/api/reports/operational${query ? `?${query}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const uploadPopulation = async (who: keyof World['users'], csv: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/reports/practice-populations',
      headers: { ...(await headers(who)), 'content-type': 'text/csv' },
      payload: csv,
    });
  const headers = async (who: keyof World['users']) => {
    const s = await as(who);
    return { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
  };

  beforeAll(async () => {
    const world = await makeWorld(db().db);
    fx = await seed(db().db, world);
    t = await makeTestApp(db(), new ManualClock(TODAY));
  });
  afterAll(() => t?.close());

  // PGlite runs one statement at a time on one connection: nothing can hold a lock against the report there.
  it.skipIf(kind === 'pglite')(
    'stops a report that runs past its time limit and answers 503 with what to do, then answers once it can',
    async () => {
      const bounded = await makeTestApp(db(), t.clock, { reportStatementTimeoutMs: 300 });
      const session = await as('leadA1');
      const url = '/api/reports/operational?from=2026-07-01&to=2026-12-31';
      // Another session holds the report's facts (a long write, say): the report's statement waits past its limit.
      const locker = new pg.Client({ connectionString: db().url });
      await locker.connect();
      try {
        await locker.query('begin');
        await locker.query('lock table report_referral_facts in access exclusive mode');
        for (const path of [url, url.replace('operational?', 'operational.csv?')]) {
          const res = await call(bounded, session, 'GET', path);
          expect(res.statusCode, res.body).toBe(503);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.headers['retry-after']).toBe('60');
          expect(res.json()).toMatchObject({
            title: 'This took too long',
            status: 503,
            detail: expect.stringMatching(/Try again in a minute, or choose a shorter period/),
          });
        }
      } finally {
        await locker.query('rollback');
        await locker.end();
      }
      const res = await call(bounded, session, 'GET', url);
      await bounded.close();
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().period).toEqual({ from: '2026-07-01', to: '2026-12-31' });
    },
  );

  it('covers the last 12 complete months of the lead’s PCN by default, month by month', async () => {
    const r = await report('leadA1');
    expect(r.organisation).toMatchObject({ id: fx.world.orgs.pcnA1, type: 'pcn' });
    expect(r.period).toEqual({ from: '2026-06-01', to: '2027-05-31' });
    expect(r.months.map((m) => m.key)).toEqual(monthsOf('2026-06-01', '2027-05-31').map((m) => m.key));
    expect(r.months).toHaveLength(12);
    expect(r.caseloadView).toBe('named');
    expect(r.firstContactTargets).toEqual([
      { pcnId: fx.world.orgs.pcnA1, pcnName: 'PCN A1', workingDays: 5 },
    ]);
    const summary = tableOf(r, 'summary');
    // 25 referrals in PCN A1 (S5's 23:30 on 31 May is not among them; its 00:30 on 1 June is), 24 people (S10's
    // person is S6#1's).
    expect(cellOf(summary, 'referrals', 'value')).toEqual(shown(count(inA1)));
    expect(count(inA1)).toBe(25);
    expect(cellOf(summary, 'people', 'value')).toEqual(shown(24));
  });

  it('counts referrals by source, practice and reason, suppressing small cells and what would reveal them', async () => {
    const r = await report('leadA1');
    const source = tableOf(r, 'referrals_by_source');
    // June: 13 professional, 4 self. 4 is suppressed; so is 13 (June's total, 17, would give the 4 away), and
    // with them the rest of the professional row (an August 1, then July's 7 to protect it) and July's total.
    expect(cellOf(source, 'self', '2026-06')).toEqual(SUPPRESSED);
    expect(cellOf(source, 'professional', '2026-06')).toEqual(SUPPRESSED);
    expect(cellOf(source, 'professional', '2026-08')).toEqual(SUPPRESSED);
    expect(cellOf(source, 'total', '2026-06')).toEqual(shown(17));
    expect(cellOf(source, 'total', 'total')).toEqual(shown(25));
    expect(cellOf(source, 'api', '2026-06')).toEqual(shown(0));
    expect(count((e) => inA1(e) && e.month === '2026-06' && e.source === 'professional')).toBe(13);

    const practice = tableOf(r, 'referrals_by_practice');
    expect(practice.rows.map((x) => x.label)).toEqual([
      'Practice A1a',
      'Practice A1b',
      'No practice recorded',
      'Total',
    ]);
    const a1aJune = count((e) => inA1(e) && e.practice === 'A1a' && e.month === '2026-06');
    expect(cellOf(practice, fx.practices.A1a, '2026-06')).toEqual(shown(a1aJune));
    expect(a1aJune).toBe(13);
    expect(cellOf(practice, 'none', '2026-06')).toEqual(SUPPRESSED);
    expect(cellOf(practice, 'total', 'total')).toEqual(shown(25));

    const reason = tableOf(r, 'referrals_by_reason');
    // Loneliness: S1's 10, S3, S4 and S5 in June (13), S7 in July (1). A referral with two reasons counts under
    // both. The July 1 is suppressed, and so June's 13, which the row's total of 14 would otherwise give away.
    expect(cellOf(reason, 'loneliness', '2026-07')).toEqual(SUPPRESSED);
    expect(cellOf(reason, 'loneliness', '2026-06')).toEqual(SUPPRESSED);
    expect(cellOf(reason, 'loneliness', 'total')).toEqual(shown(14));
    expect(cellOf(reason, 'mental_wellbeing', '2026-06')).toEqual(SUPPRESSED);
    expect(cellOf(reason, 'physical_activity', '2026-07')).toEqual(shown(6));
    expect(reason.rows.some((x) => x.total)).toBe(false);
  });

  it('gives the median and 90th percentile days to first contact and the share within the PCN’s target', async () => {
    const r = await report('leadA1');
    const waiting = tableOf(r, 'waiting_time');
    const contacted = EPISODES.filter((e) => inA1(e) && e.first);
    const days = (es: Ep[]) => es.map((e) => e.first!.days);
    const workingDays = (es: Ep[]) =>
      es.map((e) => workingDaysBetween(new Date(e.received), firstContactAt(e)));
    const june = contacted.filter((e) => e.month === '2026-06');
    // June: 0 1 2 3 4 7 8 9 14 21 days: median 5.5, 90th percentile 14 + 0.1 × 7 = 14.7; working days 0 1 2 3 4
    // 5 6 7 10 15 (the first Monday to Monday is 5), median 4.5; within 5 working days: 6 of 10.
    expect(round1(quantile(days(june), 0.5))).toBe(5.5);
    expect(round1(quantile(days(june), 0.9))).toBe(14.7);
    expect(workingDays(june)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 10, 15]);
    expect(cellOf(waiting, '2026-06', 'first_contacted')).toEqual(shown(10));
    expect(cellOf(waiting, '2026-06', 'median_days')).toEqual(shown(5.5));
    expect(cellOf(waiting, '2026-06', 'p90_days')).toEqual(shown(14.7));
    expect(cellOf(waiting, '2026-06', 'median_working_days')).toEqual(shown(4.5));
    // 6 within and 4 over: the 4 is suppressed, so the 6 is too (10 − 6 = 4), and the percentage with them.
    expect(cellOf(waiting, '2026-06', 'over_target')).toEqual(SUPPRESSED);
    expect(cellOf(waiting, '2026-06', 'within_target')).toEqual(SUPPRESSED);
    expect(cellOf(waiting, '2026-06', 'within_target_percent')).toEqual(SUPPRESSED);
    // July: S6 and S7 (S7 declined at its first contact but was contacted): 2 3 3 10 12 30 7.
    const july = contacted.filter((e) => e.month === '2026-07');
    expect(cellOf(waiting, '2026-07', 'median_days')).toEqual(shown(round1(quantile(days(july), 0.5))));
    expect(cellOf(waiting, '2026-07', 'p90_days')).toEqual(shown(round1(quantile(days(july), 0.9))));
    expect(cellOf(waiting, '2026-07', 'p90_days').value).toBe(19.2);
    // The whole period: 17 contacted, 10 within 5 working days: 58.8%.
    const within = workingDays(contacted).filter((d) => d <= 5).length;
    expect(within).toBe(10);
    expect(cellOf(waiting, 'total', 'first_contacted')).toEqual(shown(17));
    expect(cellOf(waiting, 'total', 'within_target')).toEqual(shown(10));
    expect(cellOf(waiting, 'total', 'within_target_percent')).toEqual(shown(round1((100 * 10) / 17)));
    expect(cellOf(waiting, 'total', 'median_days')).toEqual(shown(round1(quantile(days(contacted), 0.5))));
    expect(cellOf(waiting, 'total', 'p90_days')).toEqual(shown(round1(quantile(days(contacted), 0.9))));
    expect(cellOf(waiting, '2026-08', 'first_contacted')).toEqual(shown(0));
    expect(cellOf(waiting, '2026-08', 'median_days')).toEqual(shown(null));
  });

  it('names each link worker’s caseload at the end of the period for a lead, as allocated on that day', async () => {
    const r = await report('leadA1');
    const t1 = tableOf(r, 'caseload_by_link_worker');
    // A1: S1 E7–E10 and S6#6 (reallocated to A1 in March, discharged after the period) = 5; A1b: S2#1, S2#2 and
    // S6#5 (reallocated only after the period) = 3. The 3 is suppressed, and so the 5 (8 − 5 = 3).
    expect(t1.rows.map((x) => x.label)).toEqual(['Link worker A1', 'Link worker A1b', 'Total']);
    expect(t1.rows.map((x) => x.cells[0])).toEqual([SUPPRESSED, SUPPRESSED, shown(8)]);
    expect(t1.notes[0]).toMatch(/^Episodes open at the end of 31 May 2027: /);
    const byPcn = tableOf(r, 'caseload_by_pcn');
    expect(byPcn.rows[0]!.cells).toEqual([shown(8), shown(2), shown(4)]);
    expect(r.tables.some((x) => x.key === 'caseload_distribution')).toBe(false);
  });

  it('shows commissioners the distribution of caseloads across the ICB, never a named link worker', async () => {
    const r = await report('commissionerA');
    expect(r.organisation).toMatchObject({ id: fx.world.orgs.icbA, type: 'icb' });
    expect(r.caseloadView).toBe('distribution');
    expect(r.tables.some((x) => x.key === 'caseload_by_link_worker')).toBe(false);
    expect(JSON.stringify(r)).not.toContain('Link worker A1');
    const dist = tableOf(r, 'caseload_distribution');
    // A1 holds 5, A1b 3 and A2 5: three link workers, all in the 1–19 band; too few for a median.
    expect(cellOf(dist, '1_19', 'link_workers')).toEqual(shown(3));
    expect(cellOf(dist, 'total', 'link_workers')).toEqual(shown(3));
    expect(dist.summary.map((s) => s.cell)).toEqual([SUPPRESSED, SUPPRESSED]);
    const byPcn = tableOf(r, 'caseload_by_pcn');
    expect(byPcn.rows.map((x) => [x.label, ...x.cells.map((c) => c.value)])).toEqual([
      ['PCN A1', 8, 2, 4],
      ['PCN A2', 5, 1, 5],
      ['All PCNs', 13, 3, 4.3],
    ]);
    // The ICB counts PCN A2's referrals too, and never ICB B's.
    expect(cellOf(tableOf(r, 'summary'), 'referrals', 'value')).toEqual(
      shown(count((e) => e.pcn !== 'pcnB1' && e.month !== null)),
    );
    expect(r.firstContactTargets.map((x) => x.workingDays)).toEqual([5, 10]);
  });

  it('counts contacts by mode and per discharged episode, leaving attempts out', async () => {
    const r = await report('leadA1');
    const mode = tableOf(r, 'contacts_by_mode');
    // June: 6 in the practice, 4 by phone (suppressed; June's 10 would give it away, so the 6 goes too). July: 20
    // video, 5 home visits, 1 phone; August 1 home visit, whose suppression takes July's 5 with it.
    expect(cellOf(mode, 'video', '2026-07')).toEqual(shown(20));
    expect(cellOf(mode, 'phone', '2026-06')).toEqual(SUPPRESSED);
    expect(cellOf(mode, 'in_practice', '2026-06')).toEqual(SUPPRESSED);
    expect(cellOf(mode, 'home_visit', '2026-08')).toEqual(SUPPRESSED);
    expect(cellOf(mode, 'home_visit', '2026-07')).toEqual(SUPPRESSED);
    expect(cellOf(mode, 'total', '2026-07')).toEqual(shown(26));
    // 10 first contacts, 20 follow-ups, 6 + 1 first contacts in S6 and S7; 4 attempts not counted.
    expect(cellOf(mode, 'total', 'total')).toEqual(shown(37));
    const perEpisode = tableOf(r, 'contacts_per_episode');
    // Discharged in the period: S1 E1–E6 (3 contacts each), S2#3 (none), S6#1–#4 (1 each): 11 episodes.
    expect(perEpisode.rows.map((x) => x.cells[0])).toEqual([
      SUPPRESSED,
      SUPPRESSED,
      shown(6),
      shown(0),
      shown(0),
      shown(0),
      shown(11),
    ]);
    const contactsEach = [3, 3, 3, 3, 3, 3, 0, 1, 1, 1, 1];
    expect(perEpisode.summary).toEqual([
      { key: 'mean', label: 'Mean contacts per episode', unit: 'number', cell: shown(round1(22 / 11)) },
      {
        key: 'median',
        label: 'Median contacts per episode',
        unit: 'number',
        cell: shown(quantile(contactsEach, 0.5)),
      },
    ]);
  });

  it('gives did-not-attend and unable-to-contact rates, suppressed with the counts they come from', async () => {
    const r = await report('leadA1');
    const dna = tableOf(r, 'did_not_attend');
    // July: 20 attended and 5 did not attend (the cancelled one does not count): 20%.
    expect(dna.rows.find((x) => x.key === '2026-07')!.cells).toEqual([
      shown(25),
      shown(5),
      shown(20),
      shown(20),
    ]);
    const unable = tableOf(r, 'unable_to_contact');
    // June: 15 triaged; 3 unable to contact (S2#1's three attempts, S2#3's discharge, S3#1 declined as such) and
    // 12 not. July: 7 triaged, none unable. The 3 takes the 12 with it; the "reached" column then needs July's 7
    // hidden too, which July's own total would give away, and then June's total beside it. 22 stays.
    expect(cellOf(unable, '2026-06', 'total')).toEqual(SUPPRESSED);
    expect(cellOf(unable, '2026-07', 'event')).toEqual(shown(0));
    expect(cellOf(unable, '2026-07', 'rest')).toEqual(SUPPRESSED);
    expect(cellOf(unable, '2026-06', 'event')).toEqual(SUPPRESSED);
    expect(cellOf(unable, '2026-06', 'rest')).toEqual(SUPPRESSED);
    expect(cellOf(unable, '2026-06', 'rate')).toEqual(SUPPRESSED);
    expect(cellOf(unable, 'total', 'total')).toEqual(shown(22));
  });

  it('counts discharges by reason and connections by service category with accepted and attended rates', async () => {
    const r = await report('leadA1');
    const discharged = tableOf(r, 'discharge_reasons');
    // Goals met: 5 in September, 3 in November. The 3 is suppressed, so the 5 (8 − 5); September's total of 6
    // still shows (5 goals met and 1 referred on, both hidden). The 8 goes too: the row totals 8 + 1 + 1 + 1 = 11
    // would otherwise force each of the three 1s.
    expect(cellOf(discharged, 'goals_met', '2026-09')).toEqual(SUPPRESSED);
    expect(cellOf(discharged, 'goals_met', '2026-11')).toEqual(SUPPRESSED);
    expect(cellOf(discharged, 'total', '2026-09')).toEqual(shown(6));
    expect(cellOf(discharged, 'goals_met', 'total')).toEqual(SUPPRESSED);
    expect(cellOf(discharged, 'total', 'total')).toEqual(shown(11));
    const conn = tableOf(r, 'connections_by_category');
    expect(conn.rows.map((x) => x.label)).toEqual([
      'Money, debt and benefits',
      'Physical activity',
      'Social connection',
      'All connections',
    ]);
    // Social connection: befriending (E1–E5 attended, E6 declined) and "walk and talk" (S6#1–#3 attended): 9.
    // Physical activity: walks (one each signposted, accepted, did not attend, attended) and walk and talk: 7.
    // All: 14 connections, each once. Money: 1 (suppressed), so Physical activity's 7 goes with it.
    expect(cellOf(conn, 'total', 'connections')).toEqual(shown(14));
    const social = conn.rows.find((x) => x.label === 'Social connection')!;
    expect(social.cells[0]).toEqual(shown(9));
    const money = conn.rows.find((x) => x.label === 'Money, debt and benefits')!;
    expect(money.cells[0]).toEqual(SUPPRESSED);
    expect(cellOf(conn, 'total', 'attended')).toEqual(shown(9));
    // The declined 1 is suppressed in the social row, so neither rate there can be shown.
    expect(social.cells.at(-2)).toEqual(SUPPRESSED);
  });

  it('counts SNOMED CT coded events per practice for the contract returns', async () => {
    const r = await report('leadA1');
    const coded = tableOf(r, 'coded_events_by_practice');
    expect(coded.columns.map((c) => c.key)).toEqual(['871731000000106', '871711000000103', 'total']);
    // A1a: 10 accepted; A1b: 6 accepted, 1 declined. The 1 takes A1b's 6 with it, and then the accepted column
    // (16) would give the 6 away unless A1a's 10 goes too; the grand total of 17 stays.
    expect(cellOf(coded, fx.practices.A1b, '871711000000103')).toEqual(SUPPRESSED);
    expect(cellOf(coded, fx.practices.A1b, '871731000000106')).toEqual(SUPPRESSED);
    expect(cellOf(coded, fx.practices.A1a, '871731000000106')).toEqual(SUPPRESSED);
    expect(cellOf(coded, fx.practices.A1a, '871711000000103')).toEqual(shown(0));
    expect(cellOf(coded, 'total', 'total')).toEqual(shown(17));
  });

  it('loads a practice population from CSV and shows people referred per 1,000 in each group', async () => {
    const { A1a, A1b } = fx.practices;
    const csv = [
      'practice,band_type,band,count,as_of',
      `${A1a},sex,female,4000,2026-04-01`,
      `${A1a},sex,male,3900,2026-04-01`,
      `${A1b},sex,female,2100,2026-04-01`,
      `${A1b},sex,male,2000,2026-04-01`,
      // An older figure (not used: 2026-04-01 is later and before the end of the period) and a newer one after it.
      `${A1a},sex,female,100,2025-04-01`,
      `${A1b},sex,female,9999,2027-06-01`,
      ...[1500, 1500, 1600, 1700, 1600].map((n, i) => `${A1a},imd_quintile,${i + 1},${n},2026-04-01`),
    ].join('\n');
    const res = await uploadPopulation('commissionerA', csv);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ rows: 11, practices: 2, asOf: ['2025-04-01', '2026-04-01', '2027-06-01'] });

    const r = await report('leadA1');
    const sex = tableOf(r, 'reach_sex');
    // People referred (once each) from A1a and A1b: 15 women, 8 men of 12,000 registered (6,100 and 5,900).
    // Women 15/6,100 = 2.459 per 1,000 (Wilson 1.49 to 4.05); men 8/5,900 = 1.356 (0.69 to 2.67).
    expect(cellOf(sex, 'female', 'people')).toEqual(shown(15));
    expect(cellOf(sex, 'female', 'registered')).toEqual(shown(6100));
    expect(cellOf(sex, 'female', 'per_1000')).toEqual(shown(2.5));
    expect(cellOf(sex, 'female', 'per_1000_lower')).toEqual(shown(1.5));
    expect(cellOf(sex, 'female', 'per_1000_upper')).toEqual(shown(4.1));
    expect(cellOf(sex, 'male', 'per_1000')).toEqual(shown(1.4));
    expect(cellOf(sex, 'male', 'per_1000_lower')).toEqual(shown(0.7));
    expect(cellOf(sex, 'total', 'people')).toEqual(shown(23));
    expect(cellOf(sex, 'total', 'per_1000')).toEqual(shown(1.9));
    expect(sex.notes.join(' ')).toContain('2 of 2 practices');
    const imd = tableOf(r, 'reach_imd_quintile');
    // A1a only: quintile 1 has 7 (S1's six in decile 1 and S5's decile 2) of 1,500: 4.7 per 1,000.
    expect(cellOf(imd, '1', 'people')).toEqual(shown(7));
    expect(cellOf(imd, '1', 'per_1000')).toEqual(shown(4.7));
    expect(cellOf(imd, '1', 'per_1000_lower')).toEqual(shown(2.3));
    expect(cellOf(imd, '5', 'people')).toEqual(SUPPRESSED);
    expect(cellOf(imd, 'not_known', 'people')).toEqual(SUPPRESSED);
    expect(cellOf(imd, 'total', 'people')).toEqual(shown(13));
    expect(imd.notes.join(' ')).toContain('1 of 2 practices');
    expect(tableOf(r, 'reach_age_band').rows).toEqual([]);
  });

  it('refuses a population file with bad lines, naming each line, and loads none of it', async () => {
    const before = (await get('commissionerA', '/api/reports/practice-populations')).json().items;
    const csv = [
      'practice,band_type,band,count,as_of',
      `${fx.practices.A1a},age_band,18_24,120,2026-04-01`,
      `${fx.practices.A1a},age_band,twenties,120,2026-04-01`,
      `${fx.practices.A1a},age_band,25_34,-3,2026-04-01`,
      '',
      `${fx.practices.A1a},age_band,35_44,"1,200",2026-02-30`,
      `NOSUCH,sex,female,10,2026-04-01`,
      `${fx.practices.A1a},age_band,18_24,99,2026-04-01`,
    ].join('\n');
    const res = await uploadPopulation('commissionerA', csv);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const errors = res.json().errors as { field: string; message: string }[];
    expect(errors.map((e) => e.field)).toEqual(['line 3', 'line 4', 'line 6', 'line 6', 'line 7', 'line 8']);
    expect(errors[0]!.message).toMatch(
      /^Line 3: band “twenties” is not one of the age_band bands \(under_18, /,
    );
    expect(errors.at(-1)!.message).toMatch(/same practice, band and as_of date as line 2/);
    expect((await get('commissionerA', '/api/reports/practice-populations')).json().items).toEqual(before);
    // Another ICB's practice is not the commissioner's to load.
    const other = await makeOrganisation(db().db, {
      type: 'gp_practice',
      name: 'B1 practice',
      parentId: fx.world.orgs.pcnB1,
    });
    const outside = await uploadPopulation(
      'commissionerA',
      `practice,band_type,band,count,as_of\n${other},sex,male,5,2026-04-01`,
    );
    expect(outside.statusCode).toBe(422);
    expect(outside.json().errors[0].field).toBe('line 2');
    expect((await uploadPopulation('leadA1', 'practice,band_type,band,count,as_of')).statusCode).toBe(403);
    const json = await call(t, await as('commissionerA'), 'POST', '/api/reports/practice-populations', {
      rows: [],
    });
    expect(json.statusCode).toBe(422);
    expect(json.json().errors[0].field).toBe('file');
    expect(
      (await call(t, await as('lwA1'), 'POST', '/api/reports/practice-populations', {})).statusCode,
    ).toBe(403);
    const noHeader = await uploadPopulation('commissionerA', 'a,b\n1,2');
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json().errors[0].field).toBe('line 1');
  });

  it('narrows to one practice', async () => {
    const r = await report('leadA1', `organisationId=${fx.practices.A1b}`);
    expect(r.organisation).toMatchObject({ id: fx.practices.A1b, type: 'gp_practice' });
    expect(cellOf(tableOf(r, 'summary'), 'referrals', 'value')).toEqual(
      shown(count((e) => inA1(e) && e.practice === 'A1b')),
    );
    expect(tableOf(r, 'referrals_by_practice').rows.map((x) => x.label)).toEqual(['Practice A1b', 'Total']);
    // A1b's contacts: S6's six first contacts (home visits) and S7's (by phone).
    expect(cellOf(tableOf(r, 'summary'), 'contacts', 'value')).toEqual(shown(7));
    expect(cellOf(tableOf(r, 'contacts_by_mode'), 'in_practice', 'total')).toEqual(shown(0));
  });

  it('lets leads, administrators and commissioners in, keeps link workers and researchers out, and hides other tenants', async () => {
    expect((await get('lwA1', '/api/reports/operational')).statusCode).toBe(403);
    expect((await get('researcherA', '/api/reports/operational')).statusCode).toBe(403);
    expect((await get('referrerA1a', '/api/reports/operational')).statusCode).toBe(403);
    expect((await get('pcnAdminA1', '/api/reports/operational')).statusCode).toBe(200);
    const otherTenant = await get(
      'commissionerA',
      `/api/reports/operational?organisationId=${fx.world.orgs.pcnB1}`,
    );
    expect(otherTenant.statusCode).toBe(404);
    expect(otherTenant.headers['content-type']).toContain('application/problem+json');
    expect(
      (await get('leadA1', `/api/reports/operational?organisationId=${fx.world.orgs.icbA}`)).statusCode,
    ).toBe(404);
    expect(
      (await get('leadB1', `/api/reports/operational?organisationId=${fx.world.orgs.pcnA1}`)).statusCode,
    ).toBe(404);
    // Lead B1 sees only PCN B1's three referrals, suppressed.
    const b1 = await report('leadB1');
    expect(cellOf(tableOf(b1, 'summary'), 'referrals', 'value')).toEqual(SUPPRESSED);
    for (const [query, field] of [
      ['from=2026-13-01', 'from'],
      ['from=2026-06-01&to=2026-01-01', 'to'],
      ['from=2020-01-01&to=2026-01-01', 'to'],
      ['organisationId=nope', 'organisationId'],
      ['colour=red', ''],
    ] as const) {
      const res = await get('leadA1', `/api/reports/operational?${query}`);
      expect(res.statusCode, query).toBe(400);
      if (field) expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const vcse = await get('leadA1', `/api/reports/operational?organisationId=${fx.world.orgs.vcseA}`);
    expect(vcse.statusCode).toBe(404);
  });

  it('offers the organisations within reach and the default period', async () => {
    const res = await get('commissionerA', '/api/reports/operational/options');
    expect(res.statusCode).toBe(200);
    const options = res.json();
    expect(options.defaultPeriod).toEqual({ from: '2026-06-01', to: '2027-05-31' });
    expect(options.organisations.map((o: { name: string }) => o.name)).toEqual(
      expect.arrayContaining(['ICB A', 'PCN A1', 'PCN A2', 'Practice A1a', 'Practice A1b', 'Practice A2a']),
    );
    expect(options.organisations.map((o: { name: string }) => o.name)).not.toContain('VCSE A');
  });

  it('downloads every table as one CSV, a line per figure, with suppressed figures saying so', async () => {
    const res = await get('leadA1', '/api/reports/operational.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="operational-report-pcn-a1-2026-06-01-to-2027-05-31.csv"',
    );
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('table,table_title,row_key,row,column_key,column,unit,value,suppressed');
    expect(lines).toContain('about,About this report,organisation,Organisation,value,Value,text,PCN A1,');
    expect(lines).toContain(
      'waiting_time,"From referral to first contact, by month referred",2026-06,June 2026,median_days,Median days,days,5.5,',
    );
    expect(lines).toContain(
      'referrals_by_source,"Referrals received, by source and month",self,Self-referral,2026-06,June 2026,count,,suppressed (n < 5)',
    );
    const tables = new Set(
      lines
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(',')[0]),
    );
    expect([...tables]).toEqual(
      expect.arrayContaining(['about', 'summary', 'referrals_by_source', 'reach_sex']),
    );
    expect(lines.at(-1)).toBe('');
  });

  it('downloads a workbook with a sheet per table that opens and holds the same figures', async () => {
    const res = await get('commissionerA', '/api/reports/operational.xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('About')!.getRow(2).getCell(2).value).toBe('ICB A (icb)');
    const byPcn = workbook.getWorksheet('Caseload by PCN')!;
    expect(byPcn.getRow(2).values).toEqual([
      undefined,
      'PCN',
      'Open episodes',
      'Link workers holding episodes',
      'Mean per link worker',
    ]);
    expect(byPcn.getRow(3).values).toEqual([undefined, 'PCN A1', 8, 2, 4]);
    const waiting = workbook.getWorksheet('Waiting time')!;
    expect(waiting.getRow(3).getCell(1).value).toBe('June 2026');
    expect(waiting.getRow(3).getCell(3).value).toBe('suppressed (n < 5)');
    expect(workbook.worksheets.map((w) => w.name)).toContain('Caseload distribution');
    expect(workbook.worksheets.map((w) => w.name)).not.toContain('Caseload by link worker');
  });

  it('records every read in the audit log with no one’s personal data', async () => {
    await report('commissionerA', 'from=2026-07-01&to=2026-07-31');
    const events = await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(
          sql`${auditEvents.action} = 'reporting.operational_report.read'
              and ${auditEvents.actorUserId} = ${fx.world.users.commissionerA.id}
              and ${auditEvents.detail}->>'from' = '2026-07-01'`,
        ),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      recordIds: [],
      detail: { organisationId: fx.world.orgs.icbA, from: '2026-07-01', to: '2026-07-31', format: 'json' },
    });
  });

  it('serves one computation of a report for 10 minutes, saying when its figures were read', async () => {
    const june = 'from=2026-06-01&to=2026-06-30';
    const first = await report('leadA1', june);
    expect(Date.parse(first.generatedAt)).not.toBeNaN();
    const referralsIn = (r: OperationalReport) => cellOf(tableOf(r, 'summary'), 'referrals', 'value').value;
    expect(referralsIn(first)).toBe(17);
    const { orgs, users } = fx.world;
    await inTransaction(db().db, { system: true, now: new Date(TODAY) }, async (tx) => {
      const personId = newId();
      await tx.insert(people).values({
        id: personId,
        organisationId: orgs.pcnA1,
        givenName: 'Late',
        familyName: 'Entry',
        dateOfBirth: '1970-01-01',
        sex: 'female',
        ethnicCategory: 'A',
        addressLines: [],
        registeredPracticeId: orgs.practiceA1a,
        consentToShareWithServices: false,
        createdAt: new Date(TODAY),
        updatedAt: new Date(TODAY),
      });
      await tx.insert(referrals).values({
        id: newId(),
        organisationId: orgs.pcnA1,
        personId,
        source: 'professional',
        reasons: ['loneliness'],
        urgency: 'routine',
        consentToReferral: true,
        status: 'awaiting_triage',
        receivedAt: new Date('2026-06-25T08:00:00Z'),
        createdAt: new Date(TODAY),
        updatedAt: new Date(TODAY),
      });
    });
    const again = await report('leadA1', june);
    expect(again.generatedAt).toBe(first.generatedAt);
    expect(referralsIn(again)).toBe(17);
    // Worked out afresh, without the routes' cache, the referral recorded since is there.
    const lead: Actor = {
      userId: users.leadA1.id,
      sessionId: 'test',
      actingOrganisationId: orgs.pcnA1,
      actingOrganisationType: 'pcn',
      roles: ['lead_link_worker'],
      scopeOrganisationIds: [orgs.pcnA1, orgs.practiceA1a, fx.practices.A1b],
      requestId: 'test',
      ip: null,
      now: new Date(TODAY),
    };
    const fresh = await inTransaction(db().db, lead, (tx) =>
      operationalReportFor(tx, lead, { from: '2026-06-01', to: '2026-06-30' }),
    );
    expect(referralsIn(fresh)).toBe(18);
  });
});
