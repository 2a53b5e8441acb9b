import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { VersionedCache } from '../../platform/versioned-cache.ts';
import { addDays, addMonths, londonDate, londonMidnight, nextDay } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { contactModes } from '../contacts/contract.ts';
import { REPORT_READERS, type Reach, reachOf, subtreeOf } from '../outcomes/report.ts';
import { MINIMUM_CELL_SIZE } from '../outcomes/stats.ts';
import { dischargeReasons } from '../pathway/contract.ts';
import { referralSources } from '../referrals/contract.ts';
import type {
  OperationalOptions,
  OperationalQuery,
  OperationalReport,
  PopulationBandType,
  ReportTable,
} from './contract.ts';
import {
  activityCounts,
  caseloadsAtEnd,
  codedEventCounts,
  connectionCounts,
  currentCodedConcepts,
  linkWorkersOf,
  type ReferralFigures,
  referralFigures,
  type Scope,
} from './operational-queries.ts';
import {
  bandTitles,
  caseloadTables,
  codedTable,
  connectionsTable,
  contactsPerEpisodeTable,
  countTable,
  didNotAttendTable,
  dischargeWords,
  type Label,
  modeWords,
  NO_PRACTICE,
  type PcnRow,
  type PracticeRow,
  reachTable,
  sourceWords,
  summaryTable,
  unableToContactTable,
  waitingTable,
} from './operational-tables.ts';
import { populationFor } from './population.ts';
import { PIECE_AGE_MS, type PieceKeeping, type ReportPieces, reportPieces } from './report-pieces.ts';

/*
 * The operational report (issue 8, "Operational reports"): for a period and an ICB, PCN or GP practice, the tables
 * a lead runs the service by and a commissioner funds it by. Aggregates only, no drill-down to anyone: every count
 * of 1 to 4 people, referrals, episodes or contacts is suppressed, and so is whatever would let it be worked out
 * from a total (suppression.ts). Link worker numbers (workforce figures) and practice populations (published
 * figures) are shown as they are.
 */

// ---------------------------------------------------------------------------------------------------------------
// The period

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The last 12 complete months before today (London), or the period asked for (12 months from one end). */
export function periodOf(q: Pick<OperationalQuery, 'from' | 'to'>, today: string) {
  if (q.from && q.to) return { from: q.from, to: q.to };
  if (q.from) return { from: q.from, to: addDays(addMonths(q.from, 12), -1) };
  if (q.to) return { from: addDays(addMonths(q.to, -12), 1), to: q.to };
  const to = addDays(`${today.slice(0, 7)}-01`, -1);
  return { from: `${addMonths(`${to.slice(0, 7)}-01`, -11)}`, to };
}

export function monthsOf(from: string, to: string): Label[] {
  const months: Label[] = [];
  for (let m = `${from.slice(0, 7)}-01`; m <= to; m = addMonths(m, 1)) {
    months.push({ key: m.slice(0, 7), label: monthName.format(new Date(`${m}T00:00:00Z`)) });
  }
  return months;
}

export const REPORT_NOTES = [
  `Counts of 1 to ${MINIMUM_CELL_SIZE - 1} (people, referrals, episodes, contacts, appointments, connections) are suppressed, and so is any other count that would let one be worked out from a total shown beside it. Zero is shown as 0. A percentage, median or rate is suppressed with the counts it comes from.`,
  'Link worker numbers are workforce figures and registered patients are published population figures: neither is suppressed.',
  'Months and days are calendar months and days in England (Europe/London).',
  'Medians and 90th percentiles interpolate between the two nearest values (as Excel’s PERCENTILE.INC and PostgreSQL’s percentile_cont do).',
];

// ---------------------------------------------------------------------------------------------------------------
// The report

/**
 * Reports already worked out, by what they cover (organisation, PCNs, practice, period, named or not, the day):
 * an ICB's year is seconds of database work, and commissioners opening the same report share one computation for
 * up to 10 minutes ("generatedAt" says when its figures were read). And the months they were added up from
 * (report-pieces.ts), for as long, so that another period over the same months reads only what it does not share.
 * Loading a practice population clears it. One per app; a caller without one computes every time. Holds aggregates
 * only.
 */
