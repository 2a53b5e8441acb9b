import type {
  CellUnit,
  OperationalReport,
  ReportCell,
  ReportColumn,
  ReportTable,
  TableKey,
} from '../../../../src/modules/reporting/contract.ts';
import { isMonth, shortMonthLabel } from './report-values.ts';

/*
 * How the report's figures read on the page: each cell in its unit (a suppressed one in words, as the CSV and the
 * workbook write it), each column heading with its unit, the tables in the sections a reader looks for, and a
 * month's summary without the columns and rows that only repeat its one month.
 */

/** What a suppressed figure says, here as in the CSV and the workbook. */
export const SUPPRESSED_TEXT = 'suppressed (n < 5)';

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const upToOne = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const one = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A figure in its unit: "1,234", "45.5%", "7.5", "4.7"; null when there is none to show. */
export function formatValue(value: number | null, unit: CellUnit): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  switch (unit) {
    case 'count':
    case 'staff':
    case 'population':
      return whole.format(value);
    case 'percent':
      return `${upToOne.format(value)}%`;
    case 'per_1000':
      return one.format(value);
    case 'days':
    case 'number':
      return upToOne.format(value);
  }
}

export type CellText =
  | { kind: 'suppressed'; text: string }
  | { kind: 'none'; text: string }
  | { kind: 'value'; text: string };

/** A cell as read: its figure, "suppressed (n < 5)", or no figure (nothing to divide by, no one to measure). */
export function cellText(cell: ReportCell, unit: CellUnit): CellText {
  if (cell.suppressed) return { kind: 'suppressed', text: SUPPRESSED_TEXT };
  const text = formatValue(cell.value, unit);
  return text === null ? { kind: 'none', text: 'no figure' } : { kind: 'value', text };
}

/** A column's heading, with its unit where the label does not already say it; month columns written short. */
export function columnHeading(column: ReportColumn): string {
  const label = isMonth(column.key) ? shortMonthLabel(column.key) : column.label;
  switch (column.unit) {
    case 'percent':
      return label.includes('%') ? label : `${label} (%)`;
    case 'days':
      return /days/i.test(label) ? label : `${label} (days)`;
    case 'per_1000':
      return label.includes('1,000') ? label : `${label} (per 1,000)`;
    default:
      return label;
  }
}

export const tableOf = (report: OperationalReport, key: TableKey): ReportTable | undefined =>
  report.tables.find((t) => t.key === key);

/** The sections of the page, each with the tables it holds, in reading order. */
export const reportSections: { id: string; title: string; tables: TableKey[] }[] = [
  { id: 'at-a-glance', title: 'At a glance', tables: ['summary'] },
  {
    id: 'referrals',
    title: 'Referrals',
    tables: ['referrals_by_source', 'referrals_by_practice', 'referrals_by_reason'],
  },
  { id: 'waiting-time', title: 'Waiting time to first contact', tables: ['waiting_time'] },
  {
    id: 'caseloads',
    title: 'Caseloads',
    tables: ['caseload_by_link_worker', 'caseload_distribution', 'caseload_by_pcn'],
  },
  { id: 'contacts', title: 'Contacts', tables: ['contacts_by_mode', 'contacts_per_episode'] },
  {
    id: 'reaching-people',
    title: 'Unable to contact and did not attend',
    tables: ['unable_to_contact', 'did_not_attend'],
  },
  { id: 'discharges', title: 'Discharges', tables: ['discharge_reasons'] },
  { id: 'connections', title: 'Connections to community services', tables: ['connections_by_category'] },
  { id: 'snomed', title: 'SNOMED CT coded events for the PCN returns', tables: ['coded_events_by_practice'] },
  {
    id: 'reach',
    title: 'Reach against the practice population',
    tables: ['reach_age_band', 'reach_sex', 'reach_ethnicity', 'reach_imd_quintile'],
  },
];

/** The tables a month's printed summary keeps: the main ones, not the breakdowns by reason or population. */
export const summaryTables: TableKey[] = [
  'referrals_by_source',
  'referrals_by_practice',
  'waiting_time',
  'caseload_by_link_worker',
  'caseload_distribution',
  'caseload_by_pcn',
  'contacts_by_mode',
  'unable_to_contact',
  'did_not_attend',
  'discharge_reasons',
  'connections_by_category',
  'coded_events_by_practice',
];

/** Whether a reach table has figures: none until a practice population is loaded for its practices. */
export const reachLoaded = (table: ReportTable | undefined) => !!table && table.rows.length > 0;

/**
 * A table for a report of one month: months across lose the "Total" column (the same figures again), and months
 * down lose the "Whole period" row (the month's own row again).
 */
export function forOneMonth(table: ReportTable): ReportTable {
  const monthColumns = table.columns.filter((c) => isMonth(c.key)).length;
  if (monthColumns === 1) {
    const keep = table.columns.map((c) => c.key !== 'total');
    return {
      ...table,
      columns: table.columns.filter((_, i) => keep[i]),
      rows: table.rows.map((r) => ({ ...r, cells: r.cells.filter((_, i) => keep[i]) })),
    };
  }
  const monthRows = table.rows.filter((r) => isMonth(r.key)).length;
  if (monthRows === 1) return { ...table, rows: table.rows.filter((r) => r.key !== 'total') };
  return table;
}

/** Whether any figure of a table is suppressed. */
export const anySuppressed = (table: ReportTable) =>
  table.rows.some((r) => r.cells.some((c) => c.suppressed)) || table.summary.some((s) => s.cell.suppressed);
