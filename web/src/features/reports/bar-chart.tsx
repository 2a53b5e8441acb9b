import { AxisBottom } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear } from '@visx/scale';
import { wrapLabel } from '../insight/chart-data.ts';
import { type BarChartData, niceTicks } from './chart-data.ts';
import { useWidth } from './chart-parts.tsx';

/*
 * A bar for each group (two side by side when there are two measures), with a 95% interval as a whisker where
 * there is one, the figure written at the end of each bar with its measure's name, and a suppressed bar saying so
 * in words. A dashed line marks everyone's figure. Labels sit to the left where there is room, above each group on
 * a phone. The default export is meant to be loaded with React.lazy; the table below has every number.
 */

const LINE = 16;
const BAR = 16;
const GAP = 4;
const CHAR = 7;
const TICK_LABEL = { fontSize: 12, fontFamily: 'inherit', fill: 'currentColor' } as const;

export default function BarChart({
  data,
  format,
  tickFormat = format,
  summary,
}: {
  data: BarChartData;
  format: (value: number) => string;
  tickFormat?: (value: number) => string;
  summary: string;
}) {
  const { ref, width } = useWidth<HTMLDivElement>(640);
  const wide = width >= 560;
  const labelWidth = wide ? Math.min(240, Math.round(width * 0.34)) : 0;
  const labelChars = Math.floor(((wide ? labelWidth : width) - 12) / CHAR);
  const plotLeft = wide ? labelWidth : 4;
  // Room at the right for the figure written after the longest bar.
  const plotWidth = width - plotLeft - (data.measures.length > 1 ? 118 : 70);
  const ticks = niceTicks(data.max);
  const x = scaleLinear({ domain: [0, ticks.at(-1)!], range: [0, plotWidth] });
  const named = data.measures.length > 1;
  const measureLabel = (key: string) =>
    data.measures.find((m) => m.key === key)?.label.replace(' %', '') ?? '';

  let top = data.reference ? 24 : 6;
  const placed = data.rows.map((row) => {
    const lines = wrapLabel(row.label, labelChars);
    const barsHeight = row.bars.length * BAR + (row.bars.length - 1) * GAP;
    const labelHeight = wide ? 0 : lines.length * LINE + 2;
    const height = Math.max(wide ? lines.length * LINE : 0, labelHeight + barsHeight) + 14;
    const at = {
      row,
      lines,
      top,
      barsTop: top + labelHeight + (wide ? Math.max(0, (lines.length * LINE - barsHeight) / 2) : 0),
    };
    top += height;
    return at;
  });
  const plotHeight = top;
  const height = plotHeight + 32;

  return (
    <div className="app-report-chart" ref={ref}>
      <svg
        className="app-report-chart__svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary}
        focusable="false"
      >
        <Group left={plotLeft}>
          {ticks.map((t) => (
            <line key={t} className="app-report-chart__grid" x1={x(t)} x2={x(t)} y1={0} y2={plotHeight} />
          ))}
        </Group>
        {placed.map(({ row, lines, top: rowTop, barsTop }) => (
          <g key={row.key}>
            <text
              className={
                row.total
                  ? 'app-report-chart__label app-report-chart__label--total'
                  : 'app-report-chart__label'
              }
              x={0}
              y={rowTop + LINE - 4}
              fontSize={13}
            >
              {lines.map((line, i) => (
                <tspan key={line} x={0} dy={i === 0 ? 0 : LINE}>
                  {line}
                </tspan>
              ))}
            </text>
            <Group left={plotLeft} top={barsTop}>
              {row.bars.map((bar, i) => {
                const y = i * (BAR + GAP);
                const name = named ? `${measureLabel(bar.measure)} ` : '';
                if (bar.value === null) {
                  return (
                    <text
                      key={bar.measure}
                      className="app-report-chart__hidden"
                      x={4}
                      y={y + BAR / 2}
                      dominantBaseline="middle"
                      fontSize={12}
                    >
                      {name}
                      {bar.hidden}
                    </text>
                  );
                }
                const end = Math.max(x(bar.value), bar.upper === null ? 0 : x(bar.upper));
                return (
                  <g key={bar.measure}>
                    <rect
                      className={`app-report-chart__bar app-report-chart__bar--${i}`}
                      x={0}
                      y={y}
                      width={Math.max(1, x(bar.value))}
                      height={BAR}
                    />
                    {bar.lower !== null && bar.upper !== null && (
                      <g className="app-report-chart__whisker">
                        <line x1={x(bar.lower)} x2={x(bar.upper)} y1={y + BAR / 2} y2={y + BAR / 2} />
                        <line x1={x(bar.lower)} x2={x(bar.lower)} y1={y + 3} y2={y + BAR - 3} />
                        <line x1={x(bar.upper)} x2={x(bar.upper)} y1={y + 3} y2={y + BAR - 3} />
                      </g>
                    )}
                    <text
                      className="app-report-chart__value"
                      x={end + 6}
                      y={y + BAR / 2}
                      dominantBaseline="middle"
                      fontSize={12}
                    >
                      {name}
                      {format(bar.value)}
                    </text>
                  </g>
                );
              })}
            </Group>
          </g>
        ))}
        <Group left={plotLeft}>
          {data.reference && (
            <>
              <line
                className="app-report-chart__reference"
                x1={x(data.reference.value)}
                x2={x(data.reference.value)}
                y1={18}
                y2={plotHeight}
              />
              <text
                className="app-report-chart__reference-label"
                x={x(data.reference.value)}
                y={12}
                fontSize={12}
                textAnchor={x(data.reference.value) > plotWidth - 60 ? 'end' : 'start'}
              >
                {data.reference.label}
              </text>
            </>
          )}
          <AxisBottom
            top={plotHeight}
            scale={x}
            tickValues={ticks}
            tickFormat={(v) => tickFormat(Number(v))}
            stroke="currentColor"
            tickStroke="currentColor"
            tickLength={4}
            tickLabelProps={{ ...TICK_LABEL, textAnchor: 'middle' }}
          />
        </Group>
      </svg>
    </div>
  );
}
