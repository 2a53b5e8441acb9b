import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear, scaleUtc } from '@visx/scale';
import { LinePath } from '@visx/shape';
import { formatDate } from '../../app/format.ts';
import { ResponsiveTable, type TableColumn } from '../../components/responsive-table.tsx';
import {
  atMost,
  bandAreas,
  type ChartRow,
  chartsFor,
  dateDomain,
  dateTickFormat,
  formatScore,
  type InstrumentCharts,
  type PlottedPoint,
  rangeIsKnown,
  type ScoreChart,
  timepointLabel,
  valueLabelOffsets,
  yTicks,
} from './chart-data.ts';
import type { InstrumentSummary, PersonMeasure } from './types.ts';
import './charts.scss';

/*
 * A person's outcome measures over time: one small line chart per score, each with its numbers in a table below.
 * The default export is meant to be loaded with React.lazy, so the charting library stays out of the main bundle.
 */

// Drawn in a 300-wide box that scales down to a 320 px phone and up to no more than 30rem.
const WIDTH = 300;
const HEIGHT = 184;
const MARGIN = { top: 20, right: 14, bottom: 30, left: 34 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
const TICK_LABEL = { fontSize: 12, fontFamily: 'inherit', fill: 'currentColor' } as const;

/** Each timepoint has its own marker shape, so the chart never relies on colour to tell them apart. */
function Marker({ timepoint, x = 0, y = 0 }: { timepoint: string; x?: number; y?: number }) {
  const at = `translate(${x} ${y})`;
  switch (timepoint) {
    case 'baseline':
      return <circle className="app-chart__marker" transform={at} r={5} />;
    case 'discharge':
      return <rect className="app-chart__marker" transform={at} x={-4.5} y={-4.5} width={9} height={9} />;
    case 'follow_up_short':
      return <path className="app-chart__marker" transform={at} d="M0 -6.5L6 4.5H-6Z" />;
    case 'follow_up_long':
      return <path className="app-chart__marker" transform={at} d="M0 -6.5L6.5 0L0 6.5L-6.5 0Z" />;
    default:
      return <path className="app-chart__marker" transform={at} d="M-2 -6H2V-2H6V2H2V6H-2V2H-6V-2H-2Z" />;
  }
}

function TimepointKey({ points }: { points: PlottedPoint[] }) {
  const timepoints = [...new Set(points.map((p) => p.timepoint))];
  return (
    <ul className="app-chart-key nhsuk-body-s">
      {timepoints.map((timepoint) => (
        <li key={timepoint}>
          <svg width="16" height="16" viewBox="-8 -8 16 16" aria-hidden="true" focusable="false">
            <Marker timepoint={timepoint} />
          </svg>
          {timepointLabel(timepoint)}
        </li>
      ))}
    </ul>
  );
}

function Chart({ chart }: { chart: ScoreChart }) {
  const domain = dateDomain(chart.dates);
  const x = scaleUtc({ domain, range: [0, PLOT_WIDTH] });
  const y = scaleLinear({ domain: [chart.range.min, chart.range.max], range: [PLOT_HEIGHT, 0] });
  const xOf = (p: PlottedPoint) => x(new Date(`${p.completedOn}T00:00:00Z`));
  const yOf = (p: PlottedPoint) => y(p.value);
  const ticks = yTicks(chart.range);
  const formatTick = dateTickFormat(domain);
  const dateTicks = atMost(3, x.ticks(3));
  const episodes = [...new Set(chart.points.map((p) => p.referralId))];
  const offsets = valueLabelOffsets(
    chart.points.map((p) => ({ x: xOf(p), y: yOf(p) })),
    PLOT_HEIGHT,
  );
  return (
    <svg
      className="app-chart__svg"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={chart.summary}
      focusable="false"
    >
      <Group left={MARGIN.left} top={MARGIN.top}>
        {bandAreas(chart.score, chart.range).map((band) => (
          <rect
            key={`${band.label}:${band.low}`}
            className={band.shaded ? 'app-chart__band app-chart__band--shaded' : 'app-chart__band'}
            x={0}
            width={PLOT_WIDTH}
            y={y(band.high)}
            height={y(band.low) - y(band.high)}
          />
        ))}
        {ticks.map((tick) => (
          <line key={tick} className="app-chart__grid" x1={0} x2={PLOT_WIDTH} y1={y(tick)} y2={y(tick)} />
        ))}
        <AxisLeft
          scale={y}
          tickValues={ticks}
          tickFormat={(value) => formatScore(Number(value))}
          stroke="currentColor"
          tickStroke="currentColor"
          tickLength={4}
          tickLabelProps={{ ...TICK_LABEL, textAnchor: 'end', dx: '-0.2em', dy: '0.33em' }}
        />
        <AxisBottom
          top={PLOT_HEIGHT}
          scale={x}
          tickValues={dateTicks}
          tickFormat={(value) => formatTick(value instanceof Date ? value : new Date(Number(value)))}
          stroke="currentColor"
          tickStroke="currentColor"
          tickLength={4}
          tickLabelProps={{ ...TICK_LABEL, textAnchor: 'middle' }}
        />
        {/* One line per episode: a new referral starts a new line rather than joining the last one. */}
        {episodes.map((referralId) => (
          <LinePath
            key={referralId}
            className="app-chart__line"
            data={chart.points.filter((p) => p.referralId === referralId)}
            x={xOf}
            y={yOf}
          />
        ))}
        {chart.points.map((p, index) => (
          <g key={p.measureId}>
            <Marker timepoint={p.timepoint} x={xOf(p)} y={yOf(p)} />
            <text
              className="app-chart__value"
              x={xOf(p)}
              y={yOf(p) + (offsets[index] ?? -10)}
              textAnchor="middle"
              fontSize={12}
            >
              {formatScore(p.value)}
            </text>
          </g>
        ))}
      </Group>
    </svg>
  );
}

function scoreCell(row: ChartRow) {
  return row.value === null ? row.notScored : formatScore(row.value);
}

function NumbersTable({ chart }: { chart: ScoreChart }) {
  const columns: TableColumn<ChartRow>[] = [
    { header: 'Date', cell: (row) => formatDate(row.completedOn), nowrap: true },
    { header: 'Timepoint', cell: (row) => timepointLabel(row.timepoint) },
    { header: 'Score', cell: scoreCell },
  ];
  if (chart.score.bands.length > 0) {
    columns.push({ header: 'Band', cell: (row) => (row.value === null ? '' : (row.band ?? 'None')) });
  }
  if (new Set(chart.rows.map((r) => r.referralId)).size > 1) {
    columns.push({ header: 'Episode', cell: (row) => row.episodeLabel });
  }
  return (
    <ResponsiveTable
      caption={<span className="nhsuk-u-visually-hidden">{chart.title}, each measure</span>}
      columns={columns}
      items={chart.rows}
      itemKey={(row) => row.measureId}
    />
  );
}

function ScoreSection({ chart }: { chart: ScoreChart }) {
  const { range, score } = chart;
  return (
    <div className="app-chart">
      <h4 className="nhsuk-heading-xs nhsuk-u-margin-bottom-1">{score.label}</h4>
      <p className="nhsuk-body-s app-chart__note">
        {rangeIsKnown(range) && `Scores from ${range.min} to ${range.max}. `}
        <strong>{score.higherIsBetter ? 'Higher is better' : 'Lower is better'}</strong>
      </p>
      {chart.points.length > 0 ? (
        <>
          <Chart chart={chart} />
          <TimepointKey points={chart.points} />
        </>
      ) : (
        <p className="nhsuk-body-s">No scores to show yet.</p>
      )}
      <details className="nhsuk-details nhsuk-u-margin-bottom-4">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Show the numbers</span>
        </summary>
        <div className="nhsuk-details__text">
          <NumbersTable chart={chart} />
        </div>
      </details>
    </div>
  );
}

function InstrumentSection({ instrument }: { instrument: InstrumentCharts }) {
  return (
    <section className="app-measure-charts__instrument">
      <h3 className="nhsuk-heading-s">{instrument.title}</h3>
      <div className="app-measure-charts__grid">
        {instrument.charts.map((chart) => (
          <ScoreSection key={chart.key} chart={chart} />
        ))}
      </div>
      {instrument.licenceNotice && <p className="nhsuk-body-s app-chart__note">{instrument.licenceNotice}</p>}
    </section>
  );
}

/** Each instrument the person has measures of, each of its scores as a chart over time with a table of numbers. */
export default function MeasureCharts({
  measures,
  instruments,
}: {
  measures: PersonMeasure[];
  instruments: InstrumentSummary[];
}) {
  const charted = chartsFor(measures, instruments);
  if (charted.length === 0) return <p className="nhsuk-body">No outcome measures have been recorded yet.</p>;
  return (
    <div className="app-measure-charts">
      {charted.map((instrument) => (
        <InstrumentSection key={instrument.code} instrument={instrument} />
      ))}
    </div>
  );
}
