import { lazy, type ReactNode, Suspense } from 'react';
import type { OperationalReport, ReportTable } from '../../../../src/modules/reporting/contract.ts';
import { Loading } from '../../components/page-parts.tsx';
import { SUPPRESSED_TEXT } from './cells.ts';
import {
  type BarChartData,
  connectionBars,
  type LineChartData,
  reachBars,
  referralLines,
  waitLines,
} from './chart-data.ts';
import { ReferenceSample, SeriesSample } from './chart-parts.tsx';

const MonthLineChart = lazy(() => import('./month-line-chart.tsx'));
const BarChart = lazy(() => import('./bar-chart.tsx'));

/*
 * The charts of the report, each above the table with its numbers: what it shows in a heading, a key that names
 * each line by its marker and dash, a sentence for screen readers, and what a gap or a missing bar means.
 */

function Figure({ title, children, note }: { title: string; children: ReactNode; note?: ReactNode }) {
  return (
    <figure className="app-report-figure">
      <figcaption>
        <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">{title}</h3>
      </figcaption>
      <Suspense fallback={<Loading what="the chart" />}>{children}</Suspense>
      {note && <p className="nhsuk-body-s app-report-figure__note">{note}</p>}
    </figure>
  );
}

function LineKey({ data }: { data: LineChartData }) {
  return (
    <ul className="app-report-chart-key nhsuk-body-s">
      {data.series.map((s, i) => (
        <li key={s.key}>
          <SeriesSample series={i} />
          {s.label}
        </li>
      ))}
      {data.references.map((r) => (
        <li key={r.label}>
          <ReferenceSample />
          {r.label}
        </li>
      ))}
    </ul>
  );
}

const gapNote = (data: LineChartData) =>
  data.gaps
    ? `A gap in a line is a month whose figure is ${SUPPRESSED_TEXT}. The table below gives every figure.`
    : 'The table below gives every figure.';

/** A chart with nothing to draw says so instead (every figure suppressed, or none yet). */
const nothingDrawn = (data: LineChartData | BarChartData) =>
  'series' in data
    ? data.series.every((s) => s.values.every((v) => v === null))
    : data.rows.every((r) => r.bars.every((b) => b.value === null));

function NoChart({ title, why }: { title: string; why: string }) {
  return (
    <div className="app-report-figure">
      <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">{title}</h3>
      <p className="nhsuk-body-s app-report-figure__note">{why} The table below gives every figure.</p>
    </div>
  );
}

export function ReferralsChart({ table }: { table: ReportTable }) {
  const data = referralLines(table);
  const shown = data.series.map((s) => s.label.toLowerCase()).join(', ');
  const title = 'Referrals per month, by source';
  if (nothingDrawn(data))
    return <NoChart title={title} why={`No month has a figure to draw: each is ${SUPPRESSED_TEXT}.`} />;
  return (
    <Figure title={title} note={gapNote(data)}>
      <LineKey data={data} />
      <MonthLineChart
        data={data}
        unit="Referrals"
        summary={`Line chart of referrals received each month from ${data.months[0]?.label} to ${data.months.at(-1)?.label}: ${shown}. The table below gives every figure.`}
      />
    </Figure>
  );
}

export function WaitsChart({ table, report }: { table: ReportTable; report: OperationalReport }) {
  const data = waitLines(table, report);
  const title = 'Days from referral to first contact, by month referred, against the target';
  if (nothingDrawn(data)) {
    return (
      <NoChart
        title={title}
        why={`No month has a wait to draw: none had a first contact, or the figure is ${SUPPRESSED_TEXT}.`}
      />
    );
  }
  return (
    <Figure
      title={title}
      note={`${gapNote(data)} Days are calendar days; the target is in working days, about 7 calendar days for every 5 working days.`}
    >
      <LineKey data={data} />
      <MonthLineChart
        data={data}
        unit="Days"
        summary={`Line chart of the median and 90th percentile days from referral to first contact for each month referred, with the first-contact target as a dashed line. The table below gives every figure.`}
      />
    </Figure>
  );
}

function BarKey({ data }: { data: BarChartData }) {
  if (data.measures.length < 2) return null;
  return (
    <ul className="app-report-chart-key nhsuk-body-s">
      {data.measures.map((m, i) => (
        <li key={m.key}>
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <rect
              className={`app-report-chart__bar app-report-chart__bar--${i}`}
              x={0}
              y={2}
              width={16}
              height={12}
            />
          </svg>
          {m.label}
        </li>
      ))}
    </ul>
  );
}

const percent = (x: number) => `${x.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`;
const perThousand = (x: number) =>
  x.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function ConnectionsChart({ table }: { table: ReportTable }) {
  const data = connectionBars(table);
  const title = 'Connections accepted and attended, by service category';
  if (nothingDrawn(data)) {
    return (
      <NoChart
        title={title}
        why={`No rate to draw: each is ${SUPPRESSED_TEXT} with the counts it comes from, or there were no connections.`}
      />
    );
  }
  return (
    <Figure
      title={title}
      note={`A rate is ${SUPPRESSED_TEXT} with the counts it comes from. The table below gives every figure.`}
    >
      <BarKey data={data} />
      <BarChart
        data={data}
        format={percent}
        summary="Bar chart of the percentage of connections accepted by the service and the percentage attended, for each service category and all connections. The table below gives every figure."
      />
    </Figure>
  );
}

export function ReachChart({ table }: { table: ReportTable }) {
  const data = reachBars(table);
  if (data.rows.length === 0) return null;
  if (nothingDrawn(data)) {
    return (
      <NoChart
        title={`${table.title}, with 95% intervals`}
        why={`No rate to draw: each is ${SUPPRESSED_TEXT}.`}
      />
    );
  }
  return (
    <Figure
      title={`${table.title}, with 95% intervals`}
      note="The dashed line is the rate for everyone; a whisker is the 95% interval of a group’s rate. The table below gives every figure."
    >
      <BarChart
        data={data}
        format={perThousand}
        tickFormat={(x) => x.toLocaleString('en-GB')}
        summary={`Bar chart of people referred per 1,000 registered patients by ${table.rowHeading.toLowerCase()}, each with its 95% interval, and a line for everyone${data.reference ? ` at ${perThousand(data.reference.value)}` : ''}. The table below gives every figure.`}
      />
    </Figure>
  );
}
