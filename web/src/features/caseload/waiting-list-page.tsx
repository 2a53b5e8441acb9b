import { Link } from 'react-router';
import { formatDayOf } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Loading, PageHeading, Tag } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { urgencyLabels } from '../referrals/labels.ts';
import { referralReference, UrgencyTag } from '../referrals/referral-parts.tsx';
import { peopleCount, workingDays } from './labels.ts';
import { useWaitingList, type WaitingList, type WaitingListItem } from './queries.ts';

/** Someone awaiting triage is decided on the triage page; once accepted, their episode is where they are contacted. */
function personLink(item: WaitingListItem): string {
  const id = encodeURIComponent(item.referralId);
  return item.status === 'awaiting_triage' ? `/triage/${id}` : `/episodes/${id}`;
}

function status(item: WaitingListItem): string {
  if (item.status === 'awaiting_triage') return 'Awaiting triage';
  return item.linkWorkerName ? `Allocated to ${item.linkWorkerName}` : 'Accepted, not yet allocated';
}

/** "12 people waiting, 3 over target". */
function counts(items: WaitingListItem[]): string {
  const over = items.filter((item) => item.overTarget).length;
  return `${peopleCount(items.length)} waiting, ${over === 0 ? 'none' : over} over target`;
}

function WaitingTable({ waiting }: { waiting: WaitingList }) {
  return (
    <ResponsiveTable
      caption={counts(waiting.items)}
      items={waiting.items}
      itemKey={(item) => item.referralId}
      columns={[
        {
          header: 'Person',
          cell: (item) => <Link to={personLink(item)}>{item.personName}</Link>,
        },
        {
          header: 'Reference',
          nowrap: true,
          cell: (item) => (
            <span className="app-reference">
              {referralReference({ id: item.referralId, reference: item.reference })}
            </span>
          ),
        },
        { header: 'Status', cell: (item) => status(item) },
        {
          header: 'Urgency',
          nowrap: true,
          cell: (item) =>
            item.urgency === 'urgent' ? <UrgencyTag urgency={item.urgency} /> : urgencyLabels[item.urgency],
        },
        { header: 'Received', cell: (item) => formatDayOf(item.receivedAt) },
        {
          header: 'Working days waiting',
          cell: (item) => (
            <>
              {item.workingDaysWaiting}
              {item.overTarget && (
                <span className="nhsuk-u-display-block nhsuk-u-margin-top-1">
                  <Tag colour="red">Over target</Tag>
                </span>
              )}
            </>
          ),
        },
        {
          header: 'Failed attempts',
          cell: (item) => (item.failedAttempts === 0 ? 'None' : item.failedAttempts),
        },
      ]}
    />
  );
}

export function WaitingListPage() {
  const waiting = useWaitingList();
  usePageTitle('Waiting list');
  if (waiting.isPending) return <Loading what="the waiting list" />;
  if (waiting.isError) return <ProblemPage error={waiting.error} />;
  const target = waiting.data.settings.firstContactTargetWorkingDays;

  return (
    <>
      <PageHeading>Waiting list</PageHeading>
      <p>Everyone referred to the PCN who has not had a first contact yet, longest wait first.</p>
      <p>
        Target: first contact within {workingDays(target)}.{' '}
        <Link to="/pathway-settings">Change the target</Link>
      </p>
      {waiting.data.items.length === 0 ? (
        <p>
          No one is waiting. There are no referrals to triage and everyone accepted has had a first contact.
        </p>
      ) : (
        <WaitingTable waiting={waiting.data} />
      )}
    </>
  );
}
