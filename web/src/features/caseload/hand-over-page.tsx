import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import { handOverBody } from '../../../../src/modules/pathway/contract.ts';
import { api, withQuery } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, InsetText, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { NotFoundPage, ProblemPage } from '../../components/problem-page.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { caseloadSize, peopleCount } from './labels.ts';
import { type CaseloadSummaryRow, invalidateCaseloads, peopleKey, useCaseloads } from './queries.ts';

type HandOverInput = z.infer<typeof handOverBody>;

function HandedOver({ moved, from, to }: { moved: number; from: string; to: CaseloadSummaryRow }) {
  const heading = useRef<HTMLHeadingElement>(null);
  usePageTitle('Caseload handed over');
  useEffect(() => heading.current?.focus(), []);
  return (
    <TwoThirds>
      <div className="nhsuk-panel">
        <h1 className="nhsuk-panel__heading" tabIndex={-1} ref={heading}>
          {peopleCount(moved)} moved to {to.name}
        </h1>
        <div className="nhsuk-panel__body">
          {moved === 0
            ? `${from} had no one whose support was still open.`
            : `Everyone whose support was open with ${from} is now on ${to.name}’s caseload.`}
        </div>
      </div>
      <p>
        <Link to={withQuery('/caseload', { linkWorkerId: to.id })}>See {to.name}’s caseload</Link>
      </p>
      <p>
        <Link to="/caseloads">Back to team caseloads</Link>
      </p>
    </TwoThirds>
  );
}

function HandOverForm({ from, others }: { from: CaseloadSummaryRow; others: CaseloadSummaryRow[] }) {
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [result, setResult] = useState<{ moved: number; to: CaseloadSummaryRow } | null>(null);
  usePageTitle(`Hand over ${from.name}’s caseload`, errors.hasErrors);

  const handOver = useMutation({
    mutationFn: (body: HandOverInput) =>
      api.post<{ moved: number }>(`/api/link-workers/${encodeURIComponent(from.id)}/hand-over`, body),
    onSuccess: async ({ moved }, body) => {
      const to = others.find((row) => row.id === body.toLinkWorkerId);
      if (to) setResult({ moved, to });
      await Promise.all([
        invalidateCaseloads(queryClient),
        queryClient.invalidateQueries({ queryKey: peopleKey }),
      ]);
    },
    onError: (error) => errors.showError(error),
  });

  if (result) return <HandedOver moved={result.moved} from={from.name} to={result.to} />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (handOver.isPending) return;
    const form = new FormData(event.currentTarget);
    const body = {
      toLinkWorkerId: String(form.get('toLinkWorkerId') ?? ''),
      reason: String(form.get('reason') ?? '').trim(),
    };
    const problems = check(handOverBody, body);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    handOver.mutate(body);
  };

  return (
    <TwoThirds>
      <BackLink to="/caseloads">Back to team caseloads</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption="Team caseloads">Hand over {from.name}’s caseload</PageHeading>
      {from.active === 0 ? (
        <p>{from.name} has no one whose support is still open, so there is nothing to hand over.</p>
      ) : others.length === 0 ? (
        <p>There is no other link worker in the PCN to take over this caseload.</p>
      ) : (
        <>
          <InsetText>
            <p>
              All {peopleCount(from.active)} whose support is open with {from.name} move to the link worker
              you choose. Each person’s record shows the hand-over and its reason.
            </p>
          </InsetText>
          <form onSubmit={submit} noValidate>
            <Radios
              id="toLinkWorkerId"
              legend="Who takes over the caseload?"
              legendSize="m"
              error={errors.messageFor('toLinkWorkerId')}
              items={others.map((row) => ({
                value: row.id,
                label: row.name,
                hint: `Now has ${caseloadSize(row)}`,
              }))}
            />
            <Textarea
              id="reason"
              label="Why is the caseload being handed over?"
              hint="For example, leaving or long-term absence"
              rows={3}
              error={errors.messageFor('reason')}
            />
            <button className="nhsuk-button" type="submit">
              Hand over caseload
            </button>
          </form>
        </>
      )}
    </TwoThirds>
  );
}

export function HandOverPage() {
  const { id = '' } = useParams();
  const team = useCaseloads();
  if (team.isPending) return <Loading />;
  if (team.isError) return <ProblemPage error={team.error} />;
  const from = team.data.linkWorkers.find((row) => row.id === id);
  if (!from) return <NotFoundPage detail="There is no link worker with this id in the PCN." />;
  return (
    <HandOverForm
      key={from.id}
      from={from}
      others={team.data.linkWorkers.filter((row) => row.id !== from.id)}
    />
  );
}
