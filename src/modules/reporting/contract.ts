import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------------
// Asking for the report

const isoDate = (what: string) => z.iso.date(`Enter ${what} as YYYY-MM-DD, like 2026-04-01`);

/** The longest period one report covers: three years of months. */
export const MAX_PERIOD_MONTHS = 36;

export const operationalQuery = z
  .strictObject({
    organisationId: z.uuid('Choose an ICB, PCN or GP practice from the list').optional(),
    from: isoDate('the start of the period').optional(),
    to: isoDate('the end of the period').optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.to < q.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The end of the period must be on or after its start',
      });
    }
    if (q.from && q.to) {
      const [fy, fm] = q.from.split('-').map(Number) as [number, number];
      const [ty, tm] = q.to.split('-').map(Number) as [number, number];
      if ((ty - fy) * 12 + (tm - fm) + 1 > MAX_PERIOD_MONTHS) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `Choose a period of at most ${MAX_PERIOD_MONTHS} months`,
        });
      }
    }
  });
export type OperationalQuery = z.infer<typeof operationalQuery>;

// ---------------------------------------------------------------------------------------------------------------
// The report: a list of tables of one shape, so the page, the CSV and the workbook read them all the same way

/** A figure as shown: null and suppressed when it would give away a number of people under 5. */
export const reportCell = z.object({ value: z.number().nullable(), suppressed: z.boolean() });
export type ReportCell = z.infer<typeof reportCell>;

export const cellUnits = [
  /** People, referrals, episodes, contacts: suppressed from 1 to 4. */
  'count',
  /** Link workers (a workforce figure, not a count of people supported): never suppressed. */
  'staff',
  /** Registered patients from the loaded practice population: published figures, never suppressed. */
  'population',
  'percent',
  'days',
  'per_1000',
  /** A mean or other figure with decimals. */
  'number',
] as const;
export type CellUnit = (typeof cellUnits)[number];

export const reportColumn = z.object({ key: z.string(), label: z.string(), unit: z.enum(cellUnits) });
export type ReportColumn = z.infer<typeof reportColumn>;

export const reportRow = z.object({
  key: z.string(),
  label: z.string(),
  /** The row of totals (the last row when there is one). */
  total: z.boolean(),
  cells: z.array(reportCell),
});
export type ReportRow = z.infer<typeof reportRow>;

export const tableKeys = [
  'summary',
  'referrals_by_source',
  'referrals_by_practice',
  'referrals_by_reason',
  'waiting_time',
  'caseload_by_link_worker',
  'caseload_distribution',
  'caseload_by_pcn',
  'contacts_by_mode',
  'contacts_per_episode',
  'unable_to_contact',
  'did_not_attend',
  'discharge_reasons',
  'connections_by_category',
  'coded_events_by_practice',
  'reach_age_band',
  'reach_sex',
  'reach_ethnicity',
  'reach_imd_quintile',
] as const;
export type TableKey = (typeof tableKeys)[number];

export const reportTable = z.object({
  key: z.enum(tableKeys),
  title: z.string(),
  /** What the rows are (the first column's heading). */
  rowHeading: z.string(),
  columns: z.array(reportColumn),
  rows: z.array(reportRow),
  /** Figures about the table as a whole (a median over link workers), suppressed like any cell. */
  summary: z.array(
    z.object({ key: z.string(), label: z.string(), unit: z.enum(cellUnits), cell: reportCell }),
  ),
  notes: z.array(z.string()),
});
export type ReportTable = z.infer<typeof reportTable>;

export const operationalReport = z.object({
  organisation: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  period: z.object({ from: z.string(), to: z.string() }),
  /** The calendar months the period touches, oldest first: the month columns' keys (YYYY-MM) and labels. */
  months: z.array(z.object({ key: z.string(), label: z.string() })),
  generatedOn: z.string(),
  /** When the figures were read from the database (a report may be served from a cache for up to 10 minutes). */
  generatedAt: z.string(),
  minimumCellSize: z.number(),
  /** Named link workers (leads and administrators) or only the distribution of caseloads (commissioners). */
  caseloadView: z.enum(['named', 'distribution']),
  /** The first-contact targets in force in the PCNs covered (working days), from their pathway settings. */
  firstContactTargets: z.array(z.object({ pcnId: z.string(), pcnName: z.string(), workingDays: z.number() })),
  notes: z.array(z.string()),
  tables: z.array(reportTable),
});
export type OperationalReport = z.infer<typeof operationalReport>;

export const operationalOptions = z.object({
  organisations: z.array(
    z.object({ id: z.string(), name: z.string(), type: z.string(), parentId: z.string().nullable() }),
  ),
  actingOrganisationId: z.string(),
  /** The period the report covers when none is chosen: the last 12 complete months. */
  defaultPeriod: z.object({ from: z.string(), to: z.string() }),
});
export type OperationalOptions = z.infer<typeof operationalOptions>;

// ---------------------------------------------------------------------------------------------------------------
// Practice populations

export const populationBandTypes = ['age_band', 'sex', 'ethnicity', 'imd_quintile'] as const;
export type PopulationBandType = (typeof populationBandTypes)[number];

/** The header a practice population CSV starts with; the columns may come in any order. */
export const POPULATION_CSV_COLUMNS = ['practice', 'band_type', 'band', 'count', 'as_of'] as const;

export const populationLoadResult = z.object({
  /** Rows written (new or replacing the count of the same practice, band and date). */
  rows: z.number(),
  practices: z.number(),
  asOf: z.array(z.string()),
});
export type PopulationLoadResult = z.infer<typeof populationLoadResult>;
