import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { formatDate, formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Loading, PageHeading, SuccessBanner } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { useOrganisations } from '../organisations/queries.ts';
import { reasonLabeller, useNeedsDomains, useTriageQueue } from './queries.ts';
import { ReasonList, UrgencyTag, WaitingTime } from './referral-parts.tsx';

/** The PCN's public page where people refer themselves, to share on posters, leaflets and websites. */
function SelfReferralLink() {
  const me = useSignedIn();
  const organisations = useOrganisations();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const odsCode = organisations.data?.find((item) => item.id === me.acting?.organisationId)?.odsCode;
  if (!organisations.isSuccess) return null;
  const url = odsCode ? `${window.location.origin}/self-refer/${encodeURIComponent(odsCode)}` : null;

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      const input = document.getElementById('self-referral-url');
      if (input instanceof HTMLInputElement) input.select();
      setCopied('failed');
    }
  };

  return (
    <>
      <h2 className="nhsuk-heading-m">Self-referral link</h2>
      {!url ? (
        <p>
          This PCN has no ODS code, so it has no self-referral page. Ask an administrator to add the code.
        </p>
      ) : (
        <>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="self-referral-url">
              Link for people to refer themselves
            </label>
            <div className="nhsuk-hint" id="self-referral-url-hint">
              Share it on posters, leaflets and the practices’ websites. Their referrals arrive here.
            </div>
            <input
              className="nhsuk-input app-copy-link"
              id="self-referral-url"
              type="text"
              readOnly
              value={url}
              aria-describedby="self-referral-url-hint"
              onFocus={(event) => event.currentTarget.select()}
            />
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={copy}>
            Copy link
          </button>
          <p aria-live="polite">
            {copied === 'yes' && 'The link has been copied.'}
            {copied === 'failed' &&
              'The link could not be copied automatically. It is selected: copy it yourself.'}
          </p>
        </>
      )}
    </>
  );
}

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
                  {referral.possibleMatches > 0 && (
                    <strong className="nhsuk-tag nhsuk-tag--orange">Possible match to check</strong>
                  )}
                  {referral.earlierEpisodes > 0 && (
                    <span className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                      Referred before ({referral.earlierEpisodes}{' '}
                      {referral.earlierEpisodes === 1 ? 'earlier referral' : 'earlier referrals'})
                    </span>
                  )}
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
      <SelfReferralLink />
    </>
  );
}
