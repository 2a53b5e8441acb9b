import { useParams } from 'react-router';
import type { MessageBack } from '../../../../src/modules/pathway/contract.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import {
  BackLink,
  Loading,
  PageHeading,
  SuccessBanner,
  SummaryList,
  Tag,
} from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { episodePath, PrintActions, StatusTag, useSavedMessage, Written } from './episode-parts.tsx';
import {
  dischargeReasonLabels,
  goalStatusColours,
  goalStatusLabels,
  referralStatusLabels,
} from './labels.ts';
import { messageBackTextPath, useMessageBack } from './queries.ts';

function formatNhsNumber(nhsNumber: string): string {
  return nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3');
}

function NotYetDischarged({ message }: { message: MessageBack }) {
  const text =
    message.status === 'declined_by_person'
      ? `${message.personName} declined social prescribing when the link worker first spoke with them${message.firstContactOn ? ` on ${formatDate(message.firstContactOn)}` : ''}.`
      : `${message.personName} has not been discharged yet, so this shows what has happened so far. Current status: ${referralStatusLabels[message.status].toLowerCase()}.`;
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>{text}</p>
    </div>
  );
}

function MessageBackDetails({ message }: { message: MessageBack }) {
  const me = useSignedIn();
  const saved = useSavedMessage();
  const roles = me.acting?.roles ?? [];
  const worksWithThem = roles.includes('link_worker') || roles.includes('lead_link_worker');
  usePageTitle(`Message back: ${message.personName}`);
  const referredBy = [message.referrerName, message.referringOrganisationName].filter(Boolean).join(', ');

  return (
    <div className="app-print-page">
      <div className="app-no-print">
        {worksWithThem ? (
          <BackLink to={episodePath(message.referralId)}>Back to {message.personName}</BackLink>
        ) : (
          <BackLink to="/referrals/mine">Back to your referrals</BackLink>
        )}
        {saved && (
          <SuccessBanner>
            <p className="nhsuk-notification-banner__heading">{saved}</p>
          </SuccessBanner>
        )}
      </div>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <PageHeading caption={message.personName}>Social prescribing message back</PageHeading>
          <p>
            From the social prescribing link worker service at {message.pcnName}, to the referrer and the
            person’s GP.
          </p>
          <PrintActions download={messageBackTextPath(message.referralId)} downloadLabel="Download as text" />
          {!message.discharge && <NotYetDischarged message={message} />}

          <h2 className="nhsuk-heading-m">Patient</h2>
          <SummaryList
            rows={[
              { key: 'Name', value: message.personName },
              { key: 'Date of birth', value: formatDate(message.dateOfBirth) },
              {
                key: 'NHS number',
                value: message.nhsNumber ? formatNhsNumber(message.nhsNumber) : 'Not known',
              },
            ]}
          />

          <h2 className="nhsuk-heading-m">Referral</h2>
          <SummaryList
            rows={[
              ...(message.reference
                ? [{ key: 'Reference', value: <span className="app-reference">{message.reference}</span> }]
                : []),
              { key: 'Referred on', value: formatDate(message.referredOn) },
              { key: 'Referred by', value: referredBy || 'Not recorded' },
              { key: 'Primary care network', value: message.pcnName },
              { key: 'Link worker', value: message.linkWorkerName ?? 'Not allocated' },
              { key: 'Status', value: <StatusTag status={message.status} /> },
            ]}
          />

          <h2 className="nhsuk-heading-m">Contact with the link worker</h2>
          <SummaryList
            rows={[
              {
                key: 'First contact',
                value: message.firstContactOn ? formatDate(message.firstContactOn) : 'Not yet',
              },
              { key: 'Number of contacts', value: String(message.contactsCount) },
            ]}
          />
        </div>
      </div>

      <h2 className="nhsuk-heading-m">Coded events</h2>
      {message.codedEvents.length === 0 ? (
        <p>No coded events recorded yet.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-u-visually-hidden">SNOMED CT coded events, for the GP record</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Date
              </th>
              <th className="nhsuk-table__header" scope="col">
                SNOMED CT code
              </th>
              <th className="nhsuk-table__header" scope="col">
                Description
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {message.codedEvents.map((event) => (
              <tr className="nhsuk-table__row" key={`${event.code}-${event.recordedOn}`}>
                <td className="nhsuk-table__cell app-table-nowrap">{formatDate(event.recordedOn)}</td>
                <td className="nhsuk-table__cell app-table-ids">{event.code}</td>
                <td className="nhsuk-table__cell">{event.display}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h2 className="nhsuk-heading-m">Goals</h2>
          {message.goals.length === 0 ? (
            <p>
              {message.discharge ? 'No support plan goals were agreed.' : 'No support plan goals agreed yet.'}
            </p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {message.goals.map((goal, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: goals here have no id and keep their order
                <li key={index}>
                  {goal.description}{' '}
                  {message.discharge && goal.status === 'active' ? (
                    // Still open when the person left the service: not achieved, not given up either.
                    <Tag colour="grey">Open at discharge</Tag>
                  ) : (
                    <Tag colour={goalStatusColours[goal.status]}>{goalStatusLabels[goal.status]}</Tag>
                  )}
                </li>
              ))}
            </ul>
          )}

          {message.discharge && (
            <>
              <h2 className="nhsuk-heading-m">Discharge</h2>
              <SummaryList
                rows={[
                  { key: 'Reason', value: dischargeReasonLabels[message.discharge.reason] },
                  { key: 'Date', value: formatDate(message.discharge.dischargedOn) },
                  { key: 'Support offered', value: <Written text={message.discharge.supportOffered} /> },
                  { key: 'Outcome', value: <Written text={message.discharge.outcome} /> },
                  {
                    key: 'For the GP to follow up',
                    value: message.discharge.followUpForGp ? (
                      <Written text={message.discharge.followUpForGp} />
                    ) : (
                      'Nothing'
                    ),
                  },
                ]}
              />
            </>
          )}
        </div>
      </div>
    </div>
  );
}

export function MessageBackPage() {
  const { id = '' } = useParams();
  const message = useMessageBack(id);
  if (message.isPending) return <Loading />;
  if (message.isError) return <ProblemPage error={message.error} />;
  return <MessageBackDetails message={message.data} />;
}
