import { type FormEvent, useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { OperationalReport } from '../../../../src/modules/reporting/contract.ts';
import { formatDate, formatTimeOnDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { type FormErrors, useFormErrors, useQueryProblems } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { OwnDates } from '../../components/own-dates.tsx';
import { InsetText, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { reachLoaded, reportSections, SUPPRESSED_TEXT, tableOf } from './cells.ts';
import { canLoadPopulations, PopulationUpload } from './population-upload.tsx';
import {
  type OperationalOptions,
  reportDownloadPath,
  useOperationalReport,
  useReportOptions,
} from './queries.ts';
import { ConnectionsChart, ReachChart, ReferralsChart, WaitsChart } from './report-charts.tsx';
import { ReportTableView } from './report-table.tsx';
import {
  addressFromForm,
  monthLabel,
  type PeriodOption,
  periodChoice,
  periodOptions,
  queryFromAddress,
  type ReportQuery,
  summaryAddress,
} from './report-values.ts';

const title = 'Operational report';

const typeNames: Record<string, string> = { icb: 'ICB', pcn: 'PCN', gp_practice: 'GP practice' };

/** Plainer words than the API's for a value edited into the address by hand. */
const fieldMessages: Record<string, string> = {
  organisationId: 'Choose an ICB, PCN or GP practice from the list',
};

export function organisationOptions(options: OperationalOptions) {
  return options.organisations.map((o) => ({
    value: o.id,
    label: `${o.type === 'gp_practice' ? '— ' : ''}${o.name} (${typeNames[o.type] ?? o.type})`,
  }));
}

function ReportForm({
  options,
  query,
  periods,
  errors,
}: {
  options: OperationalOptions;
  query: ReportQuery;
  periods: PeriodOption[];
  errors: FormErrors;
}) {
  const navigate = useNavigate();
  const choice = periodChoice(query, periods);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (key: string) => String(form.get(key) ?? '');
    navigate(
      addressFromForm({
        organisationId: value('organisationId'),
        period: value('period'),
        from: value('from'),
        to: value('to'),
      }),
    );
  };
  return (
    <search aria-label="Choose the report">
      <form method="get" onSubmit={submit} noValidate>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-half">
            <Select
              id="organisationId"
              label="Organisation"
              hint="The ICB, one of its PCNs, or a GP practice"
              options={organisationOptions(options)}
              defaultValue={query.organisationId ?? options.actingOrganisationId}
              error={errors.messageFor('organisationId')}
            />
          </div>
          <div className="nhsuk-grid-column-one-half">
            <Select
              id="period"
              label="Period"
              hint="Whole calendar months"
              placeholder="Your own dates (below)"
              options={periods}
              defaultValue={choice.period}
            />
          </div>
        </div>
        <OwnDates
          chosen={choice.ownDates}
          from={query.from}
          to={query.to}
          errors={errors}
          note="Choose “Your own dates (below)” as the period for these to be used: up to 36 months."
        />
        <button className="nhsuk-button" type="submit">
          Show the report
        </button>
      </form>
    </search>
  );
}

/** The monthly summary to print: a month of the period (the latest first), for the same organisation. */
function SummaryChooser({ report, query }: { report: OperationalReport; query: ReportQuery }) {
  const navigate = useNavigate();
  const months = [...report.months].reverse();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const month = String(new FormData(event.currentTarget).get('month') ?? '');
    navigate(summaryAddress(query.organisationId, month));
  };
  return (
    <form className="app-report-summary-chooser" onSubmit={submit} noValidate aria-label="Monthly summary">
      <Select
        id="month"
        label="Monthly summary to print or save as PDF"
        hint="The key figures and main tables of one month"
        options={months.map((m) => ({ value: m.key, label: monthLabel(m.key) }))}
        defaultValue={months[0]?.key}
      />
      <button className="nhsuk-button nhsuk-button--secondary" type="submit">
        Open the monthly summary
      </button>
    </form>
  );
}

function Contents() {
  return (
    <nav className="nhsuk-contents-list" aria-label="Sections of the report">
      <h2 className="nhsuk-u-visually-hidden">Contents</h2>
      <ol className="nhsuk-contents-list__list">
        {reportSections.map((s) => (
          <li className="nhsuk-contents-list__item" key={s.id}>
            <a className="nhsuk-contents-list__link" href={`#${s.id}`}>
              {s.title}
            </a>
          </li>
        ))}
        <li className="nhsuk-contents-list__item">
          <a className="nhsuk-contents-list__link" href="#how-worked-out">
            How these figures are worked out
          </a>
        </li>
      </ol>
    </nav>
  );
}

/** Whether any practice population is loaded, and for those who may load one, the form to do it. */
function ReachIntro({
  report,
  loaded,
  loader,
  uploadErrors,
}: {
  report: OperationalReport;
  loaded: boolean;
  loader: boolean;
  uploadErrors: FormErrors;
}) {
  return (
    <>
      {!loaded && (
        <InsetText>
          <p>
            No practice population is loaded for {report.organisation.name}’s practices, so who is referred
            cannot be compared with who is registered yet.{' '}
            {loader
              ? 'Load the registered patients by age, sex, ethnic group and deprivation from a CSV file below.'
              : 'An administrator or the ICB’s analysts can load the registered patients by age, sex, ethnic group and deprivation.'}
          </p>
        </InsetText>
      )}
      {loader && <PopulationUpload errors={uploadErrors} open={!loaded} />}
    </>
  );
}

function ReportView({
  report,
  query,
  uploadErrors,
}: {
  report: OperationalReport;
  query: ReportQuery;
  uploadErrors: FormErrors;
}) {
  const me = useSignedIn();
  const loader = canLoadPopulations(me.acting?.roles ?? []);
  const { from, to } = report.period;
  const targets = report.firstContactTargets;
  const anyReach = reportSections
    .find((s) => s.id === 'reach')!
    .tables.some((k) => reachLoaded(tableOf(report, k)));
  return (
    <section aria-labelledby="report-heading">
      <h2 className="nhsuk-heading-m" id="report-heading">
        {report.organisation.name}: {formatDate(from)} to {formatDate(to)}
      </h2>
      <p>
        {typeNames[report.organisation.type] ?? report.organisation.type}, {report.months.length}{' '}
        {report.months.length === 1 ? 'month' : 'months'}. Figures read at{' '}
        {formatTimeOnDate(report.generatedAt)}
        {targets.length > 0 && (
          <>
            . First-contact target:{' '}
            {targets.map((t) => `${t.pcnName} ${t.workingDays} working days`).join('; ')}
          </>
        )}
        .
      </p>
      <InsetText>
        <p>
          Totals only, never a person. Counts of 1 to {report.minimumCellSize - 1} read “{SUPPRESSED_TEXT}”,
          and so does any figure that would let one be worked out from a total beside it.
          {report.caseloadView === 'distribution'
            ? ' Link workers are not named: caseloads are shown as how many link workers hold each size.'
            : ' Link workers are named, for their lead.'}
        </p>
      </InsetText>
      <p>
        Download the whole report:{' '}
        <a href={reportDownloadPath('csv', query)} download>
          CSV<span className="nhsuk-u-visually-hidden"> file of the operational report</span>
        </a>{' '}
        (a line per figure) or{' '}
        <a href={reportDownloadPath('xlsx', query)} download>
          Excel (XLSX)<span className="nhsuk-u-visually-hidden"> file of the operational report</span>
        </a>{' '}
        (a sheet per table).
      </p>
      <SummaryChooser report={report} query={query} />
      <Contents />
      {reportSections.map((section) => {
        const tables = section.tables
          .flatMap((k) => tableOf(report, k) ?? [])
          // With no population loaded at all, the inset says so once rather than under each breakdown.
          .filter(() => section.id !== 'reach' || anyReach);
        if (tables.length === 0 && section.id !== 'reach') return null;
        return (
          <section className="app-report-section" aria-labelledby={section.id} key={section.id}>
            <h2 className="nhsuk-heading-m" id={section.id} tabIndex={-1}>
              {section.title}
            </h2>
            {section.id === 'reach' && (
              <ReachIntro report={report} loaded={anyReach} loader={loader} uploadErrors={uploadErrors} />
            )}
            {tables.map((table) => (
              <div key={table.key}>
                {table.key === 'referrals_by_source' && <ReferralsChart table={table} />}
                {table.key === 'waiting_time' && <WaitsChart table={table} report={report} />}
                {table.key === 'connections_by_category' && <ConnectionsChart table={table} />}
                {section.id === 'reach' && reachLoaded(table) && <ReachChart table={table} />}
                <ReportTableView table={table} />
              </div>
            ))}
          </section>
        );
      })}
      <section className="app-report-section" aria-labelledby="how-worked-out">
        <h2 className="nhsuk-heading-m" id="how-worked-out" tabIndex={-1}>
          How these figures are worked out
        </h2>
        <ul className="nhsuk-list nhsuk-list--bullet">
          {report.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      </section>
    </section>
  );
}

/** The operational report: organisation and period in the address, every table with its charts, downloads. */
export function OperationalReportPage() {
  const [params] = useSearchParams();
  const options = useReportOptions();
  const errors = useFormErrors();
  const uploadErrors = useFormErrors();
  const query = useMemo(() => queryFromAddress(params), [params]);
  const report = useOperationalReport(options.isSuccess ? query : null);
  const invalid = useQueryProblems(report.error, errors, fieldMessages);
  usePageTitle(title, errors.hasErrors || uploadErrors.hasErrors);

  if (options.isPending) return <Loading />;
  if (options.isError) return <ProblemPage error={options.error} />;
  const o = options.data;
  const periods = periodOptions(o.defaultPeriod);

  return (
    <>
      <ErrorSummary
        items={[...errors.items, ...uploadErrors.items]}
        attempt={errors.attempt + uploadErrors.attempt}
      />
      <PageHeading>{title}</PageHeading>
      <p>
        Referrals, waiting times, caseloads, contacts, discharges, connections to community services, the
        SNOMED CT codes for the PCN returns and who is reached against the practice population, month by
        month, for the ICB, a PCN or a GP practice.
      </p>
      <ReportForm key={params.toString()} options={o} query={query} periods={periods} errors={errors} />
      {params.size > 0 && (
        <p>
          <Link to="/reports/operational">Start again</Link>
        </p>
      )}
      {report.isPending && <Loading what="the report" />}
      {report.isError && !invalid && <InlineProblem error={report.error} />}
      {report.isSuccess && <ReportView report={report.data} query={query} uploadErrors={uploadErrors} />}
    </>
  );
}
