import { Readable } from 'node:stream';
import { csvCell } from '../../platform/csv.ts';
import { SUPPRESSED_TEXT } from '../outcomes/stats.ts';
import type { OperationalReport, ReportCell, TableKey } from './contract.ts';

/*
 * The operational report as files: one CSV holding every table in long form (a line per figure, the table first,
 * so an analyst filters or pivots it), and an Excel workbook with a sheet per table as it reads on the page.
 */

export const CSV_HEADER = [
  'table',
  'table_title',
  'row_key',
  'row',
  'column_key',
  'column',
  'unit',
  'value',
  'suppressed',
] as const;

const line = (values: (string | number | null)[]) => `${values.map(csvCell).join(',')}\r\n`;
const suppressedWords = (cell: ReportCell) => (cell.suppressed ? SUPPRESSED_TEXT : '');

/** The CSV, line by line (UTF-8, CRLF): "about" lines first, then each table's figures. */
export function* operationalCsvLines(report: OperationalReport): Generator<string> {
  yield line([...CSV_HEADER]);
  const about: [string, string, string | number][] = [
    ['organisation', 'Organisation', report.organisation.name],
    ['organisation_type', 'Organisation type', report.organisation.type],
    ['from', 'Period from', report.period.from],
    ['to', 'Period to', report.period.to],
    ['generated_on', 'Produced on', report.generatedOn],
    ['minimum_cell_size', 'Counts under this are suppressed', report.minimumCellSize],
  ];
  for (const [key, label, value] of about) {
    yield line(['about', 'About this report', key, label, 'value', 'Value', 'text', value, '']);
  }
  for (const t of report.tables) {
    for (const row of t.rows) {
      for (const [i, column] of t.columns.entries()) {
        const cell = row.cells[i]!;
        yield line([
          t.key,
          t.title,
          row.key,
          row.label,
          column.key,
          column.label,
          column.unit,
          cell.value,
          suppressedWords(cell),
        ]);
      }
    }
    for (const s of t.summary) {
      yield line([
        t.key,
        t.title,
        `summary_${s.key}`,
        s.label,
        'value',
        s.label,
        s.unit,
        s.cell.value,
        suppressedWords(s.cell),
      ]);
    }
  }
}

/** The CSV as a stream, so a long report is written out as it is read, never held whole. */
export function operationalCsvStream(report: OperationalReport): Readable {
  return Readable.from(operationalCsvLines(report), { objectMode: false });
}

const sheetNames: Record<TableKey, string> = {
  summary: 'Summary',
  referrals_by_source: 'Referrals by source',
  referrals_by_practice: 'Referrals by practice',
  referrals_by_reason: 'Referrals by reason',
  waiting_time: 'Waiting time',
  caseload_by_link_worker: 'Caseload by link worker',
  caseload_distribution: 'Caseload distribution',
  caseload_by_pcn: 'Caseload by PCN',
  contacts_by_mode: 'Contacts by mode',
  contacts_per_episode: 'Contacts per episode',
  unable_to_contact: 'Unable to contact',
  did_not_attend: 'Did not attend',
  discharge_reasons: 'Discharge reasons',
  connections_by_category: 'Connections by category',
  coded_events_by_practice: 'SNOMED codes by practice',
  reach_age_band: 'Reach by age',
  reach_sex: 'Reach by sex',
  reach_ethnicity: 'Reach by ethnic group',
  reach_imd_quintile: 'Reach by IMD quintile',
};

/** A sheet per table (its rows as on the page, suppressed cells saying so), and an "About" sheet. */
export async function operationalXlsx(report: OperationalReport): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linkwork';
  const about = workbook.addWorksheet('About');
  about.addRows([
    ['Operational report'],
    ['Organisation', `${report.organisation.name} (${report.organisation.type})`],
    ['Period', `${report.period.from} to ${report.period.to}`],
    ['Produced on', report.generatedOn],
    [
      'First-contact targets',
      report.firstContactTargets.map((t) => `${t.pcnName}: ${t.workingDays} working days`).join('; '),
    ],
    [],
    ...report.notes.map((note) => ['Note', note]),
  ]);
  about.getRow(1).font = { bold: true, size: 14 };
  about.getColumn(1).width = 24;
  about.getColumn(2).width = 110;
  for (const t of report.tables) {
    const sheet = workbook.addWorksheet(sheetNames[t.key], {
      views: [{ state: 'frozen', ySplit: 2, xSplit: 1 }],
    });
    sheet.addRow([t.title]).font = { bold: true, size: 12 };
    sheet.addRow([t.rowHeading, ...t.columns.map((c) => c.label)]).font = { bold: true };
    for (const row of t.rows) {
      const added = sheet.addRow([
        row.label,
        ...row.cells.map((c) => (c.suppressed ? SUPPRESSED_TEXT : c.value)),
      ]);
      if (row.total) added.font = { bold: true };
    }
    if (t.summary.length) {
      sheet.addRow([]);
      for (const s of t.summary) sheet.addRow([s.label, s.cell.suppressed ? SUPPRESSED_TEXT : s.cell.value]);
    }
    if (t.notes.length) {
      sheet.addRow([]);
      for (const note of t.notes) sheet.addRow([note]);
    }
    sheet.getColumn(1).width = 40;
    for (let i = 2; i <= t.columns.length + 1; i++) sheet.getColumn(i).width = 16;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
