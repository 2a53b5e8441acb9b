import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  declineReasons,
  type Referral,
  type TriageInput,
  triageBody,
} from '../../../../src/modules/referrals/contract.ts';
import { api, type FieldProblem, isProblem } from '../../app/api.ts';
import { formatDate, formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import {
  BackLink,
  Loading,
  PageHeading,
  SummaryList,
  type SummaryRow,
  TwoThirds,
} from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { caseloadSize } from '../caseload/labels.ts';
import { useCaseloads } from '../caseload/queries.ts';
import { type LinkWorkerSummary, useLinkWorkers } from '../link-workers/queries.ts';
import { declineReasonLabels, sexLabels, statusLabels } from './labels.ts';
import { reasonLabeller, referralsKey, triageKey, useNeedsDomains, useReferral } from './queries.ts';
import { daysLabel, ReasonList, StatusTag, UrgencyTag } from './referral-parts.tsx';

type Decision = TriageInput['decision'];

const decisionLabels: Record<Decision, string> = {
  accept: 'Accept and allocate to a link worker',
  decline: 'Decline',
  signpost: 'Signpost elsewhere',
};

/** Each decision has its own note field; the API calls them all `note`. */
const noteField = (decision: Decision) => `${decision}Note`;

function readBody(form: FormData, version: number) {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const decision = text('decision') as Decision | '';
  if (!decision) {
    return {
      body: null,
      problems: [{ field: 'decision', message: 'Choose what you want to do with this referral' }],
    };
  }
  const note = text(noteField(decision));
  const body =
    decision === 'accept'
      ? { decision, version, linkWorkerId: text('linkWorkerId'), note: note || null }
      : decision === 'decline'
        ? { decision, version, reason: text('reason') || undefined, note: note || null }
        : { decision, version, note };
  return { body, problems: renameNote(check(triageBody, body), decision) };
}

function renameNote(problems: FieldProblem[], decision: Decision): FieldProblem[] {
  return problems.map((problem) =>
    problem.field === 'note' ? { ...problem, field: noteField(decision) } : problem,
  );
}

function outcomeMessage(referral: Referral, linkWorkers: LinkWorkerSummary[]): string {
  switch (referral.status) {
    case 'accepted': {
      const linkWorker = linkWorkers.find((item) => item.id === referral.allocatedLinkWorkerId);
      return `${referral.personName} accepted and allocated to ${linkWorker?.name ?? 'a link worker'}`;
    }
    case 'declined':
      return `${referral.personName}’s referral declined`;
    case 'signposted':
      return `${referral.personName} signposted elsewhere`;
    default:
      return `${referral.personName}’s referral saved`;
  }
}

function referralRows(referral: Referral, labelFor: (code: string) => string): SummaryRow[] {
  return [
    { key: 'Person', value: referral.personName },
    { key: 'Date of birth', value: formatDate(referral.personDateOfBirth) },
    { key: 'Sex', value: sexLabels[referral.personSex] },
    ...(referral.contact.nhsNumber
      ? [
          {
            key: 'NHS number',
            value: referral.contact.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3'),
          },
        ]
      : []),
    {
      key: 'Contact',
      value:
        [referral.contact.phone, referral.contact.email, referral.contact.postcode]
          .filter(Boolean)
          .join(', ') || 'No contact details given',
    },
    ...(referral.contact.interpreterLanguage
      ? [{ key: 'Interpreter', value: referral.contact.interpreterLanguage }]
      : []),
    ...(referral.contact.accessibilityNeeds
      ? [{ key: 'Accessibility needs', value: referral.contact.accessibilityNeeds }]
      : []),
    { key: 'Reasons', value: <ReasonList reasons={referral.reasons} labelFor={labelFor} /> },
    { key: 'Anything else', value: referral.context || 'Nothing added' },
    { key: 'Urgency', value: <UrgencyTag urgency={referral.urgency} /> },
    { key: 'Received', value: formatDateTime(referral.receivedAt) },
    ...(referral.status === 'awaiting_triage'
      ? [{ key: 'Waiting', value: daysLabel(referral.daysWaiting) }]
      : []),
  ];
}

function Outcome({ referral, linkWorkers }: { referral: Referral; linkWorkers: LinkWorkerSummary[] }) {
  const allocated = linkWorkers.find((item) => item.id === referral.allocatedLinkWorkerId);
  const rows: SummaryRow[] = [{ key: 'Decision', value: <StatusTag status={referral.status} /> }];
  if (referral.allocatedLinkWorkerId) {
    rows.push({
      key: 'Allocated to',
      value: referral.allocatedLinkWorkerName ?? allocated?.name ?? 'A link worker',
    });
  }
  if (referral.triagedAt) {
    rows.push({ key: 'Decided', value: formatDateTime(referral.triagedAt) });
  }
  if (referral.declineReason) {
    rows.push({ key: 'Reason', value: declineReasonLabels[referral.declineReason] });
  }
  if (referral.triageNote) rows.push({ key: 'Note', value: referral.triageNote });
  return (
    <>
      <h2 className="nhsuk-heading-m">This referral has been triaged</h2>
      <p>It was {statusLabels[referral.status].toLowerCase()}, so there is nothing more to decide here.</p>
      <SummaryList rows={rows} />
    </>
  );
}

function TriageReferral({
  referral,
  labelFor,
  linkWorkers,
}: {
  referral: Referral;
  labelFor: (code: string) => string;
  linkWorkers: LinkWorkerSummary[];
}) {
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const errors = useFormErrors();
  usePageTitle('Triage a referral', errors.hasErrors);

  const allocatable = linkWorkers.filter(
    (linkWorker) => linkWorker.active && linkWorker.pcns.some((pcn) => pcn.id === me.acting?.organisationId),
  );
  // Each link worker's current caseload, to balance the work; names alone until it loads.
  const caseloads = useCaseloads();
  const withCaseload = (linkWorker: LinkWorkerSummary) => {
    const row = caseloads.data?.linkWorkers.find((item) => item.id === linkWorker.id);
    return row ? `${linkWorker.name} — ${caseloadSize(row)}` : linkWorker.name;
  };

  const triage = useMutation({
    mutationFn: (body: TriageInput) =>
      api.post<Referral>(`/api/referrals/${encodeURIComponent(referral.id)}/triage`, body),
    onSuccess: (updated) => {
      queryClient.setQueryData([...referralsKey, referral.id], updated);
      void queryClient.invalidateQueries({ queryKey: triageKey });
      navigate('/triage', { state: { saved: outcomeMessage(updated, linkWorkers) } });
    },
    onError: (error, body) => {
      // Someone else triaged it, or changed it: show it as it is now.
      if (isProblem(error, 409)) {
        void queryClient.invalidateQueries({ queryKey: [...referralsKey, referral.id] });
        void queryClient.invalidateQueries({ queryKey: triageKey });
      }
      if (isProblem(error) && error.errors.length > 0) errors.show(renameNote(error.errors, body.decision));
      else errors.showError(error);
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (triage.isPending) return;
    const { body, problems } = readBody(new FormData(event.currentTarget), referral.version);
    if (problems.length > 0 || !body) return errors.show(problems);
    errors.clear();
    triage.mutate(body as TriageInput);
  };

  return (
    <TwoThirds>
      <BackLink to="/triage">Back to triage</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={referral.personName}>Triage a referral</PageHeading>
      <SummaryList rows={referralRows(referral, labelFor)} />
      {referral.otherEpisodes.length > 0 && (
        <>
          <h2 className="nhsuk-heading-m">Earlier referrals of this person</h2>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {referral.otherEpisodes.map((episode) => (
              <li key={episode.id}>
                {formatDate(episode.receivedAt)}: {statusLabels[episode.status]}
                {episode.reference ? ` (${episode.reference})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {referral.status !== 'awaiting_triage' ? (
        <Outcome referral={referral} linkWorkers={linkWorkers} />
      ) : referral.possibleDuplicates.length > 0 ? (
        <PossibleMatch referral={referral} />
      ) : (
        <form onSubmit={submit} noValidate key={referral.version}>
          <Radios
            id="decision"
            legend="What do you want to do?"
            legendSize="m"
            error={errors.messageFor('decision')}
            items={[
              {
                value: 'accept',
                label: decisionLabels.accept,
                conditional: (
                  <>
                    {allocatable.length === 0 ? (
                      <p>There are no active link workers in this PCN to allocate to.</p>
                    ) : (
                      <Select
                        id="linkWorkerId"
                        label="Allocate to link worker"
                        placeholder="Choose a link worker"
                        options={allocatable.map((item) => ({ value: item.id, label: withCaseload(item) }))}
                        error={errors.messageFor('linkWorkerId')}
                      />
                    )}
                    <Textarea
                      id={noteField('accept')}
                      label="Note for the link worker (optional)"
                      rows={3}
                      error={errors.messageFor(noteField('accept'))}
                    />
                  </>
                ),
              },
              {
                value: 'decline',
                label: decisionLabels.decline,
                conditional: (
                  <>
                    <Radios
                      id="reason"
                      legend="Why are you declining it?"
                      items={choicesFrom(declineReasons, declineReasonLabels)}
                      error={errors.messageFor('reason')}
                    />
                    <Textarea
                      id={noteField('decline')}
                      label="Note (optional)"
                      hint="The referrer does not see this note"
                      rows={3}
                      error={errors.messageFor(noteField('decline'))}
                    />
                  </>
                ),
              },
              {
                value: 'signpost',
                label: decisionLabels.signpost,
                hint: 'They are better helped by another service, without a link worker',
                conditional: (
                  <Textarea
                    id={noteField('signpost')}
                    label="Where did you signpost them?"
                    rows={3}
                    error={errors.messageFor(noteField('signpost'))}
                  />
                ),
              },
            ]}
          />
          <button className="nhsuk-button" type="submit">
            Save decision
          </button>
        </form>
      )}
    </TwoThirds>
  );
}

/** "Is this someone we already know?": answered before triage, never merged silently. */
function PossibleMatch({ referral }: { referral: Referral }) {
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const decide = useMutation({
    mutationFn: (samePersonId: string | null) =>
      api.post<Referral>(`/api/referrals/${encodeURIComponent(referral.id)}/duplicate-decision`, {
        version: referral.version,
        samePersonId,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: referralsKey });
      await queryClient.invalidateQueries({ queryKey: triageKey });
    },
    onError: (error) => errors.showError(error),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (decide.isPending) return;
    const choice = String(new FormData(event.currentTarget).get('samePersonId') ?? '');
    if (!choice)
      return errors.show([{ field: 'samePersonId', message: 'Say whether this is someone already known' }]);
    errors.clear();
    decide.mutate(choice === 'someone-else' ? null : choice);
  };
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <Radios
        id="samePersonId"
        legend="Is this someone the service already knows?"
        legendSize="m"
        hint="A person with a similar name and the same date of birth is already recorded. Check before you triage."
        error={errors.messageFor('samePersonId')}
        items={[
          ...referral.possibleDuplicates.map((match) => ({
            value: match.personId,
            label: `Yes, this is ${match.name}`,
            hint: [
              `Born ${formatDate(match.dateOfBirth)}`,
              match.postcode ? `postcode ${match.postcode}` : 'no postcode',
              match.nhsNumber ? `NHS number ${match.nhsNumber}` : null,
              `${match.episodes} referral${match.episodes === 1 ? '' : 's'} before`,
            ]
              .filter(Boolean)
              .join(', '),
          })),
          { value: 'someone-else', label: 'No, this is someone else' },
        ]}
      />
      <button className="nhsuk-button" type="submit">
        Save and continue to triage
      </button>
    </form>
  );
}

export function TriageReferralPage() {
  const { id = '' } = useParams();
  const referral = useReferral(id);
  const needsDomains = useNeedsDomains();
  const linkWorkers = useLinkWorkers();
  if (referral.isPending || needsDomains.isPending || linkWorkers.isPending) return <Loading />;
  if (referral.isError) return <ProblemPage error={referral.error} />;
  if (linkWorkers.isError) return <ProblemPage error={linkWorkers.error} />;
  return (
    <TriageReferral
      referral={referral.data}
      labelFor={reasonLabeller(needsDomains.data)}
      linkWorkers={linkWorkers.data}
    />
  );
}
