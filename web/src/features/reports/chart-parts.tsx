import { useEffect, useRef, useState } from 'react';

/*
 * What the report's two charts share: the width they are drawn at (followed as the window changes), and the
 * marker and line style of each series, so no line is told from another by its colour alone.
 */

/** The width of the element, followed as the window changes. */
export function useWidth<T extends HTMLElement>(initial: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(260, Math.floor(element.getBoundingClientRect().width)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** Each series' dash pattern; its colour comes from the stylesheet (app-report-chart__series--n). */
export const DASHES = [undefined, '7 4', '2 3', '10 3 2 3'] as const;

/** Each series has its own marker shape too. */
export function Marker({ series, x = 0, y = 0 }: { series: number; x?: number; y?: number }) {
  const at = `translate(${x} ${y})`;
  const className = `app-report-chart__marker app-report-chart__series--${series % 4}`;
  switch (series % 4) {
    case 0:
      return <circle className={className} transform={at} r={4.5} />;
    case 1:
      return <rect className={className} transform={at} x={-4} y={-4} width={8} height={8} />;
    case 2:
      return <path className={className} transform={at} d="M0 -6L5.5 4H-5.5Z" />;
    default:
      return <path className={className} transform={at} d="M0 -6L6 0L0 6L-6 0Z" />;
  }
}

/** A sample of a series' line and marker for the key beside the chart. */
export function SeriesSample({ series }: { series: number }) {
  return (
    <svg width="36" height="16" viewBox="-18 -8 36 16" aria-hidden="true" focusable="false">
      <line
        className={`app-report-chart__line app-report-chart__series--${series % 4}`}
        x1={-16}
        x2={16}
        y1={0}
        y2={0}
        strokeDasharray={DASHES[series % 4]}
      />
      <Marker series={series} />
    </svg>
  );
}

export function ReferenceSample() {
  return (
    <svg width="36" height="16" viewBox="-18 -8 36 16" aria-hidden="true" focusable="false">
      <line className="app-report-chart__reference" x1={-16} x2={16} y1={0} y2={0} />
    </svg>
  );
}
