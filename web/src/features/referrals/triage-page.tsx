import { Link, useLocation } from 'react-router';
import { formatDate, formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Loading, PageHeading, SuccessBanner } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { reasonLabeller, useNeedsDomains, useTriageQueue } from './queries.ts';
import { ReasonList, UrgencyTag, WaitingTime } from './referral-parts.tsx';

export function TriagePage() {
  const queue = useTriageQueue();
  const needsDomains = useNeedsDomains();
  const location = useLocation();
  const saved = (location.state as { saved?: string } | null)?.saved;
  usePageTitle('Triage');
  if (queue.isPending || needsDomains.isPending) return <Loading what="referrals to triage" />;
  if (queue.isError) return <ProblemPage error={queue.error} />;
  const labelFor = reasonLabeller(needsDomains.data);
  const count = queue.data.length;

  return (
    <>
      {saved && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{saved}</p>
        </SuccessBanner>
      )}
      <PageHeading>Triage</PageHeading>
      <p>Referrals waiting for a decision, urgent ones first, then the longest waiting.</p>
      {count === 0 ? (
        <p>There are no referrals waiting for triage.</p>
      ) : (
        <ResponsiveTable
          caption={count === 1 ? '1 referral waiting' : `${count} referrals waiting`}
          items={queue.data}
          itemKey={(referral) => referral.id}
          columns={[
            {
              header: 'Person',
              cell: (referral) => (
                <>
                  {referral.personName}
                  <span className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                    Born {formatDate(referral.personDateOfBirth)}
                  </span>
                </>
              ),
            },
            {
              header: 'Waiting',
              nowrap: true,
              cell: (referral) => <WaitingTime days={referral.daysWaiting} />,
            },
            {
              header: 'Urgency',
              nowrap: true,
              cell: (referral) => <UrgencyTag urgency={referral.urgency} />,
            },
            {
              header: 'Reasons',
              cell: (referral) => <ReasonList reasons={referral.reasons} labelFor={labelFor} />,
            },
            { header: 'Received', cell: (referral) => formatDateTime(referral.receivedAt) },
            {
              header: 'Action',
              hiddenHeader: true,
              cell: (referral) => (
                <Link to={`/triage/${referral.id}`}>
                  Triage<span className="nhsuk-u-visually-hidden"> {referral.personName}</span>
                </Link>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
