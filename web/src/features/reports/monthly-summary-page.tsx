import { type FormEvent, useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { OperationalReport } from '../../../../src/modules/reporting/contract.ts';
import { withQuery } from '../../app/api.ts';
import { formatDate, formatDayOf } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { forOneMonth, SUPPRESSED_TEXT, summaryTables, tableOf } from './cells.ts';
import { organisationOptions } from './operational-report-page.tsx';
import { type OperationalOptions, useOperationalReport, useReportOptions } from './queries.ts';
import { KeyFigures, ReportTableView } from './report-table.tsx';
import {
  isMonth,
  monthLabel,
  monthQuery,
  recentMonths,
  reportPath,
  summaryAddress,
} from './report-values.ts';

/*
 * The monthly summary: one month of the operational report for an organisation, to print or save as PDF from the
 * browser (the print stylesheet leaves out the service's header, footer and controls). The key figures, then the
 * main tables without the columns and rows that only repeat the month.
 */

function Chooser({
  options,
  organisationId,
  month,
}: {
  options: OperationalOptions;
  organisationId: string;
  month: string;
}) {
  const navigate = useNavigate();
  const months = recentMonths(options.defaultPeriod.to, 36);
  if (!months.includes(month)) months.unshift(month);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(summaryAddress(String(form.get('organisationId') ?? ''), String(form.get('month') ?? '')));
  };
  return (
    <form className="app-no-print" onSubmit={submit} noValidate aria-label="Choose the month">
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <Select
            id="organisationId"
            label="Organisation"
            options={organisationOptions(options)}
            defaultValue={organisationId}
          />
        </div>
        <div className="nhsuk-grid-column-one-half">
          <Select
            id="month"
            label="Month"
            options={months.map((m) => ({ value: m, label: monthLabel(m) }))}
            defaultValue={month}
          />
        </div>
      </div>
      <button className="nhsuk-button nhsuk-button--secondary" type="submit">
        Show this month
      </button>
    </form>
  );
}

function Summary({ report }: { report: OperationalReport }) {
  const glance = tableOf(report, 'summary');
  const tables = summaryTables.flatMap((k) => {
    const t = tableOf(report, k);
    return t ? [forOneMonth(t)] : [];
  });
  return (
    <>
      <p>
        {report.organisation.name}, {formatDate(report.period.from)} to {formatDate(report.period.to)}.
        Produced on {formatDayOf(report.generatedAt)}.
        {report.firstContactTargets.length > 0 &&
          ` First-contact target: ${report.firstContactTargets.map((t) => `${t.pcnName} ${t.workingDays} working days`).join('; ')}.`}
      </p>
      <p className="nhsuk-body-s">
        Totals only. Counts of 1 to {report.minimumCellSize - 1} read “{SUPPRESSED_TEXT}”, and so does any
        figure that would let one be worked out from a total beside it.
      </p>
      {glance && (
        <section aria-labelledby="key-figures">
          <h2 className="nhsuk-heading-m" id="key-figures">
            Key figures
          </h2>
          <KeyFigures table={glance} />
        </section>
      )}
      <h2 className="nhsuk-heading-m">The month’s tables</h2>
      {tables.map((t) => (
        <div className="app-report-print__table" key={t.key}>
          <ReportTableView table={t} responsive={false} />
        </div>
      ))}
      <h2 className="nhsuk-heading-s">How these figures are worked out</h2>
      <ul className="nhsuk-list nhsuk-list--bullet nhsuk-body-s">
        {report.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </>
  );
}

/** One month's key figures and main tables, laid out to print or save as PDF. */
export function MonthlySummaryPage() {
  const [params] = useSearchParams();
  const options = useReportOptions();
  const asked = params.get('month');
  const lastComplete = options.data?.defaultPeriod.to.slice(0, 7);
  const month = isMonth(asked) ? asked : lastComplete;
  const organisationId = params.get('organisationId') ?? options.data?.actingOrganisationId;
  const query = useMemo(
    () => (month && organisationId ? monthQuery(organisationId, month) : null),
    [month, organisationId],
  );
  const report = useOperationalReport(query);
  const title = month ? `Monthly summary: ${monthLabel(month)}` : 'Monthly summary';
  usePageTitle(title);

  if (options.isPending) return <Loading />;
  if (options.isError) return <ProblemPage error={options.error} />;

  return (
    <div className="app-report-print">
      <div className="app-no-print">
        <BackLink to={withQuery(reportPath, { organisationId: params.get('organisationId') })}>
          Back to the operational report
        </BackLink>
      </div>
      <PageHeading caption={report.data?.organisation.name ?? 'Operational report'}>{title}</PageHeading>
      <Chooser options={options.data} organisationId={organisationId ?? ''} month={month ?? ''} />
      {report.isSuccess && (
        <div className="app-actions app-no-print">
          <button className="nhsuk-button" type="button" onClick={() => window.print()}>
            Print or save as PDF
          </button>
        </div>
      )}
      {report.isPending && <Loading what="the summary" />}
      {report.isError && <InlineProblem error={report.error} />}
      {report.isSuccess && <Summary report={report.data} />}
    </div>
  );
}
