import { Link } from 'react-router';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { Loading, PageHeading, Tag, TwoThirds } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { type FollowUp, type OutcomeSettings, useFollowUps } from './admin-queries.ts';
import { useInstruments } from './queries.ts';

/*
 * The people to contact again: discharged, agreed at discharge to be contacted, and with a follow-up window open
 * now or opening within a month. A lead sees the PCN's; a link worker the people from their own caseload.
 */

const title = 'Follow-ups';

/** "Short-term (3 to 4 months)": the PCN's windows, as they are set now. */
function followUpLabel(timepoint: string, settings: OutcomeSettings): string {
  return timepoint === 'follow_up_short'
    ? `Short-term (${settings.shortFollowUpFromMonths} to ${settings.shortFollowUpToMonths} months)`
    : `Long-term (${settings.longFollowUpFromMonths} to ${settings.longFollowUpToMonths} months)`;
}

function Actions({ item, label }: { item: FollowUp; label: string }) {
  if (!item.open) return <>When the window opens</>;
  const episode = `/episodes/${encodeURIComponent(item.referralId)}/measures`;
  const timepoint = `timepoint=${encodeURIComponent(item.timepoint)}`;
  const whose = (
    <span className="nhsuk-u-visually-hidden">
      {' '}
      for {item.personName}, {label.toLowerCase()} follow-up
    </span>
  );
  return (
    <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
      <li>
        <Link to={`${episode}/new?${timepoint}`}>Record outcome measures{whose}</Link>
      </li>
      <li>
        <Link to={`${episode}/link?${timepoint}`}>Send a questionnaire link{whose}</Link>
      </li>
    </ul>
  );
}

export function FollowUpsPage() {
  usePageTitle(title);
  const me = useSignedIn();
  const isLead = me.acting?.roles.includes('lead_link_worker') ?? false;
  const followUps = useFollowUps();
  const instruments = useInstruments();
  const titleOf = (code: string) => instruments.data?.items.find((i) => i.code === code)?.title ?? code;
  const settings = followUps.data?.settings;
  return (
    <>
      <PageHeading caption={me.acting?.organisationName}>{title}</PageHeading>
      <TwoThirds>
        <p>
          People who agreed at discharge to be contacted later, whose follow-up is open now or opens within a
          month{isLead ? '' : ': from your own caseload'}. Record their outcome measures with them, or send
          them a questionnaire link to answer on their own.
        </p>
        {settings && (
          <p>
            The short-term follow-up is {settings.shortFollowUpFromMonths} to {settings.shortFollowUpToMonths}{' '}
            months after discharge, and the long-term one {settings.longFollowUpFromMonths} to{' '}
            {settings.longFollowUpToMonths} months.
            {isLead && (
              <>
                {' '}
                <Link to="/outcomes/settings">Change them in outcome settings</Link>.
              </>
            )}
          </p>
        )}
      </TwoThirds>
      {followUps.isPending && <Loading what="follow-ups" />}
      {followUps.isError && <InlineProblem error={followUps.error} />}
      {followUps.isSuccess && followUps.data.items.length === 0 && (
        <p>No follow-ups are open or opening within a month.</p>
      )}
      {followUps.isSuccess && followUps.data.items.length > 0 && (
        <ResponsiveTable
          caption={`${followUps.data.items.length} ${followUps.data.items.length === 1 ? 'follow-up' : 'follow-ups'} open or opening soon`}
          items={followUps.data.items}
          itemKey={(f) => `${f.referralId}-${f.timepoint}`}
          columns={[
            {
              header: 'Person',
              cell: (f) => <Link to={`/people/${encodeURIComponent(f.personId)}`}>{f.personName}</Link>,
            },
            { header: 'Discharged', cell: (f) => formatDate(f.dischargedOn), nowrap: true },
            { header: 'Follow-up', cell: (f) => followUpLabel(f.timepoint, followUps.data.settings) },
            {
              header: 'Window',
              cell: (f) => `${formatDate(f.from)} to ${formatDate(f.to)}`,
            },
            {
              header: 'Status',
              cell: (f) => (f.open ? <Tag colour="yellow">Open now</Tag> : `Opens ${formatDate(f.from)}`),
            },
            {
              header: 'Questionnaires outstanding',
              cell: (f) => f.instrumentsOutstanding.map(titleOf).join(', '),
            },
            {
              header: 'Actions',
              cell: (f) => <Actions item={f} label={followUpLabel(f.timepoint, followUps.data.settings)} />,
            },
          ]}
        />
      )}
    </>
  );
}
