import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { formatDayOf } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import {
  BackLink,
  Loading,
  PageHeading,
  SuccessBanner,
  SummaryList,
  type SummaryRow,
} from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { PersonMeasures } from '../outcomes/person-measures.tsx';
import { contactMethodLabels } from '../referrals/labels.ts';
import { referralReference, StatusTag } from '../referrals/referral-parts.tsx';
import { dateOfBirthWithAge } from './caseload-parts.tsx';
import { formatNhsNumber } from './labels.ts';
import { OpenFlags, PastFlags, RaiseFlag } from './person-flags.tsx';
import { PersonTimeline } from './person-timeline.tsx';
import { type PersonRecord, usePerson } from './queries.ts';

const notRecorded = 'Not recorded';

function Lines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of one address can repeat
        <span className="nhsuk-u-display-block" key={index}>
          {line}
        </span>
      ))}
    </>
  );
}

function preferredContact(person: PersonRecord): string {
  const method = person.preferredContactMethod
    ? (contactMethodLabels[person.preferredContactMethod as keyof typeof contactMethodLabels] ??
      person.preferredContactMethod)
    : null;
  const times = person.preferredContactTimes;
  if (method && times) return `${method}, ${times}`;
  return method ?? times ?? 'No preference recorded';
}

function communicationNeeds(person: PersonRecord): string[] {
  const needs = [
    person.interpreterLanguage ? `Interpreter: ${person.interpreterLanguage}` : null,
    person.accessibilityNeeds,
  ].filter((need): need is string => Boolean(need));
  return needs.length > 0 ? needs : ['None recorded'];
}

function detailRows(person: PersonRecord): SummaryRow[] {
  return [
    { key: 'Name', value: person.name },
    { key: 'NHS number', value: person.nhsNumber ? formatNhsNumber(person.nhsNumber) : notRecorded },
    { key: 'Date of birth', value: dateOfBirthWithAge(person.dateOfBirth) },
    {
      key: 'Address',
      value: person.addressLines.length > 0 ? <Lines lines={person.addressLines} /> : notRecorded,
    },
    { key: 'Postcode', value: person.postcode ?? notRecorded },
    {
      key: 'Index of Multiple Deprivation',
      value: person.imdDecile === null ? 'Not known' : `IMD decile ${person.imdDecile} (1 = most deprived)`,
    },
    { key: 'Phone', value: person.phone ?? notRecorded },
    { key: 'Email', value: person.email ?? notRecorded },
    { key: 'Preferred contact', value: preferredContact(person) },
    { key: 'Communication needs', value: <Lines lines={communicationNeeds(person)} /> },
    { key: 'Registered practice', value: person.registeredPracticeName ?? notRecorded },
    {
      key: 'Consent to share',
      value: person.consentToShareWithServices
        ? 'Yes, with the services they are connected to'
        : 'No, do not share their details with other services',
    },
  ];
}

function Person({ person }: { person: PersonRecord }) {
  const me = useSignedIn();
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(person.name);
  const canResolve = me.acting?.roles.includes('lead_link_worker') ?? false;
  const openFlags = person.flags.filter((flag) => flag.resolvedAt === null);
  // The directory search starts from the open episode's needs and the person's postcode.
  const openEpisode = person.episodes.find((episode) => episode.status === 'accepted');
  const pastFlags = person.flags.filter((flag) => flag.resolvedAt !== null);

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink to="/caseload">Back to caseload</BackLink>
        {notice && (
          <SuccessBanner>
            <p className="nhsuk-notification-banner__heading">{notice}</p>
          </SuccessBanner>
        )}
        <PageHeading caption="Person">{person.name}</PageHeading>
        <OpenFlags flags={openFlags} canResolve={canResolve} pageTitle={person.name} onResolved={setNotice} />
        <RaiseFlag personId={person.id} pageTitle={person.name} onRaised={setNotice} />
        <PastFlags flags={pastFlags} />

        <h2 className="nhsuk-heading-m">Details</h2>
        <SummaryList rows={detailRows(person)} />

        {person.episodes.length === 0 ? (
          <p>There are no referrals for this person.</p>
        ) : (
          <ResponsiveTable
            caption="Referrals and episodes"
            items={person.episodes}
            itemKey={(episode) => episode.referralId}
            columns={[
              {
                header: 'Reference',
                nowrap: true,
                cell: (episode) => (
                  <Link className="app-reference" to={`/episodes/${encodeURIComponent(episode.referralId)}`}>
                    {referralReference({ id: episode.referralId, reference: episode.reference })}
                  </Link>
                ),
              },
              { header: 'Received', cell: (episode) => formatDayOf(episode.receivedAt) },
              { header: 'Status', cell: (episode) => <StatusTag status={episode.status} /> },
              { header: 'Link worker', cell: (episode) => episode.linkWorkerName ?? 'Not allocated' },
            ]}
          />
        )}

        {openEpisode && (
          <p>
            <Link
              className="nhsuk-button nhsuk-button--secondary"
              to={`/directory?referral=${encodeURIComponent(openEpisode.referralId)}`}
            >
              Find a service for {person.name}
            </Link>
          </p>
        )}

        <PersonMeasures
          personId={person.id}
          latestReferralId={
            person.episodes.find((e) => e.status === 'accepted' || e.status === 'discharged')?.referralId
          }
        />
        <PersonTimeline person={person} />
      </div>
    </div>
  );
}

export function PersonPage() {
  const { id = '' } = useParams();
  const person = usePerson(id);
  if (person.isPending) return <Loading what="the person’s record" />;
  if (person.isError) return <ProblemPage error={person.error} />;
  return <Person person={person.data} key={person.data.id} />;
}
