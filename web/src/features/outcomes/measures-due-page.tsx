import { Link } from 'react-router';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { Loading, PageHeading, Tag } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { dueStatusColours, dueStatusLabels, timepointLabels } from './labels.ts';
import { useCaseloadDue, useInstruments } from './queries.ts';

/** The measures the link worker's caseload calls for today: overdue first, then by the window's end. */
export function MeasuresDuePage() {
  const title = 'Outcome measures due';
  usePageTitle(title);
  const due = useCaseloadDue();
  const instruments = useInstruments();
  const titleOf = (code: string) => instruments.data?.items.find((i) => i.code === code)?.title ?? code;
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p>
        Baselines are due before the first “what matters” conversation, discharge measures around the
        discharge, and follow-ups in their window after discharge for people who agreed to be contacted. A
        missed window stays here for four weeks after it closes; the episode keeps it as overdue.
      </p>
      <p>
        <Link to="/outcomes/follow-ups">Follow-ups open or opening soon</Link> lists everyone discharged who
        agreed to be contacted again, with their windows.
      </p>
      {due.isPending && <Loading what="measures due" />}
      {due.isError && <InlineProblem error={due.error} />}
      {due.isSuccess && due.data.items.length === 0 && <p>No measures are due on your caseload today.</p>}
      {due.isSuccess && due.data.items.length > 0 && (
        <ResponsiveTable
          caption={`${due.data.items.length} due`}
          items={due.data.items}
          itemKey={(d) => `${d.referralId}-${d.timepoint}`}
          columns={[
            {
              header: 'Person',
              cell: (d) => <Link to={`/episodes/${d.referralId}`}>{d.personName}</Link>,
            },
            { header: 'Measure', cell: (d) => timepointLabels[d.timepoint] ?? d.timepoint },
            { header: 'Questionnaires', cell: (d) => d.instrumentsOutstanding.map(titleOf).join(', ') },
            {
              header: 'Window',
              cell: (d) =>
                d.to ? `${formatDate(d.from)} to ${formatDate(d.to)}` : `From ${formatDate(d.from)}`,
            },
            {
              header: 'Status',
              cell: (d) => <Tag colour={dueStatusColours[d.status]}>{dueStatusLabels[d.status]}</Tag>,
            },
          ]}
        />
      )}
    </>
  );
}