export class OperationalReportCache {
  readonly reports = new VersionedCache<OperationalReport>(100, PIECE_AGE_MS);
  readonly pieces: ReportPieces = reportPieces();

  get stats() {
    return this.reports.stats;
  }

  clear(): void {
    this.reports.clear();
    this.pieces.clear();
  }
}
export const operationalReportCache = () => new OperationalReportCache();

const reportKey = (reach: Reach, from: string, to: string, named: boolean, today: string) =>
  JSON.stringify([reach.organisation.id, [...reach.pcnIds].sort(), reach.practiceId, from, to, named, today]);

/** How many complete months of an ICB the warming job keeps read (report-pieces.ts). */
export const KEPT_MONTHS = 36;
/**
 * The months a year the warming job keeps ready may end in: this one and the 14 complete months before it. It keeps
 * an ICB's caseloads at each one's end, and its months day by day from the first month of a year ending in the
 * earliest of them (DAY_MONTHS), so that a year ending any day of those months, and any period within them, adds
 * up what is kept.
 */
export const YEAR_END_MONTHS = 15;
export const DAY_MONTHS = YEAR_END_MONTHS + 12;

/**
 * Keeps the reports people open first computed: every ICB's last 12 complete months as its commissioners see it,
 * and every PCN's as its lead does, refreshed a little more often than the cache forgets them, so opening the
 * report reads what is kept (an ICB's year is seconds of database work); and every ICB's months of the last three
 * years (KEPT_MONTHS), which other periods over them add up, its recent ones day by day too (keepDays). The server
 * starts it (deps.backgroundWork); the first
 * run is a minute after start, out of start-up's way.
 */
export function startReportWarming(
  db: Db,
  clock: { now(): Date },
  cache: OperationalReportCache,
  logger: { error(o: object, m: string): void; info?(o: object, m: string): void },
  intervalMs = 9 * 60_000,
  firstDelayMs = 60_000,
): { stop(): void; run(): Promise<void> } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    const started = performance.now();
    try {
      const now = clock.now();
      const today = londonDate(now);
      const { from, to } = periodOf({}, today);
      const organisations = await inTransaction(db, { system: true, now }, async (tx) =>
        rowsOf<{ id: string; name: string; type: string }>(
          await tx.execute(
            sql`select id, name, type from organisations where type in ('icb', 'pcn') order by type`,
          ),
        ),
      );
      for (const o of organisations) {
        const reach = await inTransaction(db, { system: true, now }, async (tx) => {
          const pcnIds =
            o.type === 'pcn'
              ? [o.id]
              : (await subtreeOf(tx, o.id)).filter((x) => x.type === 'pcn').map((x) => x.id);
          const reach: Reach = { organisation: o, pcnIds, practiceId: null };
          const named = o.type === 'pcn';
          let keeping: PieceKeeping | undefined;
          if (o.type === 'icb') {
            // An ICB's months of the last three years are read afresh and kept, so that the periods its
            // commissioners choose (the form's: the last 12 or 24 months, the financial years) add up kept months.
            // A PCN's report, a fortieth of the work, is computed whole.
            const first = addMonths(`${to.slice(0, 7)}-01`, -(KEPT_MONTHS - 1));
            await buildReport(tx, reach, { from: first, to, today, now }, false, {
              cache: cache.pieces,
              refresh: true,
              now,
              oldest: now.getTime(),
            });
            keeping = { cache: cache.pieces, refresh: false, now, oldest: now.getTime() };
          }
          await cache.reports.refresh(reportKey(reach, from, to, named, today), () =>
            buildReport(tx, reach, { from, to, today, now }, named, keeping),
          );
          return reach;
        });
        // In a transaction of its own: on the embedded database, requests wait for the one connection meanwhile.
        if (o.type === 'icb') {
          await inTransaction(db, { system: true, now }, (tx) => keepDays(tx, reach, today, cache, now));
        }
      }
      // Counts and a time only: no one's data.
      logger.info?.(
        { organisations: organisations.length, ms: Math.round(performance.now() - started) },
        'the default operational reports and the ICBs’ months are kept computed',
      );
    } catch (err) {
      logger.error({ err }, 'keeping the default operational reports computed failed; it runs again shortly');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), firstDelayMs);
  first.unref();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
    run,
  };
}

