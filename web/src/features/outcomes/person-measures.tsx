import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../app/format.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { Loading, Tag } from '../../components/page-parts.tsx';
import { dueStatusColours, dueStatusLabels, timepointLabels } from './labels.ts';
import { useEpisodeDue, useInstruments, usePersonMeasures } from './queries.ts';

// The charting library loads only with the charts, never with the rest of the app.
const MeasureCharts = lazy(() => import('./measure-charts.tsx'));

/** What the person's latest episode calls for now: due and overdue measures, each linked to record it. */
function PersonDue({ referralId }: { referralId: string }) {
  const due = useEpisodeDue(referralId);
  const instruments = useInstruments();
  // A link worker not allocated to that episode cannot read it: the episode's own page says more.
  if (!due.isSuccess) return null;
  const open = due.data.items.filter((d) => d.status === 'due' || d.status === 'overdue');
  if (open.length === 0) return <p>No measures are due now.</p>;
  const titleOf = (code: string) => instruments.data?.items.find((i) => i.code === code)?.title ?? code;
  return (
    <ul className="nhsuk-list">
      {open.map((d) => (
        <li key={`${d.timepoint}-${d.instrumentCode}`}>
          <Tag colour={dueStatusColours[d.status]}>{dueStatusLabels[d.status]}</Tag>{' '}
          <Link to={`/episodes/${referralId}/measures/new?timepoint=${d.timepoint}`}>
            {timepointLabels[d.timepoint] ?? d.timepoint}: {titleOf(d.instrumentCode)}
          </Link>
          {d.to ? ` (by ${formatDate(d.to)})` : ''}
        </li>
      ))}
    </ul>
  );
}

/**
 * A person's measures: what their latest episode calls for now, and their measures over time across their
 * episodes, a chart per score, each with its numbers.
 */
export function PersonMeasures({
  personId,
  latestReferralId,
}: {
  personId: string;
  latestReferralId?: string;
}) {
  const measures = usePersonMeasures(personId);
  const instruments = useInstruments();
  return (
    <>
      {latestReferralId && (
        <section aria-labelledby="person-due-heading">
          <h2 className="nhsuk-heading-l" id="person-due-heading">
            Outcome measures due
          </h2>
          <PersonDue referralId={latestReferralId} />
        </section>
      )}
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
    </>
  );
}
