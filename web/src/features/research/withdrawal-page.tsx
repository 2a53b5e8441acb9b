import type { FormEvent } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import {
  withdrawalChoiceLabels,
  withdrawalChoices,
  withdrawalInput,
} from '../../../../src/modules/research/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import { formatDate, todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { withdrawalChoiceTitles } from './labels.ts';
import { showProblem, WarningCallout } from './research-parts.tsx';
import { type Participant, researchPaths, useParticipant, useWithdraw } from './research-queries.ts';

function WithdrawalForm({ participant, studyId }: { participant: Participant; studyId: string | null }) {
  const navigate = useNavigate();
  const withdraw = useWithdraw(participant.id);
  const errors = useFormErrors({ anchors: { withdrawnOn: 'withdrawnOn-day' } });
  const title = 'Record a withdrawal';
  usePageTitle(`${title} – ${participant.studyCode}`, errors.hasErrors);
  const back = researchPaths.participant(participant.id, studyId);

  if (participant.withdrawnOn) {
    return (
      <TwoThirds>
        <BackLink to={back}>Back to {participant.studyCode}</BackLink>
        <PageHeading caption={participant.studyCode}>{title}</PageHeading>
        <p>
          {participant.studyCode} already withdrew on {formatDate(participant.withdrawnOn)}.
        </p>
      </TwoThirds>
    );
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (withdraw.isPending) return;
    const form = new FormData(event.currentTarget);
    const withdrawnOn = readDate(form, 'withdrawnOn', 'The date they withdrew');
    const reason = String(form.get('reason') ?? '').trim();
    const body = {
      withdrawnOn: withdrawnOn.kind === 'date' ? withdrawnOn.value : '',
      choice: String(form.get('choice') ?? '') || undefined,
      ...(reason ? { reason } : {}),
    };
    const problems: FieldProblem[] = check(withdrawalInput, body, {
      choice: 'Choose what happens to the data already collected',
    }).filter((p) => p.field !== 'withdrawnOn');
    if (withdrawnOn.kind !== 'date') {
      problems.push({
        field: 'withdrawnOn',
        message: withdrawnOn.kind === 'invalid' ? withdrawnOn.message : 'Enter the date they withdrew',
      });
    }
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    withdraw.mutate(
      { ...body, version: participant.version },
      {
        onSuccess: () => navigate(back, { replace: true }),
        onError: (error) => showProblem(errors, error),
      },
    );
  };

  return (
    <TwoThirds>
      <BackLink to={back}>Back to {participant.studyCode}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={participant.studyCode}>{title}</PageHeading>
      <p>
        Nothing more is collected from {participant.studyCode} once their withdrawal is recorded: their
        planned interviews are cancelled and no more consent or interviews can be recorded.
      </p>
      <WarningCallout heading="Removing their data cannot be undone">
        <p>
          If they ask for their data to be removed, who they are (their contact details and any link to their
          social prescribing record) is deleted at once, and their recordings, transcripts and codings are
          removed from the study. Their study ID stays, marked as withdrawn, so the study’s numbers still add
          up.
        </p>
      </WarningCallout>
      <form onSubmit={submit} noValidate>
        <DateInput
          id="withdrawnOn"
          legend="Date they withdrew"
          hint="For example, 15 3 2026"
          defaultValue={todayInEngland()}
          error={errors.messageFor('withdrawnOn')}
        />
        <Radios
          id="choice"
          legend="What happens to the data already collected?"
          legendSize="m"
          hint="As they chose"
          items={withdrawalChoices.map((c) => ({
            value: c,
            label: withdrawalChoiceTitles[c],
            hint: withdrawalChoiceLabels[c],
          }))}
          error={errors.messageFor('choice')}
        />
        <Textarea
          id="reason"
          label="Reason (optional)"
          hint="Only if they gave one. They do not have to."
          rows={3}
          error={errors.messageFor('reason')}
        />
        <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={withdraw.isPending}>
          {withdraw.isPending ? 'Recording…' : 'Record withdrawal'}
        </button>
      </form>
    </TwoThirds>
  );
}

export function WithdrawalPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const participant = useParticipant(id);
  if (participant.isPending) return <Loading />;
  if (participant.isError) return <ProblemPage error={participant.error} />;
  return <WithdrawalForm participant={participant.data} studyId={params.get('study')} />;
}