/**
 * An ICB's recent months kept day by day (DAY_MONTHS), and its caseloads at the ends of the last YEAR_END_MONTHS,
 * read afresh: a period that starts or ends on a day of them, say a year ending on any day of the last 14 months,
 * adds up what is kept instead of reading its first and last months from the records while its commissioners wait
 * (each ~0.3-0.5 s of database work at an ICB's scale, and every request over that month waits for it).
 */
async function keepDays(tx: Db, reach: Reach, today: string, cache: OperationalReportCache, now: Date) {
  const month = `${today.slice(0, 7)}-01`;
  const keeping: PieceKeeping = {
    cache: cache.pieces,
    refresh: true,
    byDay: true,
    now,
    oldest: now.getTime(),
  };
  const from = addMonths(month, -(DAY_MONTHS - 1));
  await buildReport(tx, reach, { from, to: today, today, now }, false, keeping);
  for (let i = 1; i < YEAR_END_MONTHS; i++) {
    const end = addDays(addMonths(month, 1 - i), -1);
    await caseloadsAtEnd(tx, {
      pcnIds: reach.pcnIds,
      practiceId: null,
      from: end,
      to: end,
      fromTs: londonMidnight(end),
      toTs: londonMidnight(nextDay(end)),
      keeping,
    });
  }
}

/** The operational report for an ICB, PCN or practice over a period; aggregates only, suppressed below 5. */
export async function operationalReportFor(
  tx: Db,
  actor: Actor,
  q: OperationalQuery,
  format: 'json' | 'csv' | 'xlsx' = 'json',
  cache?: OperationalReportCache,
): Promise<OperationalReport> {
  assertRole(actor, ...REPORT_READERS);
  const reach = await reachOf(tx, actor, { organisationId: q.organisationId });
  const today = londonDate(actor.now);
  const { from, to } = periodOf(q, today);
  // Link workers are named for the people who lead them; commissioners see how caseloads are spread.
  const named = hasRole(actor, 'lead_link_worker', 'admin');
  const build = () =>
    buildReport(
      tx,
      reach,
      { from, to, today, now: actor.now },
      named,
      cache && { cache: cache.pieces, refresh: false, now: actor.now, oldest: actor.now.getTime() },
    );
  const key = reportKey(reach, from, to, named, today);
  let report = cache ? await cache.reports.get(key, build) : await build();
  // A kept report added up from months read a while before it was is no older than a kept report may be.
  if (cache && actor.now.getTime() - Date.parse(report.generatedAt) > PIECE_AGE_MS) {
    const fresh = await build();
    await cache.reports.refresh(key, async () => fresh);
    report = fresh;
  }
  await recordAudit(tx, actor, {
    action: 'reporting.operational_report.read',
    recordType: 'operational_report',
    recordIds: [],
    detail: { organisationId: reach.organisation.id, from, to, format, caseloadView: report.caseloadView },
  });
  return report;
}

