import { Link } from 'react-router';
import { formatDate, formatDayOf } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { ButtonLink, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { reasonLabeller, useMyReferrals, useNeedsDomains } from './queries.ts';
import { ReasonList, referralReference, StatusTag, UrgencyTag } from './referral-parts.tsx';

export function MyReferralsPage() {
  const referrals = useMyReferrals();
  const needsDomains = useNeedsDomains();
  usePageTitle('Your referrals');
  if (referrals.isPending || needsDomains.isPending) return <Loading what="your referrals" />;
  if (referrals.isError) return <ProblemPage error={referrals.error} />;
  const labelFor = reasonLabeller(needsDomains.data);

  return (
    <>
      <PageHeading>Your referrals</PageHeading>
      <p>The people you have referred to social prescribing, newest first, and what has happened since.</p>
      <ButtonLink to="/referrals/new">Refer someone</ButtonLink>
      {referrals.data.length === 0 ? (
        <p>
          You have not referred anyone yet. <Link to="/referrals/new">Refer someone</Link> to see them here.
        </p>
      ) : (
        <ResponsiveTable
          caption={referrals.data.length === 1 ? '1 referral' : `${referrals.data.length} referrals`}
          items={referrals.data}
          itemKey={(referral) => referral.id}
          columns={[
            {
              header: 'Person',
              cell: (referral) => (
                <>
                  {referral.personName}
                  <span className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                    Reference {referralReference(referral)}
                  </span>
                </>
              ),
            },
            {
              header: 'Date of birth',
              nowrap: true,
              cell: (referral) => formatDate(referral.personDateOfBirth),
            },
            { header: 'Referred on', nowrap: true, cell: (referral) => formatDayOf(referral.receivedAt) },
            {
              header: 'Reasons',
              cell: (referral) => <ReasonList reasons={referral.reasons} labelFor={labelFor} />,
            },
            {
              header: 'Urgency',
              nowrap: true,
              cell: (referral) => <UrgencyTag urgency={referral.urgency} />,
            },
            { header: 'Status', nowrap: true, cell: (referral) => <StatusTag status={referral.status} /> },
            {
              header: 'Message back',
              hiddenHeader: true,
              cell: (referral) => (
                <Link to={`/referrals/${referral.id}/message-back`}>
                  {referral.status === 'discharged' || referral.status === 'declined_by_person'
                    ? 'View message back'
                    : 'View status'}
                  <span className="nhsuk-u-visually-hidden"> for {referral.personName}</span>
                </Link>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
