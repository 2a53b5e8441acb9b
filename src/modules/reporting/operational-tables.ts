import { MINIMUM_CELL_SIZE } from '../outcomes/stats.ts';
import type {
  CellUnit,
  PopulationBandType,
  ReportCell,
  ReportColumn,
  ReportRow,
  ReportTable,
  TableKey,
} from './contract.ts';
import { type CaseloadRow, connectionStates, percentileOf } from './operational-queries.ts';
import { populationBands } from './population.ts';
import { type CountTable, suppressTable } from './suppression.ts';

/** A day as people read it in a note: 31 October 2026. */
const longDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/*
 * The operational report's tables, from the figures the statements return: each count table goes through
 * primary and secondary suppression together with its totals, and every rate, median or mean beside a count is
 * shown only when the counts it comes from can be read. Pure: no database here.
 */

export interface PracticeRow {
  id: string;
  name: string;
  parent_id: string;
}
export interface PcnRow {
  id: string;
  name: string;
  target: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Cells

const HIDDEN: ReportCell = { value: null, suppressed: true };
const plain = (value: number | null): ReportCell => ({ value, suppressed: false });
const hideIf = (value: number, hidden: boolean): ReportCell => (hidden ? HIDDEN : plain(value));
const round1 = (x: number) => Math.round(x * 10) / 10;

/** A percentage of two figures, shown only when both can be read from the table (else suppressed). */
function percent(numerator: number | null, denominator: number | null): ReportCell {
  if (numerator === null || denominator === null) return HIDDEN;
  return plain(denominator === 0 ? null : round1((100 * numerator) / denominator));
}

/**
 * A sum of some cells of a row, if it can be read from what is shown: all of them visible, or the row's total
 * and every other cell of the row visible (then it is the total minus those).
 */
function readable(row: ReportCell[], parts: number[], total: ReportCell): number | null {
  const value = (i: number) => row[i]!.value;
  if (parts.every((i) => !row[i]!.suppressed)) return parts.reduce((a, i) => a + value(i)!, 0);
  const others = row.map((_, i) => i).filter((i) => !parts.includes(i));
  if (total.suppressed || others.some((i) => row[i]!.suppressed)) return null;
  return total.value! - others.reduce((a, i) => a + value(i)!, 0);
}

/** Linear interpolation between closest ranks: PostgreSQL's percentile_cont, Excel's PERCENTILE.INC. */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Wilson score 95% interval of a proportion x / n. */
export function wilson95(x: number, n: number): { lower: number; upper: number } | null {
  if (n <= 0) return null;
  const z = 1.959963984540054;
  const z2 = z * z;
  const centre = (x + z2 / 2) / (n + z2);
  const half = (z * Math.sqrt((x * (n - x)) / n + z2 / 4)) / (n + z2);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

// ---------------------------------------------------------------------------------------------------------------
// A count table with its totals, suppressed

export interface Label {
  key: string;
  label: string;
}

interface CrossSpec {
  rows: Label[];
  columns: Label[];
  value: (row: string, column: string) => number;
  /** Show each row's total (a "Total" column). */
  rowTotals: boolean;
  /** Show each column's total (a total row), from these figures when they are not the plain sums. */
  columnTotals: boolean | number[];
  /** The grand total when it is not the plain sum. */
  grandTotal?: number;
  totalRowLabel?: string;
}

interface Crossed {
  columns: Label[];
  cells: ReportCell[][];
  rowTotals: ReportCell[] | null;
  totalRow: ReportCell[] | null;
  grand: ReportCell | null;
}

function crossed(spec: CrossSpec): Crossed {
  const cells = spec.rows.map((r) => spec.columns.map((c) => spec.value(r.key, c.key)));
  const rowTotals = spec.rowTotals ? cells.map((r) => r.reduce((a, b) => a + b, 0)) : null;
  const columnTotals = Array.isArray(spec.columnTotals)
    ? spec.columnTotals
    : spec.columnTotals
      ? spec.columns.map((_, c) => cells.reduce((a, r) => a + r[c]!, 0))
      : null;
  const grand =
    rowTotals && columnTotals ? (spec.grandTotal ?? columnTotals.reduce((a, b) => a + b, 0)) : null;
  const table: CountTable = { cells, rowTotals, columnTotals, grandTotal: grand };
  const p = suppressTable(table);
  return {
    columns: spec.columns,
    cells: cells.map((r, i) => r.map((v, j) => hideIf(v, p.cells[i]![j]!))),
    rowTotals: rowTotals ? rowTotals.map((v, i) => hideIf(v, p.rowTotals![i]!)) : null,
    totalRow: columnTotals ? columnTotals.map((v, j) => hideIf(v, p.columnTotals![j]!)) : null,
    grand: grand === null ? null : hideIf(grand, p.grandTotal!),
  };
}

function table(
  key: TableKey,
  title: string,
  rowHeading: string,
  columns: ReportColumn[],
  rows: ReportRow[],
  notes: string[] = [],
  summary: ReportTable['summary'] = [],
): ReportTable {
  return { key, title, rowHeading, columns, rows, summary, notes };
}

/** A cross table of counts as report rows: categories down, the columns across, "Total" at the right and foot. */
export function countTable(
  key: TableKey,
  title: string,
  rowHeading: string,
  spec: CrossSpec,
  notes: string[] = [],
): ReportTable {
  const x = crossed(spec);
  const columns: ReportColumn[] = [
    ...spec.columns.map((c) => ({ ...c, unit: 'count' as CellUnit })),
    ...(x.rowTotals ? [{ key: 'total', label: 'Total', unit: 'count' as CellUnit }] : []),
  ];
  const rows: ReportRow[] = spec.rows.map((r, i) => ({
    key: r.key,
    label: r.label,
    total: false,
    cells: [...x.cells[i]!, ...(x.rowTotals ? [x.rowTotals[i]!] : [])],
  }));
  if (x.totalRow) {
    rows.push({
      key: 'total',
      label: spec.totalRowLabel ?? 'Total',
      total: true,
      cells: [...x.totalRow, ...(x.grand ? [x.grand] : [])],
    });
  }
  return table(key, title, rowHeading, columns, rows, notes);
}

// ---------------------------------------------------------------------------------------------------------------
// Words

export const sourceWords: Record<string, string> = {
  professional: 'A professional',
  self: 'Self-referral',
  api: 'Another system',
};
export const modeWords: Record<string, string> = {
  in_practice: 'In the practice',
  home_visit: 'Home visit',
  community_venue: 'Community venue',
  phone: 'Phone',
  video: 'Video',
  text_or_email: 'Text or email',
};
export const dischargeWords: Record<string, string> = {
  goals_met: 'Goals met',
  referred_on: 'Referred on to another service',
  disengaged_or_unable_to_contact: 'Disengaged or unable to contact',
  declined: 'Declined further support',
  moved_away: 'Moved away',
  died: 'Died',
  other: 'Other',
};
export const NO_PRACTICE = { key: 'none', label: 'No practice recorded' };
const CASELOAD_BANDS = [
  { key: '1_19', label: '1 to 19', from: 1, to: 19 },
  { key: '20_39', label: '20 to 39', from: 20, to: 39 },
  { key: '40_59', label: '40 to 59', from: 40, to: 59 },
  { key: '60_79', label: '60 to 79', from: 60, to: 79 },
  { key: '80_plus', label: '80 or more', from: 80, to: Number.POSITIVE_INFINITY },
];
const CONTACT_BANDS = [
  { key: '0', label: 'None', from: 0, to: 0 },
  { key: '1', label: '1', from: 1, to: 1 },
  { key: '2_3', label: '2 or 3', from: 2, to: 3 },
  { key: '4_6', label: '4 to 6', from: 4, to: 6 },
  { key: '7_12', label: '7 to 12', from: 7, to: 12 },
  { key: '13_plus', label: '13 or more', from: 13, to: Number.POSITIVE_INFINITY },
];
export const bandTitles: Record<PopulationBandType, { key: TableKey; title: string; heading: string }> = {
  age_band: {
    key: 'reach_age_band',
    title: 'People referred per 1,000 registered patients, by age',
    heading: 'Age at referral',
  },
  sex: { key: 'reach_sex', title: 'People referred per 1,000 registered patients, by sex', heading: 'Sex' },
  ethnicity: {
    key: 'reach_ethnicity',
    title: 'People referred per 1,000 registered patients, by ethnic group',
    heading: 'Ethnic group',
  },
  imd_quintile: {
    key: 'reach_imd_quintile',
    title: 'People referred per 1,000 registered patients, by deprivation (IMD quintile)',
    heading: 'IMD quintile',
  },
};

// ---------------------------------------------------------------------------------------------------------------
// The tables

export function summaryTable(n: {
  referrals: number;
  people: number;
  firstContacted: number;
  contacts: number;
  discharged: number;
  open: number;
  connections: number;
}): ReportTable {
  const rows: [string, string, number][] = [
    ['referrals', 'Referrals received', n.referrals],
    ['people', 'People referred', n.people],
    ['first_contacted', 'Referrals received in the period with a first contact', n.firstContacted],
    ['contacts', 'Contacts with people', n.contacts],
    ['discharged', 'Episodes discharged', n.discharged],
    ['open_at_end', 'Episodes open at the end of the period', n.open],
    ['connections', 'Connections to community services', n.connections],
  ];
  const p = suppressTable({ cells: rows.map(([, , v]) => [v]) });
  return table(
    'summary',
    'The period at a glance',
    'Measure',
    [{ key: 'value', label: 'Number', unit: 'count' }],
    rows.map(([key, label, v], i) => ({ key, label, total: false, cells: [hideIf(v, p.cells[i]![0]!)] })),
  );
}

export function waitingTable(
  waits: {
    month: string | null;
    firstContacted: number;
    withinTarget: number;
    medianDays: number | null;
    p90Days: number | null;
    medianWorkingDays: number | null;
  }[],
  months: Label[],
  pcns: PcnRow[],
): ReportTable {
  const byMonth = new Map(waits.map((w) => [w.month ?? 'total', w]));
  const x = crossed({
    rows: months,
    columns: [
      { key: 'within', label: 'Within target' },
      { key: 'over', label: 'Over target' },
    ],
    value: (m, c) => {
      const w = byMonth.get(m);
      if (!w) return 0;
      return c === 'within' ? w.withinTarget : w.firstContacted - w.withinTarget;
    },
    rowTotals: true,
    columnTotals: true,
  });
  const stat = (base: ReportCell, value: number | null | undefined): ReportCell =>
    base.suppressed ? HIDDEN : plain(value === null || value === undefined ? null : round1(value));
  const rowOf = (
    key: string,
    label: string,
    total: boolean,
    counts: ReportCell[],
    all: ReportCell,
  ): ReportRow => {
    const w = byMonth.get(key);
    return {
      key,
      label,
      total,
      cells: [
        all,
        counts[0]!,
        counts[1]!,
        percent(readable(counts, [0], all), all.suppressed ? null : all.value),
        stat(all, w?.medianDays),
        stat(all, w?.p90Days),
        stat(all, w?.medianWorkingDays),
      ],
    };
  };
  const rows = months.map((m, i) => rowOf(m.key, m.label, false, x.cells[i]!, x.rowTotals![i]!));
  rows.push(rowOf('total', 'Whole period', true, x.totalRow!, x.grand!));
  const targets = [...new Set(pcns.map((p) => p.target))].sort((a, b) => a - b);
  return table(
    'waiting_time',
    'From referral to first contact, by month referred',
    'Month referred',
    [
      { key: 'first_contacted', label: 'First contacted', unit: 'count' },
      { key: 'within_target', label: 'Within target', unit: 'count' },
      { key: 'over_target', label: 'Over target', unit: 'count' },
      { key: 'within_target_percent', label: 'Within target %', unit: 'percent' },
      { key: 'median_days', label: 'Median days', unit: 'days' },
      { key: 'p90_days', label: '90th percentile, days', unit: 'days' },
      { key: 'median_working_days', label: 'Median working days', unit: 'days' },
    ],
    rows,
    [
      'Referrals received in the period that have had a first contact (whenever it happened); days are calendar days from the day of referral to the day of first contact.',
      `The target is each PCN’s first-contact target in working days (Monday to Friday, bank holidays not taken out) from its pathway settings, 10 unless a lead has changed it: ${targets.length ? targets.map((t) => `${t} working days`).join(', ') : 'no PCN'}. Within target: first contact within that many working days of the referral.`,
    ],
  );
}

export function caseloadTables(
  caseloads: CaseloadRow[],
  linkWorkers: { pcnId: string; linkWorkerId: string; linkWorkerName: string }[],
  pcns: PcnRow[],
  named: boolean,
  to: string,
): ReportTable[] {
  const tables: ReportTable[] = [];
  const pcnName = new Map(pcns.map((p) => [p.id, p.name]));
  const endNote = `Episodes open at the end of ${longDate.format(new Date(`${to}T00:00:00Z`))}: received and allocated by then, not yet discharged or declined by the person; each counts for the link worker it was allocated to on that day.`;
  const perWorker = new Map<string, { label: string; open: number }>();
  const manyPcns = pcns.length > 1;
  const labelOf = (name: string, pcnId: string) =>
    manyPcns ? `${name} (${pcnName.get(pcnId) ?? ''})` : name;
  for (const lw of linkWorkers) {
    perWorker.set(`${lw.pcnId}|${lw.linkWorkerId}`, { label: labelOf(lw.linkWorkerName, lw.pcnId), open: 0 });
  }
  for (const c of caseloads) {
    const key = `${c.pcnId}|${c.linkWorkerId}`;
    const found = perWorker.get(key);
    if (found) found.open += c.open;
    else perWorker.set(key, { label: labelOf(c.linkWorkerName, c.pcnId), open: c.open });
  }
  if (named) {
    const entries = [...perWorker.entries()].sort((a, b) => a[1].label.localeCompare(b[1].label, 'en-GB'));
    const t = countTable(
      'caseload_by_link_worker',
      'Caseload of each link worker at the end of the period',
      'Link worker',
      {
        rows: entries.map(([key, v]) => ({ key, label: v.label })),
        columns: [{ key: 'open', label: 'Open episodes' }],
        value: (row) => perWorker.get(row)?.open ?? 0,
        rowTotals: false,
        columnTotals: true,
      },
      [
        endNote,
        'Named for leads and administrators; commissioners see the distribution of caseloads instead.',
      ],
    );
    tables.push(t);
  } else {
    const sizes = [...perWorker.values()].map((v) => v.open).filter((n) => n > 0);
    const sorted = [...sizes].sort((a, b) => a - b);
    const few = sorted.length < MINIMUM_CELL_SIZE;
    const stat = (v: number | null): ReportCell =>
      few && sorted.length > 0 ? HIDDEN : plain(v === null ? null : round1(v));
    tables.push(
      table(
        'caseload_distribution',
        'How many link workers hold caseloads of each size at the end of the period',
        'Open episodes held',
        [{ key: 'link_workers', label: 'Link workers', unit: 'staff' }],
        [
          ...CASELOAD_BANDS.map((b) => ({
            key: b.key,
            label: b.label,
            total: false,
            cells: [plain(sizes.filter((s) => s >= b.from && s <= b.to).length)],
          })),
          {
            key: 'total',
            label: 'All link workers holding episodes',
            total: true,
            cells: [plain(sizes.length)],
          },
        ],
        [
          endNote,
          'Link workers are not named to commissioners: the distribution, the median and the spread show whether caseloads are sustainable, and the table by PCN where capacity sits; how each person works is for their lead.',
          `The median and 90th percentile are shown where at least ${MINIMUM_CELL_SIZE} link workers hold episodes.`,
        ],
        [
          {
            key: 'median',
            label: 'Median caseload',
            unit: 'number',
            cell: stat(percentileCont(sorted, 0.5)),
          },
          {
            key: 'p90',
            label: '90th percentile caseload',
            unit: 'number',
            cell: stat(percentileCont(sorted, 0.9)),
          },
        ],
      ),
    );
  }
  // By PCN: the episodes open, the link workers holding them and the mean per link worker.
  const pcnOpen = new Map<string, { open: number; workers: number }>();
  for (const c of caseloads) {
    const p = pcnOpen.get(c.pcnId) ?? { open: 0, workers: 0 };
    p.open += c.open;
    p.workers += 1;
    pcnOpen.set(c.pcnId, p);
  }
  const x = crossed({
    rows: pcns.map((p) => ({ key: p.id, label: p.name })),
    columns: [{ key: 'open', label: 'Open episodes' }],
    value: (pcnId) => pcnOpen.get(pcnId)?.open ?? 0,
    rowTotals: false,
    columnTotals: true,
  });
  const row = (key: string, label: string, total: boolean, open: ReportCell, workers: number): ReportRow => ({
    key,
    label,
    total,
    cells: [
      open,
      plain(workers),
      open.suppressed ? HIDDEN : plain(workers === 0 ? null : round1(open.value! / workers)),
    ],
  });
  const rows = pcns.map((p, i) => row(p.id, p.name, false, x.cells[i]![0]!, pcnOpen.get(p.id)?.workers ?? 0));
  rows.push(
    row(
      'total',
      'All PCNs',
      true,
      x.totalRow![0]!,
      [...pcnOpen.values()].reduce((a, p) => a + p.workers, 0),
    ),
  );
  tables.push(
    table(
      'caseload_by_pcn',
      'Open episodes at the end of the period, by PCN',
      'PCN',
      [
        { key: 'open', label: 'Open episodes', unit: 'count' },
        { key: 'link_workers', label: 'Link workers holding episodes', unit: 'staff' },
        { key: 'mean', label: 'Mean per link worker', unit: 'number' },
      ],
      rows,
      [endNote],
    ),
  );
  return tables;
}

export function contactsPerEpisodeTable(histogram: { contacts: number; episodes: number }[]): ReportTable {
  const x = crossed({
    rows: CONTACT_BANDS,
    columns: [{ key: 'episodes', label: 'Episodes discharged' }],
    value: (band) => {
      const b = CONTACT_BANDS.find((c) => c.key === band)!;
      return histogram
        .filter((h) => h.contacts >= b.from && h.contacts <= b.to)
        .reduce((a, h) => a + h.episodes, 0);
    },
    rowTotals: false,
    columnTotals: true,
  });
  // The mean and median of the histogram itself (a year of an ICB is ~100,000 episodes: not one number each).
  const byContacts = histogram
    .filter((h) => h.episodes > 0)
    .map((h): [number, number] => [h.contacts, h.episodes])
    .sort((a, b) => a[0] - b[0]);
  const episodes = byContacts.reduce((a, [, n]) => a + n, 0);
  const total = x.totalRow![0]!;
  const stat = (v: number | null): ReportCell =>
    total.suppressed ? HIDDEN : plain(v === null ? null : round1(v));
  const mean = episodes ? byContacts.reduce((a, [c, n]) => a + c * n, 0) / episodes : null;
  return table(
    'contacts_per_episode',
    'Contacts per episode, for episodes discharged in the period',
    'Contacts in the episode',
    [{ key: 'episodes', label: 'Episodes discharged', unit: 'count' }],
    [
      ...CONTACT_BANDS.map((b, i) => ({
        key: b.key,
        label: b.label,
        total: false,
        cells: [x.cells[i]![0]!],
      })),
      { key: 'total', label: 'All episodes discharged', total: true, cells: [total] },
    ],
    [
      'Every contact of the episode, whenever it happened; attempts that did not reach the person are not counted.',
    ],
    [
      { key: 'mean', label: 'Mean contacts per episode', unit: 'number', cell: stat(mean) },
      {
        key: 'median',
        label: 'Median contacts per episode',
        unit: 'number',
        cell: stat(percentileOf(byContacts, 0.5)),
      },
    ],
  );
}

/** Months down, an event and the rest across, the month's total first and the rate last. */
function rateTable(
  key: TableKey,
  title: string,
  months: Label[],
  counts: (month: string) => [number, number],
  labels: { total: string; event: string; rest: string; rate: string },
  notes: string[],
): ReportTable {
  const x = crossed({
    rows: months,
    columns: [
      { key: 'event', label: labels.event },
      { key: 'rest', label: labels.rest },
    ],
    value: (m, c) => counts(m)[c === 'event' ? 0 : 1],
    rowTotals: true,
    columnTotals: true,
  });
  const row = (
    k: string,
    label: string,
    total: boolean,
    cells: ReportCell[],
    all: ReportCell,
  ): ReportRow => ({
    key: k,
    label,
    total,
    cells: [all, cells[0]!, cells[1]!, percent(readable(cells, [0], all), all.suppressed ? null : all.value)],
  });
  const rows = months.map((m, i) => row(m.key, m.label, false, x.cells[i]!, x.rowTotals![i]!));
  rows.push(row('total', 'Whole period', true, x.totalRow!, x.grand!));
  return table(
    key,
    title,
    'Month',
    [
      { key: 'total', label: labels.total, unit: 'count' },
      { key: 'event', label: labels.event, unit: 'count' },
      { key: 'rest', label: labels.rest, unit: 'count' },
      { key: 'rate', label: labels.rate, unit: 'percent' },
    ],
    rows,
    notes,
  );
}

export function unableToContactTable(
  rows: { month: string | null; triaged: number; unableToContact: number }[],
  months: Label[],
) {
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return rateTable(
    'unable_to_contact',
    'Referrals the service could not reach, by month referred',
    months,
    (m) => {
      const r = byMonth.get(m);
      return r ? [r.unableToContact, r.triaged - r.unableToContact] : [0, 0];
    },
    {
      total: 'Referrals triaged',
      event: 'Unable to contact',
      rest: 'Reached or still being tried',
      rate: 'Unable to contact %',
    },
    [
      'Of the referrals received in the period that were triaged: declined at triage as unable to contact, or accepted and never reached — discharged as disengaged or unable to contact, or with at least the PCN’s number of failed attempts (3 unless a lead has changed it) and no first contact.',
    ],
  );
}

export function didNotAttendTable(
  rows: { month: string; attended: number; didNotAttend: number }[],
  months: Label[],
) {
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return rateTable(
    'did_not_attend',
    'Appointments attended and not attended, by month',
    months,
    (m) => {
      const r = byMonth.get(m);
      return r ? [r.didNotAttend, r.attended] : [0, 0];
    },
    {
      total: 'Appointments with an outcome',
      event: 'Did not attend',
      rest: 'Attended',
      rate: 'Did not attend %',
    },
    [
      'Appointments in the period marked attended or did not attend; cancelled and still-booked ones are not counted.',
    ],
  );
}

export function connectionsTable(
  counts: { categoryId: string | null; categoryName: string | null; state: string; n: number }[],
): ReportTable {
  const categories = new Map<string, string>();
  for (const c of counts) if (c.categoryId !== null) categories.set(c.categoryId, c.categoryName ?? '');
  const rowsOrder = [...categories.entries()]
    .sort((a, b) => (a[0] === 'none' ? 1 : b[0] === 'none' ? -1 : a[1].localeCompare(b[1], 'en-GB')))
    .map(([key, label]) => ({ key, label }));
  const at = new Map(counts.map((c) => [`${c.categoryId ?? 'all'}|${c.state}`, c.n]));
  const stateLabels: Record<string, string> = {
    attended: 'Attended',
    did_not_attend: 'Did not attend',
    declined: 'Declined by the service',
    accepted: 'Accepted, attendance not yet known',
    other: 'Signposted or awaiting a reply',
  };
  const allRow = connectionStates.map((s) => at.get(`all|${s}`) ?? 0);
  const x = crossed({
    rows: rowsOrder,
    columns: connectionStates.map((s) => ({ key: s, label: stateLabels[s]! })),
    value: (cat, state) => at.get(`${cat}|${state}`) ?? 0,
    rowTotals: true,
    columnTotals: allRow,
    grandTotal: allRow.reduce((a, b) => a + b, 0),
  });
  // attended 0, did not attend 1, declined 2, accepted 3, other 4
  const row = (
    key: string,
    label: string,
    total: boolean,
    cells: ReportCell[],
    all: ReportCell,
  ): ReportRow => {
    const accepted = readable(cells, [0, 1, 3], all);
    const answered = readable(cells, [0, 1, 2, 3], all);
    const attended = readable(cells, [0], all);
    const outcome = readable(cells, [0, 1], all);
    return {
      key,
      label,
      total,
      cells: [all, ...cells, percent(accepted, answered), percent(attended, outcome)],
    };
  };
  const rows = rowsOrder.map((r, i) => row(r.key, r.label, false, x.cells[i]!, x.rowTotals![i]!));
  rows.push(row('total', 'All connections', true, x.totalRow!, x.grand!));
  return table(
    'connections_by_category',
    'Connections to community services made in the period, by service category',
    'Service category',
    [
      { key: 'connections', label: 'Connections', unit: 'count' },
      ...connectionStates.map((s) => ({ key: s, label: stateLabels[s]!, unit: 'count' as CellUnit })),
      { key: 'accepted_percent', label: 'Accepted %', unit: 'percent' },
      { key: 'attended_percent', label: 'Attended %', unit: 'percent' },
    ],
    rows,
    [
      'The category is the top-level term of the ICB directory’s taxonomy that the service is listed under; a service under two categories counts in both, and “All connections” counts each connection once.',
      'Each connection counts once, where its status history got to: attended (ever), did not attend, declined by the service, accepted with no attendance recorded yet, or none of these (signposted, or waiting for a reply).',
      'Accepted %: accepted, attended or did not attend, of those the service answered (those and declined). Attended %: attended, of those attended or did not attend.',
    ],
  );
}

export function codedTable(
  counts: { practiceId: string | null; code: string; display: string; n: number }[],
  concepts: { code: string; display: string }[],
  practiceRows: Label[],
): ReportTable {
  const codes = new Map(concepts.map((c) => [c.code, c.display]));
  for (const c of counts) if (!codes.has(c.code)) codes.set(c.code, c.display);
  const rows = [...practiceRows];
  if (counts.some((c) => c.practiceId === null) && !rows.some((r) => r.key === NO_PRACTICE.key))
    rows.push(NO_PRACTICE);
  const at = new Map(counts.map((c) => [`${c.practiceId ?? NO_PRACTICE.key}|${c.code}`, c.n]));
  return countTable(
    'coded_events_by_practice',
    'SNOMED CT coded events recorded in the period, by GP practice',
    'GP practice',
    {
      rows,
      columns: [...codes.entries()].map(([code, display]) => ({ key: code, label: `${display} (${code})` })),
      value: (practice, code) => at.get(`${practice}|${code}`) ?? 0,
      rowTotals: true,
      columnTotals: true,
    },
    [
      'The codes the PCN DES asks to be in the GP record, recorded at the first interaction of each episode. Small numbers are suppressed here as everywhere in this report; the PCN’s own coded extract lists each event in full for entering into the practice systems.',
    ],
  );
}

export function reachTable(
  bandType: PopulationBandType,
  people: { bandType: string; band: string; covered: boolean; n: number }[],
  slice: { asOfByPractice: Map<string, string>; byBand: Map<string, number> },
  practices: PracticeRow[],
): ReportTable {
  const { key, title, heading } = bandTitles[bandType];
  const covered = new Set(slice.asOfByPractice.keys());
  const counts = new Map<string, number>();
  for (const p of people) {
    if (p.bandType !== bandType || !p.covered) continue;
    counts.set(p.band, (counts.get(p.band) ?? 0) + p.n);
  }
  const bands: Label[] = populationBands[bandType].map((b) => ({ key: b.code, label: b.label }));
  if ((counts.get('not_known') ?? 0) > 0) bands.push({ key: 'not_known', label: 'Not known' });
  const dates = [...new Set(slice.asOfByPractice.values())].sort();
  const notes = [
    'People referred in the period, each once (at their first referral in it), from the practices with a population loaded for this breakdown; registered patients at those practices on the date loaded nearest before the end of the period (or the earliest after it).',
    covered.size === 0
      ? 'No practice population is loaded for these practices: load one to see referral rates.'
      : `${covered.size} of ${practices.length} practices have a population loaded (as at ${dates.join(', ')}).`,
    'The 95% interval of each rate is the Wilson score interval.',
  ];
  if (covered.size === 0) {
    return table(key, title, heading, reachColumns, [], notes);
  }
  const x = crossed({
    rows: bands,
    columns: [{ key: 'people', label: 'People referred' }],
    value: (band) => counts.get(band) ?? 0,
    rowTotals: false,
    columnTotals: true,
  });
  const row = (
    k: string,
    label: string,
    total: boolean,
    referred: ReportCell,
    registered: number | null,
  ): ReportRow => {
    const rate = !referred.suppressed && registered ? referred.value! / registered : null;
    const ci = !referred.suppressed && registered ? wilson95(referred.value!, registered) : null;
    const hide = referred.suppressed;
    return {
      key: k,
      label,
      total,
      cells: [
        referred,
        plain(registered),
        hide ? HIDDEN : plain(rate === null ? null : round1(rate * 1000)),
        hide ? HIDDEN : plain(ci ? round1(ci.lower * 1000) : null),
        hide ? HIDDEN : plain(ci ? round1(ci.upper * 1000) : null),
      ],
    };
  };
  const rows = bands.map((b, i) =>
    row(
      b.key,
      b.label,
      false,
      x.cells[i]![0]!,
      b.key === 'not_known' ? null : (slice.byBand.get(b.key) ?? 0),
    ),
  );
  const population = [...slice.byBand.values()].reduce((a, b) => a + b, 0);
  rows.push(row('total', 'All', true, x.totalRow![0]!, population));
  return table(key, title, heading, reachColumns, rows, notes);
}

const reachColumns: ReportColumn[] = [
  { key: 'people', label: 'People referred', unit: 'count' },
  { key: 'registered', label: 'Registered patients', unit: 'population' },
  { key: 'per_1000', label: 'Referred per 1,000 registered', unit: 'per_1000' },
  { key: 'per_1000_lower', label: '95% interval, lower', unit: 'per_1000' },
  { key: 'per_1000_upper', label: '95% interval, upper', unit: 'per_1000' },
];
