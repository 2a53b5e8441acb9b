import { lazy, Suspense } from 'react';
import { formatDate } from '../../app/format.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { Loading } from '../../components/page-parts.tsx';
import { useInstruments, usePersonMeasures } from './queries.ts';

// The charting library loads only with the charts, never with the rest of the app.
const MeasureCharts = lazy(() => import('./measure-charts.tsx'));

/** A person's measures over time across their episodes: a chart per score, each with its numbers. */
export function PersonMeasures({ personId }: { personId: string }) {
  const measures = usePersonMeasures(personId);
  const instruments = useInstruments();
  return (
    <section aria-labelledby="person-measures-heading">
      <h2 className="nhsuk-heading-l" id="person-measures-heading">
        Outcome measures over time
      </h2>
      {(measures.isPending || instruments.isPending) && <Loading what="outcome measures" />}
      {measures.isError && <InlineProblem error={measures.error} />}
      {instruments.isError && <InlineProblem error={instruments.error} />}
      {measures.isSuccess && measures.data.items.length === 0 && <p>No measures recorded yet.</p>}
      {measures.isSuccess && instruments.isSuccess && measures.data.items.length > 0 && (
        <Suspense fallback={<Loading what="charts" />}>
          <MeasureCharts
            instruments={instruments.data.items}
            measures={measures.data.items.map((m) => ({
              ...m,
              episodeLabel: `Referral of ${formatDate(m.referralReceivedOn)}`,
            }))}
          />
        </Suspense>
      )}
    </section>
  );
}
