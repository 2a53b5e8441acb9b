import { Link, useSearchParams } from 'react-router';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { FilterForm } from '../../components/filter-form.tsx';
import { useFormErrors, useQueryProblems } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { InsetText, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { Select, type SelectOption } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { employmentModelLabels } from '../link-workers/labels.ts';
import { sexLabels } from '../referrals/labels.ts';
import {
  type ChangeReport,
  type ChangeReportOptions,
  type ChangeRow,
  changeReportDownloadPath,
  useChangeReport,
  useChangeReportOptions,
} from './report-queries.ts';

const title = 'Change in outcomes';
const path = '/outcomes/change';
const SUPPRESSED_WORDS = 'Fewer than 5 — not shown';

/** The address's filters the API understands, as typed. */
const queryKeys = [
  'instrument',
  'from',
  'to',
  'organisationId',
  'pcnId',
  'practiceId',
  'linkWorkerId',
  'implementationModel',
  'needDomain',
  'ageBand',
  'sex',
  'ethnicity',
  'imdQuintile',
] as const;

/** Plainer words than the API's for a value edited into the address by hand. */
const filterMessages: Record<string, string> = {
  from: 'Enter the start date like 2026-04-01',
  to: 'Enter the end date like 2027-03-31, on or after the start date',
  imdQuintile: 'Choose an IMD quintile from the list',
};

const typeNames: Record<string, string> = { icb: 'ICB', pcn: 'PCN', gp_practice: 'GP practice' };

/** The last 12 months and recent NHS financial years (April to March), as `from|to`. */
function periodOptions(today: Date): SelectOption[] {
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const yearAgo = new Date(today);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  yearAgo.setUTCDate(yearAgo.getUTCDate() + 1);
  const options: SelectOption[] = [{ value: '', label: 'The last 12 months' }];
  const thisYearStart = today.getUTCMonth() >= 3 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  for (let start = thisYearStart; start > thisYearStart - 5; start--) {
    options.push({
      value: `${start}-04-01|${start + 1}-03-31`,
      label: `Financial year ${start} to ${start + 1}`,
    });
  }
  return options.map((o) => (o.value === '' ? { ...o, value: `${iso(yearAgo)}|${iso(today)}` } : o));
}

const number = (x: number | null | undefined, places = 1) =>
  x === null || x === undefined
    ? '–'
    : x.toLocaleString('en-GB', { maximumFractionDigits: places, minimumFractionDigits: places });
const signed = (x: number | null, places = 2) =>
  x !== null && x > 0 ? `+${number(x, places)}` : number(x, places);

function Suppressed({ reason }: { reason: string | null }) {
  return (
    <span>
      {SUPPRESSED_WORDS}
      {reason && <span className="nhsuk-u-visually-hidden">: {reason}</span>}
    </span>
  );
}

function effectWords(es: number | null): string {
  if (es === null) return '';
  const size = Math.abs(es);
  return size >= 0.8 ? 'large' : size >= 0.5 ? 'moderate' : size >= 0.2 ? 'small' : 'negligible';
}

function ChangeTable({ rows, caption }: { rows: ChangeRow[]; caption: string }) {
  return (
    <ResponsiveTable
      caption={caption}
      items={rows}
      itemKey={(row) => row.measure.key}
      columns={[
        {
          header: 'Measure',
          cell: (row) => (
            <>
              {row.measure.label}
              <br />
              <span className="nhsuk-body-s">
                {row.measure.higherIsBetter ? 'Higher is better' : 'Lower is better'}
              </span>
            </>
          ),
        },
        {
          header: 'People with both measures',
          cell: (row) =>
            row.change.suppressed ? (row.change.n === 0 ? '0' : SUPPRESSED_WORDS) : row.change.n,
        },
        {
          header: 'Mean change (95% CI)',
          cell: (row) =>
            row.change.suppressed ? (
              <Suppressed reason={row.change.reason} />
            ) : (
              <>
                {signed(row.change.meanChange)}{' '}
                {row.change.ci95 && (
                  <span className="app-table-nowrap">
                    ({number(row.change.ci95.lower, 2)} to {number(row.change.ci95.upper, 2)})
                  </span>
                )}
                <br />
                <span className="nhsuk-body-s">
                  {number(row.change.meanBefore, 2)} → {number(row.change.meanAfter, 2)}
                </span>
              </>
            ),
        },
        {
          header: 'Effect size',
          cell: (row) =>
            row.change.suppressed ? (
              <Suppressed reason={row.change.reason} />
            ) : row.change.effectSize.kazis === null ? (
              'Not calculable (no spread at baseline)'
            ) : (
              `${number(row.change.effectSize.kazis, 2)} (${effectWords(row.change.effectSize.kazis)})`
            ),
        },
        {
          header: 'Improved / same / worse',
          cell: (row) =>
            row.change.suppressed ? (
              <Suppressed reason={row.change.reason} />
            ) : (
              <>
                {number(row.change.improvedPercent, 0)}% / {number(row.change.samePercent, 0)}% /{' '}
                {number(row.change.worsePercent, 0)}%
                <br />
                <span className="nhsuk-body-s">
                  {row.measure.threshold
                    ? `Meaningful change: ${row.measure.threshold.value} points`
                    : 'Any change (no published threshold)'}
                </span>
              </>
            ),
        },
        {
          header: 'Completion',
          cell: (row) =>
            row.completion.suppressed ? (
              row.completion.reached === null && row.completion.reason?.startsWith('No episode') ? (
                'No episode has reached this point yet'
              ) : (
                <Suppressed reason={row.completion.reason} />
              )
            ) : (
              <>
                {number(row.completion.ratePercent, 0)}%
                <br />
                <span className="nhsuk-body-s">
                  {row.completion.completed} of {row.completion.reached} who reached this point
                </span>
              </>
            ),
        },
        {
          header: 'Missing',
          cell: (row) => {
            const count = (c: { value: number | null; suppressed: boolean }) =>
              c.suppressed ? 'fewer than 5' : String(c.value);
            return (
              <span className="nhsuk-body-s">
                Not completed: {count(row.missing.notCompleted)}
                <br />
                Not yet due: {count(row.missing.notYetDue)}
                {row.missing.noConsentToFollowUp && (
                  <>
                    <br />
                    No consent to follow-up: {count(row.missing.noConsentToFollowUp)}
                  </>
                )}
              </span>
            );
          },
        },
      ]}
    />
  );
}

function Results({ report, query }: { report: ChangeReport; query: Record<string, string> }) {
  const byComparison = new Map<string, ChangeRow[]>();
  for (const row of report.rows) {
    byComparison.set(row.comparison, [...(byComparison.get(row.comparison) ?? []), row]);
  }
  const episodes = report.episodes.suppressed ? 'fewer than 5' : String(report.episodes.value);
  return (
    <section aria-labelledby="results-heading">
      <h2 className="nhsuk-heading-m" id="results-heading">
        {report.instrument.title}: {report.organisation.name}
      </h2>
      <p>
        {episodes === 'fewer than 5' ? 'Fewer than 5' : episodes} episodes had their baseline between{' '}
        {formatDate(report.period.from)} and {formatDate(report.period.to)}.
      </p>
      <p>
        Download this table:{' '}
        <a href={changeReportDownloadPath('csv', query)} download>
          CSV<span className="nhsuk-u-visually-hidden"> file of the change table</span>
        </a>{' '}
        or{' '}
        <a href={changeReportDownloadPath('xlsx', query)} download>
          Excel (XLSX)<span className="nhsuk-u-visually-hidden"> file of the change table</span>
        </a>
      </p>
      <InsetText>
        <p>
          Cells with fewer than 5 people are not shown, to protect people’s privacy and because so few give no
          reliable figure.
        </p>
      </InsetText>
      {[...byComparison.entries()].map(([comparison, rows]) => (
        <ChangeTable key={comparison} rows={rows} caption={rows[0]!.comparisonLabel} />
      ))}
      <h3 className="nhsuk-heading-s">How these figures are worked out</h3>
      <ul className="nhsuk-list nhsuk-list--bullet nhsuk-body-s">
        {report.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
        {[
          ...new Map(
            report.rows.flatMap((r) => (r.measure.threshold ? [[r.measure.key, r.measure]] : [])),
          ).values(),
        ].map((m) => (
          <li key={m.key}>
            {m.label}: meaningful change of {m.threshold!.value} points ({m.threshold!.source}).
          </li>
        ))}
      </ul>
    </section>
  );
}

function organisationOptions(options: ChangeReportOptions): SelectOption[] {
  return options.organisations.map((o) => ({
    value: o.id,
    label: `${o.type === 'gp_practice' ? '— ' : ''}${o.name} (${typeNames[o.type] ?? o.type})`,
  }));
}

/** The service-level change table: filters in the address, the table below, and CSV / XLSX downloads. */
export function ChangeReportPage() {
  const [params] = useSearchParams();
  const options = useChangeReportOptions();
  const errors = useFormErrors();

  const values: Record<string, string> = {};
  for (const key of queryKeys) {
    const value = params.get(key);
    if (value) values[key] = value;
  }
  // A period chosen from the list wins; "your own dates" (an empty period) uses from and to as typed.
  const period = params.get('period');
  if (period) {
    const [from, to] = period.split('|');
    delete values.from;
    delete values.to;
    if (from) values.from = from;
    if (to) values.to = to;
  }
  const instruments = options.data?.instruments ?? [];
  if (!values.instrument && instruments.length > 0) {
    values.instrument = instruments.find((i) => i.code === 'ons4')?.code ?? instruments[0]!.code;
  }

  const report = useChangeReport(values, { enabled: !!values.instrument });
  const invalid = useQueryProblems(report.error, errors, filterMessages);
  usePageTitle(title, invalid !== null);

  if (options.isPending) return <Loading />;
  if (options.isError) return <ProblemPage error={options.error} />;
  const o = options.data;
  const periods = periodOptions(new Date());
  // A period kept in an address from another day is still offered, so the form shows what the table covers.
  if (period && !periods.some((p) => p.value === period)) {
    periods.push({ value: period, label: period.replace('|', ' to ') });
  }
  const ownDates = !period && !!(params.get('from') || params.get('to'));
  const periodValue = period ?? (ownDates ? '' : periods[0]!.value);

  return (
    <>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{title}</PageHeading>
      <p>
        How people’s outcome measures changed from their baseline to discharge and to the follow-ups, for the
        episodes whose baseline was completed in the period. Only totals are shown, never a person’s answers.
      </p>
      <p>
        <Link to="/insight/explorer">What works, for whom, in what circumstances</Link>: the change broken
        down by person context, the link worker’s way of working at the time and the support given, with an
        adjusted model.
      </p>
      <p>
        <Link to="/reports/operational">Operational report</Link>: referrals, waiting times, caseloads,
        contacts, discharges, connections, SNOMED CT counts and reach against the practice population, month
        by month.
      </p>
      {o.instruments.length === 0 ? (
        <p>No outcome instruments are in use here yet.</p>
      ) : (
        <FilterForm action={path} label="Filter the change table">
          <div className="nhsuk-grid-row">
            <div className="nhsuk-grid-column-one-half">
              <Select
                id="instrument"
                label="Measure"
                options={o.instruments.map((i) => ({ value: i.code, label: i.title }))}
                defaultValue={values.instrument}
                error={errors.messageFor('instrument')}
              />
            </div>
            <div className="nhsuk-grid-column-one-half">
              <Select
                id="organisationId"
                label="Organisation"
                options={organisationOptions(o)}
                defaultValue={values.organisationId ?? o.actingOrganisationId}
                error={errors.messageFor('organisationId')}
              />
            </div>
          </div>
          <Select
            id="period"
            label="Baseline completed in"
            placeholder="Your own dates (below)"
            options={periods}
            defaultValue={periodValue}
          />
          <details className="nhsuk-details" open={ownDates}>
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">Choose your own dates</span>
            </summary>
            <div className="nhsuk-details__text">
              <p className="nhsuk-body-s">Choose “Your own dates (below)” above for these to be used.</p>
              <TextInput
                id="from"
                label="From"
                hint="For example, 2026-04-01"
                width={10}
                autoComplete="off"
                defaultValue={params.get('from') ?? ''}
                error={errors.messageFor('from')}
              />
              <TextInput
                id="to"
                label="To"
                hint="For example, 2027-03-31"
                width={10}
                autoComplete="off"
                defaultValue={params.get('to') ?? ''}
                error={errors.messageFor('to')}
              />
            </div>
          </details>
          <details className="nhsuk-details" open={queryKeys.slice(6).some((k) => params.get(k))}>
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">More filters</span>
            </summary>
            <div className="nhsuk-details__text">
              <Select
                id="linkWorkerId"
                label="Link worker"
                placeholder="All link workers"
                options={o.linkWorkers.map((w) => ({ value: w.id, label: w.name }))}
                defaultValue={values.linkWorkerId ?? ''}
                error={errors.messageFor('linkWorkerId')}
              />
              <Select
                id="implementationModel"
                label="Link worker’s implementation model at the time"
                placeholder="Any model"
                options={o.implementationModels.map((m) => ({ value: m, label: employmentModelLabels[m] }))}
                defaultValue={values.implementationModel ?? ''}
                error={errors.messageFor('implementationModel')}
              />
              <Select
                id="needDomain"
                label="Reason for referral"
                placeholder="Any reason"
                options={o.needDomains.map((n) => ({ value: n.code, label: n.label }))}
                defaultValue={values.needDomain ?? ''}
                error={errors.messageFor('needDomain')}
              />
              <Select
                id="ageBand"
                label="Age at baseline"
                placeholder="Any age"
                options={o.ageBands.map((a) => ({ value: a.code, label: a.label }))}
                defaultValue={values.ageBand ?? ''}
                error={errors.messageFor('ageBand')}
              />
              <Select
                id="sex"
                label="Sex"
                placeholder="Any"
                options={o.sexes.map((s) => ({ value: s, label: sexLabels[s] }))}
                defaultValue={values.sex ?? ''}
                error={errors.messageFor('sex')}
              />
              <Select
                id="ethnicity"
                label="Ethnic group"
                placeholder="Any"
                options={o.ethnicGroups.map((g) => ({ value: g.code, label: g.label }))}
                defaultValue={values.ethnicity ?? ''}
                error={errors.messageFor('ethnicity')}
              />
              <Select
                id="imdQuintile"
                label="Deprivation (IMD quintile of home area)"
                hint="1 is the most deprived fifth of areas in England, 5 the least"
                placeholder="Any"
                options={['1', '2', '3', '4', '5'].map((q) => ({ value: q, label: `Quintile ${q}` }))}
                defaultValue={values.imdQuintile ?? ''}
                error={errors.messageFor('imdQuintile')}
              />
            </div>
          </details>
          <div className="app-actions">
            <button className="nhsuk-button" type="submit">
              Show the table
            </button>
            {params.size > 0 && (
              <p className="nhsuk-body">
                <Link to={path}>Clear filters</Link>
              </p>
            )}
          </div>
        </FilterForm>
      )}
      {report.isPending && values.instrument && <Loading what="the change table" />}
      {report.isError && !invalid && <InlineProblem error={report.error} />}
      {report.isSuccess && <Results report={report.data} query={values} />}
    </>
  );
}
