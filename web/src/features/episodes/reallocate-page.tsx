import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { type Episode, reallocateBody } from '../../../../src/modules/pathway/contract.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { type CaseloadSummaryRow, useCaseloads } from '../caseload/queries.ts';
import { episodePath, isStale, WithOpenEpisode } from './episode-parts.tsx';
import { textOf } from './form-values.ts';
import { useReallocate, useReloadEpisode } from './queries.ts';

const title = 'Reallocate to another link worker';

type TeamMember = CaseloadSummaryRow;

function caseloadHint(member: TeamMember): string {
  const parts = [
    `${member.active} open`,
    `${member.awaitingFirstContact} awaiting first contact`,
    ...(member.overTarget > 0 ? [`${member.overTarget} over target`] : []),
    ...(member.flagged > 0 ? [`${member.flagged} flagged`] : []),
  ];
  return `Caseload: ${parts.join(', ')}`;
}

function ReallocateForm({ episode, team }: { episode: Episode; team: TeamMember[] }) {
  const navigate = useNavigate();
  const errors = useFormErrors();
  const reallocate = useReallocate(episode.referralId);
  const reload = useReloadEpisode(episode.referralId);
  const [stale, setStale] = useState(false);
  usePageTitle(title, errors.hasErrors);
  const others = team.filter((member) => member.id !== episode.linkWorkerId);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reallocate.isPending) return;
    const form = new FormData(event.currentTarget);
    const body = {
      version: episode.version,
      linkWorkerId: textOf(form, 'linkWorkerId'),
      reason: textOf(form, 'reason'),
    };
    const problems = check(reallocateBody, body, { linkWorkerId: 'Choose the link worker to allocate' });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    setStale(false);
    reallocate.mutate(body, {
      onSuccess: () => {
        const to = others.find((member) => member.id === body.linkWorkerId)?.name ?? 'another link worker';
        navigate(episodePath(episode.referralId), {
          state: { saved: `${episode.personName} has been reallocated to ${to}.` },
        });
      },
      onError: (error) => {
        if (isStale(error)) {
          setStale(true);
          errors.show([
            {
              field: '',
              message: 'Someone else changed this episode. Reload it, then choose again.',
            },
          ]);
        } else errors.showError(error);
      },
    });
  };

  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {stale && (
        <p>
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            onClick={async () => {
              errors.clear();
              setStale(false);
              await reload();
            }}
          >
            Reload the episode
          </button>
        </p>
      )}
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      <p>
        {episode.personName}’s link worker is {episode.linkWorkerName ?? 'not allocated'}. The new link worker
        sees everything recorded so far.
      </p>
      {others.length === 0 ? (
        <p>There are no other link workers in this PCN to allocate to.</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Radios
            id="linkWorkerId"
            legend="Who should be their link worker?"
            legendSize="m"
            items={others.map((member) => ({
              value: member.id,
              label: member.name,
              hint: caseloadHint(member),
            }))}
            error={errors.messageFor('linkWorkerId')}
          />
          <Textarea
            id="reason"
            label="Why are you reallocating?"
            hint="For example, to balance caseloads, or because the person asked for someone else"
            rows={3}
            error={errors.messageFor('reason')}
          />
          <button className="nhsuk-button" type="submit">
            Reallocate
          </button>
        </form>
      )}
    </TwoThirds>
  );
}

function ReallocateLoader({ episode }: { episode: Episode }) {
  const caseloads = useCaseloads();
  if (caseloads.isPending) return <Loading />;
  if (caseloads.isError) return <ProblemPage error={caseloads.error} />;
  return <ReallocateForm episode={episode} team={caseloads.data.linkWorkers} />;
}

export function ReallocatePage() {
  const { id = '' } = useParams();
  return (
    <WithOpenEpisode referralId={id} title={title}>
      {(episode) => <ReallocateLoader episode={episode} />}
    </WithOpenEpisode>
  );
}
