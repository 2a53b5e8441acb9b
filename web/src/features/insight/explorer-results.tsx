import { lazy, Suspense } from 'react';
import { formatDate } from '../../app/format.ts';
import { Loading } from '../../components/page-parts.tsx';
import { chartRows } from './chart-data.ts';
import { Cell, ColumnHeaders, RowHeader } from './explorer-parts.tsx';
import type { ExplorerQueryValues } from './explorer-values.ts';
import { effectWords, figure, inSentence, interval, signed } from './figures.ts';
import { type ChangeFigures, type ExplorerCell, type ExplorerTable, explorerCsvPath } from './queries.ts';

const ExplorerChart = lazy(() => import('./explorer-chart.tsx'));

/*
 * The explorer's answer: what it covers, the standing caution, the reading in plain English, the chart with its
 * table (a factor's levels, or a grid of two factors crossed with margins), and the CSV of the same table.
 */

/** A hidden figure says why, in words (the API's reason), never just a dash. */
function Hidden({ change }: { change: ChangeFigures }) {
  return <span className="app-insight-hidden">{change.reason}</span>;
}

function pairs(change: ChangeFigures): string {
  if (!change.suppressed) return String(change.n);
  return change.n === 0 ? '0' : 'Not shown';
}

function MeanChange({ change }: { change: ChangeFigures }) {
  if (change.suppressed) return <Hidden change={change} />;
  return (
    <>
      <strong>{signed(change.meanChange)}</strong>{' '}
      <span className="app-table-nowrap">({interval(change.ci95)})</span>
    </>
  );
}

const columns = {
  group: 'Group',
  n: 'People with both measures',
  beforeAfter: 'Mean before → after',
  change: 'Mean change (95% CI)',
  effect: 'Effect size',
  missing: 'Missing',
  complete: 'Complete cases: n, mean change (95% CI)',
};

/** Reached the timepoint without a measure there: "3 of 40 who reached it". */
function Missing({ cell }: { cell: ExplorerCell }) {
  if (cell.reached.suppressed || cell.missing.suppressed) return <>Fewer than 5 (not shown)</>;
  return (
    <>
      {cell.missing.value} <span className="nhsuk-body-s">of {cell.reached.value} who reached it</span>
    </>
  );
}

function FullRow({ cell, label }: { cell: ExplorerCell; label: string }) {
  const c = cell.change;
  const cc = cell.completeCase;
  return (
    <tr className="nhsuk-table__row">
      <RowHeader column={columns.group}>{label}</RowHeader>
      <Cell column={columns.n}>{pairs(c)}</Cell>
      <Cell column={columns.beforeAfter}>
        {c.suppressed ? 'Not shown' : `${figure(c.meanBefore)} → ${figure(c.meanAfter)}`}
      </Cell>
      <Cell column={columns.change}>
        <MeanChange change={c} />
      </Cell>
      <Cell column={columns.effect}>
        {c.suppressed
          ? 'Not shown'
          : c.effectSize.kazis === null
            ? 'Not calculable (no spread at baseline)'
            : `${signed(c.effectSize.kazis)} (${effectWords(c.effectSize.kazis)})`}
      </Cell>
      <Cell column={columns.missing}>
        <Missing cell={cell} />
      </Cell>
      <Cell column={columns.complete}>
        {cc.suppressed ? (
          <Hidden change={cc} />
        ) : (
          <>
            n = {cc.n}: {signed(cc.meanChange)}{' '}
            <span className="app-table-nowrap">({interval(cc.ci95)})</span>
          </>
        )}
      </Cell>
    </tr>
  );
}

/** Every group with all its figures: a factor's levels and everyone, or every cell of two factors crossed. */
function FullTable({ table, caption }: { table: ExplorerTable; caption: string }) {
  const crossed = table.levels.b !== null;
  const rows = crossed ? [...table.cells, ...table.aMargins, ...table.bMargins] : table.aMargins;
  const label = (c: ExplorerCell) => (crossed ? `${c.aLabel}; ${c.bLabel}` : c.aLabel);
  return (
    <table className="nhsuk-table nhsuk-table--responsive app-insight-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
      <ColumnHeaders columns={Object.values(columns)} />
      <tbody className="nhsuk-table__body">
        {rows.map((cell) => (
          <FullRow key={`${cell.a}:${cell.b}`} cell={cell} label={label(cell)} />
        ))}
        <FullRow cell={table.total} label="Everyone" />
      </tbody>
    </table>
  );
}

function GridCell({ cell, column }: { cell: ExplorerCell; column: string }) {
  const c = cell.change;
  return (
    <Cell column={column}>
      {c.suppressed ? (
        <Hidden change={c} />
      ) : (
        <>
          <strong>{signed(c.meanChange)}</strong>
          <br />
          <span className="app-table-nowrap">({interval(c.ci95)})</span>
          <br />
          <span className="nhsuk-body-s">n = {c.n}</span>
        </>
      )}
    </Cell>
  );
}

