import { AxisBottom } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear } from '@visx/scale';
import { useEffect, useRef, useState } from 'react';
import { betterSide, type ChartRow, changeDomain, wrapLabel } from './chart-data.ts';
import { figure } from './figures.ts';

/*
 * Mean change with its 95% CI for each group, as dots and whiskers on one scale with zero marked and the better
 * direction named. Drawn at the width it is given (labels to the left where there is room, above each whisker on
 * a phone). The default export is meant to be loaded with React.lazy, so the charting library stays out of the
 * main bundle; the table beside it has every number.
 */

const FONT = 13;
const LINE = 16;
const CHAR = 7;
const TICK_LABEL = { fontSize: 12, fontFamily: 'inherit', fill: 'currentColor' } as const;

/** The width of the element, followed as the window changes. */
function useWidth<T extends HTMLElement>(initial: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(240, Math.floor(element.getBoundingClientRect().width)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

interface Placed {
  row: ChartRow;
  lines: string[];
  top: number;
  /** Where the whisker's centre line runs. */
  y: number;
}

function layout(rows: ChartRow[], wide: boolean, labelChars: number) {
  const placed: Placed[] = [];
  // Room above the rows for the "No change" label at the zero line.
  let top = 26;
  for (const row of rows) {
    const indent = !row.heading && rows.some((r) => r.heading);
    const lines = wrapLabel(row.label, labelChars - (indent ? 2 : 0));
    if (row.heading) {
      placed.push({ row, lines, top, y: top });
      top += lines.length * LINE + 8;
    } else if (wide) {
      const height = Math.max(28, lines.length * LINE + 10);
      placed.push({ row, lines, top, y: top + height / 2 });
      top += height;
    } else {
      const height = lines.length * LINE + 24;
      placed.push({ row, lines, top, y: top + lines.length * LINE + 10 });
      top += height;
    }
  }
  return { placed, plotHeight: top };
}

export default function ExplorerChart({
  rows,
  higherIsBetter,
  summary,
}: {
  rows: ChartRow[];
  higherIsBetter: boolean;
  summary: string;
}) {
  const { ref, width } = useWidth<HTMLDivElement>(600);
  const wide = width >= 560;
  const labelWidth = wide ? Math.min(240, Math.round(width * 0.38)) : 0;
  const labelChars = Math.floor(((wide ? labelWidth : width) - 12) / CHAR);
  const plotLeft = wide ? labelWidth : 12;
  const plotWidth = width - plotLeft - 20;
  const { placed, plotHeight } = layout(rows, wide, labelChars);
  const height = plotHeight + 56;
  const domain = changeDomain(rows);
  const x = scaleLinear({ domain: [domain.min, domain.max], range: [0, plotWidth] });
  const step = domain.ticks.length > 1 ? Math.abs(domain.ticks[1]! - domain.ticks[0]!) : 1;
  const places = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  const better = betterSide(higherIsBetter);
  const indented = rows.some((r) => r.heading);
  return (
    <div className="app-insight-chart" ref={ref}>
      <svg
        className="app-insight-chart__svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary}
        focusable="false"
      >
        <Group left={plotLeft}>
          {domain.ticks.map((t) => (
            <line key={t} className="app-insight-chart__grid" x1={x(t)} x2={x(t)} y1={18} y2={plotHeight} />
          ))}
          <line className="app-insight-chart__zero" x1={x(0)} x2={x(0)} y1={18} y2={plotHeight} />
          <text
            className="app-insight-chart__better"
            x={x(0)}
            y={12}
            fontSize={12}
            textAnchor={x(0) > plotWidth - 40 ? 'end' : x(0) < 40 ? 'start' : 'middle'}
          >
            No change
          </text>
        </Group>
        {placed.map(({ row, lines, top, y }) => {
          const labelX = row.heading || !indented || row.key === 'total' ? 0 : 12;
          const labelTop = wide && !row.heading ? y - ((lines.length - 1) * LINE) / 2 : top + LINE - 3;
          return (
            <g key={row.key}>
              <text
                className={row.heading ? 'app-insight-chart__heading' : 'app-insight-chart__label'}
                x={labelX}
                y={labelTop}
                fontSize={FONT}
                dominantBaseline={wide && !row.heading ? 'middle' : 'auto'}
              >
                {lines.map((line, i) => (
                  <tspan key={line} x={labelX} dy={i === 0 ? 0 : LINE}>
                    {line}
                  </tspan>
                ))}
              </text>
              {!row.heading && (
                <Group left={plotLeft} top={y}>
                  {row.mean === null ? (
                    <text
                      className="app-insight-chart__hidden"
                      x={4}
                      y={0}
                      dominantBaseline="middle"
                      fontSize={12}
                    >
                      {row.hidden}
                    </text>
                  ) : (
                    <>
                      {row.lower !== null && row.upper !== null && (
                        <>
                          <line
                            className="app-insight-chart__whisker"
                            x1={x(row.lower)}
                            x2={x(row.upper)}
                            y1={0}
                            y2={0}
                          />
                          <line
                            className="app-insight-chart__whisker"
                            x1={x(row.lower)}
                            x2={x(row.lower)}
                            y1={-5}
                            y2={5}
                          />
                          <line
                            className="app-insight-chart__whisker"
                            x1={x(row.upper)}
                            x2={x(row.upper)}
                            y1={-5}
                            y2={5}
                          />
                        </>
                      )}
                      <circle className="app-insight-chart__dot" cx={x(row.mean)} cy={0} r={5} />
                    </>
                  )}
                </Group>
              )}
            </g>
          );
        })}
        <Group left={plotLeft}>
          <AxisBottom
            top={plotHeight}
            scale={x}
            tickValues={domain.ticks}
            tickFormat={(value) => figure(Number(value), places)}
            stroke="currentColor"
            tickStroke="currentColor"
            tickLength={4}
            tickLabelProps={{ ...TICK_LABEL, textAnchor: 'middle' }}
          />
          <text
            className="app-insight-chart__better"
            x={0}
            y={plotHeight + 46}
            fontSize={12}
            textAnchor="start"
          >
            {better === 'left' ? '← Improvement' : '← Got worse'}
          </text>
          <text
            className="app-insight-chart__better"
            x={plotWidth}
            y={plotHeight + 46}
            fontSize={12}
            textAnchor="end"
          >
            {better === 'right' ? 'Improvement →' : 'Got worse →'}
          </text>
        </Group>
      </svg>
    </div>
  );
}