async function buildReport(
  tx: Db,
  reach: Reach,
  when: { from: string; to: string; today: string; now: Date },
  named: boolean,
  keeping?: PieceKeeping,
): Promise<OperationalReport> {
  const { from, to, today } = when;
  const months = monthsOf(from, to);
  // A year of an ICB sorts and hashes a few hundred thousand rows: in memory, not on disk.
  await tx.execute(sql`set local work_mem = '32MB'`);
  const pcnParam = sql`${sql.param(reach.pcnIds)}::uuid[]`;
  const practices = rowsOf<PracticeRow>(
    await tx.execute(sql`
      select id, name, parent_id from organisations
      where type = 'gp_practice' and parent_id = any(${pcnParam})
        ${reach.practiceId ? sql`and id = ${reach.practiceId}` : sql``}
      order by name`),
  );
  const pcns = rowsOf<PcnRow>(
    await tx.execute(sql`
      select o.id, o.name, coalesce(ps.first_contact_target_working_days, 10)::int as target
      from organisations o left join pathway_settings ps on ps.organisation_id = o.id
      where o.id = any(${pcnParam}) order by o.name`),
  );
  const empty = reach.pcnIds.length === 0;
  const population = await populationFor(
    tx,
    reach.pcnIds,
    practices.map((p) => p.id),
    to,
  );
  const scope: Scope = {
    pcnIds: reach.pcnIds,
    practiceId: reach.practiceId,
    from,
    to,
    fromTs: londonMidnight(from),
    toTs: londonMidnight(nextDay(to)),
    keeping,
    // The demographic reach compares the people referred from the practices with a population loaded.
    covered: Object.fromEntries(
      [...population].map(([type, slice]) => [type, [...slice.asOfByPractice.keys()]]),
    ),
  };
  const referralsCounted: ReferralFigures = empty
    ? { bySource: [], byPractice: [], byReason: [], peopleByBand: [], waits: [], reach: [] }
    : await referralFigures(tx, scope);
  const { waits, reach: reached } = referralsCounted;
  const caseloads = empty ? [] : await caseloadsAtEnd(tx, scope);
  const linkWorkers = named && !empty ? await linkWorkersOf(tx, reach.pcnIds) : [];
  const activity = empty
    ? { contactsByMode: [], contactsPerEpisode: [], appointments: [], dischargeReasons: [] }
    : await activityCounts(tx, scope);
  const connections = empty ? [] : await connectionCounts(tx, scope);
  const coded = empty ? [] : await codedEventCounts(tx, scope);
  const concepts = await currentCodedConcepts(tx);
  const needs = rowsOf<{ code: string; label: string }>(
    await tx.execute(sql`select code, label from needs_domains order by position`),
  );

  const tables: ReportTable[] = [];
  const lookup = <T extends { month: string | null; key: string | null; n: number }>(rows: T[]) => {
    const m = new Map(rows.map((r) => [`${r.key ?? NO_PRACTICE.key}|${r.month}`, r.n]));
    return (row: string, month: string) => m.get(`${row}|${month}`) ?? 0;
  };

  // Referrals by source, practice and reason, month by month.
  const bySource = lookup(referralsCounted.bySource);
  tables.push(
    countTable('referrals_by_source', 'Referrals received, by source and month', 'Source', {
      rows: referralSources.map((s) => ({ key: s, label: sourceWords[s] ?? s })),
      columns: months,
      value: bySource,
      rowTotals: true,
      columnTotals: true,
    }),
  );
  const byPractice = lookup(referralsCounted.byPractice);
  const practiceRows: Label[] = practices.map((p) => ({ key: p.id, label: p.name }));
  if (referralsCounted.byPractice.some((r) => r.key === null)) practiceRows.push(NO_PRACTICE);
  tables.push(
    countTable(
      'referrals_by_practice',
      'Referrals received, by GP practice and month',
      'GP practice',
      { rows: practiceRows, columns: months, value: byPractice, rowTotals: true, columnTotals: true },
      ['The practice is the person’s registered practice, or the referring practice when none is recorded.'],
    ),
  );
  const byReason = lookup(referralsCounted.byReason);
  const reasonRows: Label[] = needs.map((n) => ({ key: n.code, label: n.label }));
  for (const r of referralsCounted.byReason) {
    if (!reasonRows.some((x) => x.key === r.key)) reasonRows.push({ key: r.key, label: r.key });
  }
  tables.push(
    countTable(
      'referrals_by_reason',
      'Referrals received, by reason (need) and month',
      'Reason for referral',
      { rows: reasonRows, columns: months, value: byReason, rowTotals: true, columnTotals: false },
      [
        'A referral can give several reasons and counts once under each, so the months are not totalled across reasons: the number of referrals is in the tables by source and by practice.',
      ],
    ),
  );

  // Waiting time from referral to first contact, against the PCN's target.
  tables.push(waitingTable(waits, months, pcns));
  // Caseloads at the end of the period.
  tables.push(...caseloadTables(caseloads, linkWorkers, pcns, named, to));
  // Contacts: by mode, and per episode.
  const byMode = lookup(activity.contactsByMode);
  tables.push(
    countTable(
      'contacts_by_mode',
      'Contacts with people, by how they happened and month',
      'Mode',
      {
        rows: contactModes.map((m) => ({ key: m, label: modeWords[m] ?? m })),
        columns: months,
        value: byMode,
        rowTotals: true,
        columnTotals: true,
      },
      ['First contacts and later contacts; attempts that did not reach the person are not counted.'],
    ),
  );
  tables.push(contactsPerEpisodeTable(activity.contactsPerEpisode));
  // Unable to contact, and did not attend.
  tables.push(unableToContactTable(reached, months));
  tables.push(didNotAttendTable(activity.appointments, months));
  // Discharge reasons.
  const byDischarge = lookup(activity.dischargeReasons);
  tables.push(
    countTable('discharge_reasons', 'Episodes discharged, by reason and month', 'Discharge reason', {
      rows: dischargeReasons.map((r) => ({ key: r, label: dischargeWords[r] ?? r })),
      columns: months,
      value: byDischarge,
      rowTotals: true,
      columnTotals: true,
    }),
  );
  // Connections by service category.
  tables.push(connectionsTable(connections));
  // SNOMED CT coded events per practice.
  tables.push(codedTable(coded, concepts, practiceRows));
  // Demographic reach against the practice population.
  for (const bandType of Object.keys(bandTitles) as PopulationBandType[]) {
    tables.push(reachTable(bandType, referralsCounted.peopleByBand, population.get(bandType)!, practices));
  }

  tables.unshift(
    summaryTable({
      referrals: referralsCounted.bySource.reduce((a, r) => a + r.n, 0),
      people: referralsCounted.peopleByBand.filter((r) => r.bandType === 'sex').reduce((a, r) => a + r.n, 0),
      firstContacted: waits.find((w) => w.month === null)?.firstContacted ?? 0,
      contacts: activity.contactsByMode.reduce((a, r) => a + r.n, 0),
      discharged: activity.dischargeReasons.reduce((a, r) => a + r.n, 0),
      open: caseloads.reduce((a, r) => a + r.open, 0),
      connections: connections.filter((c) => c.categoryId === null).reduce((a, c) => a + c.n, 0),
    }),
  );

  return {
    organisation: reach.organisation,
    period: { from, to },
    months,
    generatedOn: today,
    // When its figures were read: the oldest of the months it was added up from.
    generatedAt: new Date(
      Math.min(when.now.getTime(), keeping?.oldest ?? Number.POSITIVE_INFINITY),
    ).toISOString(),
    minimumCellSize: MINIMUM_CELL_SIZE,
    caseloadView: named ? 'named' : 'distribution',
    firstContactTargets: pcns.map((p) => ({ pcnId: p.id, pcnName: p.name, workingDays: p.target })),
    notes: REPORT_NOTES,
    tables,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The choices the report offers

/** The organisations the report can be run for, within the actor's reach, and the default period. */
export async function operationalOptionsFor(tx: Db, actor: Actor): Promise<OperationalOptions> {
  assertRole(actor, ...REPORT_READERS);
  const acting = actor.actingOrganisationId!;
  const tree = (await subtreeOf(tx, acting)).filter((o) => ['icb', 'pcn', 'gp_practice'].includes(o.type));
  return {
    organisations: tree.map((o) => ({ id: o.id, name: o.name, type: o.type, parentId: o.parent_id })),
    actingOrganisationId: acting,
    defaultPeriod: periodOf({}, londonDate(actor.now)),
  };
}