/** Two factors crossed: a row per level of the first, a column per level of the second, with margins. */
function Grid({ table, caption }: { table: ExplorerTable; caption: string }) {
  const [fa, fb] = table.factors;
  const bLevels = table.levels.b ?? [];
  const allColumn = `All (${inSentence(fb!.label)})`;
  const at = (a: string, b: string) => table.cells.find((c) => c.a === a && c.b === b);
  return (
    <table className="nhsuk-table nhsuk-table--responsive app-insight-table app-insight-grid">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
      <ColumnHeaders
        columns={[`${fa!.label} (rows) by ${fb!.label} (columns)`, ...bLevels.map((l) => l.label), allColumn]}
      />
      <tbody className="nhsuk-table__body">
        {table.aMargins.map((margin) => (
          <tr className="nhsuk-table__row" key={margin.a}>
            <RowHeader column={fa!.label}>{margin.aLabel}</RowHeader>
            {bLevels.map((l) => {
              const cell = at(margin.a!, l.code);
              return cell ? <GridCell key={l.code} cell={cell} column={l.label} /> : null;
            })}
            <GridCell cell={margin} column={allColumn} />
          </tr>
        ))}
        <tr className="nhsuk-table__row">
          <RowHeader column={fa!.label}>{`All (${inSentence(fa!.label)})`}</RowHeader>
          {table.bMargins.map((margin) => (
            <GridCell key={margin.b} cell={margin} column={margin.bLabel ?? ''} />
          ))}
          <GridCell cell={table.total} column={allColumn} />
        </tr>
      </tbody>
    </table>
  );
}

/** What a screen reader hears for the chart; the table beside it has the numbers. */
function chartSummary(table: ExplorerTable): string {
  const by = table.factors.map((f) => inSentence(f.label)).join(' and ');
  return `Chart of the mean change in ${table.measure.label} by ${by}, each with its 95% confidence interval and a line at no change. ${table.measure.higherIsBetter ? 'Higher' : 'Lower'} scores are better. The table beside it gives every number.`;
}

/** Episodes without the factors recorded are left out of the table and its totals, and counted here. */
function NotRecorded({ table }: { table: ExplorerTable }) {
  const { episodes, pairs } = table.notRecorded;
  if (!episodes.suppressed && episodes.value === 0) return null;
  const factors = table.factors.map((f) => inSentence(f.label)).join(' or ');
  const number = (c: { value: number | null; suppressed: boolean }) =>
    c.suppressed ? 'fewer than 5' : String(c.value);
  return (
    <p>
      Left out: {number(episodes)} {episodes.value === 1 ? 'episode' : 'episodes'} without {factors} recorded
      ({number(pairs)} with measures at both timepoints).
    </p>
  );
}

export function ExplorerResults({ table, query }: { table: ExplorerTable; query: ExplorerQueryValues }) {
  const crossed = table.levels.b !== null;
  const by = table.factors.map((f) => f.label).join(' by ');
  const what = `${table.measure.label}, ${table.comparisonLabel.toLowerCase()}`;
  const episodes = table.total.episodes;
  return (
    <section aria-labelledby="results-heading">
      <h2 className="nhsuk-heading-m" id="results-heading">
        {table.measure.label} by {table.factors.map((f) => inSentence(f.label)).join(' and ')}
      </h2>
      <p>
        {table.instrument.title}, {table.comparisonLabel.toLowerCase()}. {table.organisation.name}:{' '}
        {episodes.suppressed ? 'fewer than 5' : episodes.value} episodes with a baseline between{' '}
        {formatDate(table.period.from)} and {formatDate(table.period.to)}.{' '}
        <strong>
          {table.measure.higherIsBetter
            ? 'Higher scores are better: a positive change is an improvement.'
            : 'Lower scores are better: a negative change is an improvement.'}
        </strong>
      </p>
      <NotRecorded table={table} />
      <div className="nhsuk-warning-callout">
        <h3 className="nhsuk-warning-callout__label">
          Associations, not causes<span className="nhsuk-u-visually-hidden">:</span>
        </h3>
        <p>{table.caution}</p>
      </div>
      <h3 className="nhsuk-heading-s">What the table says</h3>
      <ul className="nhsuk-list nhsuk-list--bullet">
        {table.reading.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p>
        Groups with fewer than {table.minimumCellSize} people are not shown, and nor are others that would let
        them be worked out from the totals; each says why. <strong>Complete cases</strong> are the people with
        their IMD quintile and {crossed ? 'both factors' : 'the factor'} recorded, as in the adjusted model.
      </p>
      <p>
        <a href={explorerCsvPath(query)} download>
          Download this table (CSV)
          <span className="nhsuk-u-visually-hidden">
            : {what} by {by}
          </span>
        </a>
      </p>
      <div className="app-insight-figure">
        <div className="app-insight-figure__chart">
          <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">
            Mean change with its 95% confidence interval
          </h3>
          <Suspense fallback={<Loading what="the chart" />}>
            <ExplorerChart
              rows={chartRows(table)}
              higherIsBetter={table.measure.higherIsBetter}
              summary={chartSummary(table)}
            />
          </Suspense>
        </div>
        <div className="app-insight-figure__table">
          {crossed ? (
            <Grid table={table} caption={`Mean change, 95% CI and n: ${by}`} />
          ) : (
            <FullTable table={table} caption={`Change in ${table.measure.label} by ${by}`} />
          )}
        </div>
      </div>
      {crossed && (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              Every group with its effect size and missing data
            </span>
          </summary>
          <div className="nhsuk-details__text">
            <FullTable table={table} caption={`Change in ${table.measure.label} by ${by}, in full`} />
          </div>
        </details>
      )}
      <p className="nhsuk-body-s">
        {table.factors.map((f) => (
          <span key={f.key}>
            <strong>{f.label}</strong> — {inSentence(f.groupLabel)}. {f.about}{' '}
          </span>
        ))}
        Effect size: the mean change divided by the spread of the baseline scores (Kazis); about 0.2 is small,
        0.5 moderate and 0.8 large. Missing: people who reached the timepoint without a measure there.
      </p>
    </section>
  );
}
