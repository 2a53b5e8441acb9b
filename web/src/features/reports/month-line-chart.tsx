import { AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear } from '@visx/scale';
import { LinePath } from '@visx/shape';
import { type LineChartData, monthTickEvery, niceTicks } from './chart-data.ts';
import { DASHES, Marker, useWidth } from './chart-parts.tsx';

/*
 * Figures month by month as lines, one per series, each with its own marker and dash; a dashed line across for a
 * target. A suppressed month is a gap in its line. Drawn at the width it is given. The default export is meant to
 * be loaded with React.lazy, so the charting library stays out of the main bundle; the table below has every
 * number.
 */

const HEIGHT = 250;
const MARGIN = { top: 30, right: 18, bottom: 44, left: 46 };
const TICK_LABEL = { fontSize: 12, fontFamily: 'inherit', fill: 'currentColor' } as const;
const monthShort = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

export default function MonthLineChart({
  data,
  unit,
  summary,
}: {
  data: LineChartData;
  /** What the vertical scale counts, e.g. "Referrals" or "Days". */
  unit: string;
  summary: string;
}) {
  const { ref, width } = useWidth<HTMLDivElement>(640);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const n = data.months.length;
  const values = data.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.max(1, ...values, ...data.references.map((r) => r.value)));
  const y = scaleLinear({ domain: [0, ticks.at(-1)!], range: [plotHeight, 0] });
  const x = (i: number) => (n <= 1 ? plotWidth / 2 : (i * plotWidth) / (n - 1));
  const every = monthTickEvery(n, plotWidth);
  const labelled = data.months.map((_, i) => i).filter((i) => i % every === 0);
  return (
    <div className="app-report-chart" ref={ref}>
      <svg
        className="app-report-chart__svg"
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        focusable="false"
      >
        <text className="app-report-chart__unit" x={4} y={14} fontSize={12}>
          {unit}
        </text>
        <Group left={MARGIN.left} top={MARGIN.top}>
          {ticks.map((t) => (
            <line key={t} className="app-report-chart__grid" x1={0} x2={plotWidth} y1={y(t)} y2={y(t)} />
          ))}
          <AxisLeft
            scale={y}
            tickValues={ticks}
            tickFormat={(v) => Number(v).toLocaleString('en-GB')}
            stroke="currentColor"
            tickStroke="currentColor"
            tickLength={4}
            tickLabelProps={{ ...TICK_LABEL, textAnchor: 'end', dx: '-0.2em', dy: '0.33em' }}
          />
          <line className="app-report-chart__axis" x1={0} x2={plotWidth} y1={plotHeight} y2={plotHeight} />
          {labelled.map((i, k) => {
            const month = data.months[i]!.key;
            const date = new Date(`${month}-01T00:00:00Z`);
            const previous = k > 0 ? data.months[labelled[k - 1]!]!.key.slice(0, 4) : null;
            const year = previous !== month.slice(0, 4) ? month.slice(0, 4) : null;
            return (
              <g key={month} transform={`translate(${x(i)} ${plotHeight})`}>
                <line className="app-report-chart__axis" y1={0} y2={4} />
                <text textAnchor="middle" y={17} fontSize={12} fill="currentColor">
                  {monthShort.format(date)}
                </text>
                {year && (
                  <text textAnchor="middle" y={31} fontSize={12} fill="currentColor">
                    {year}
                  </text>
                )}
              </g>
            );
          })}
          {data.references.map((r) => (
            <g key={r.label}>
              <line
                className="app-report-chart__reference"
                x1={0}
                x2={plotWidth}
                y1={y(r.value)}
                y2={y(r.value)}
              />
              <text
                className="app-report-chart__reference-label"
                x={plotWidth}
                y={y(r.value) - 5}
                textAnchor="end"
                fontSize={12}
              >
                {r.label}
              </text>
            </g>
          ))}
          {/* The first series (all referrals, the median) is drawn last, on top of the others. */}
          {[...data.series].reverse().map((s, reversed) => {
            const index = data.series.length - 1 - reversed;
            const points = s.values.map((value, i) => ({ i, value }));
            return (
              <g key={s.key}>
                <LinePath
                  className={`app-report-chart__line app-report-chart__series--${index % 4}`}
                  data={points}
                  x={(p) => x(p.i)}
                  y={(p) => y(p.value ?? 0)}
                  defined={(p) => p.value !== null}
                  strokeDasharray={DASHES[index % 4]}
                />
                {points.map((p) =>
                  p.value === null ? null : <Marker key={p.i} series={index} x={x(p.i)} y={y(p.value)} />,
                )}
              </g>
            );
          })}
        </Group>
      </svg>
    </div>
  );
}
