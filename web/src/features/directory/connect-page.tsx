import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { connectionBody, connectionKinds } from '../../../../src/modules/connections/contract.ts';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { isProblem } from '../../app/api.ts';
import { todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, SummaryList, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { episodePath, WithOpenEpisode } from '../episodes/episode-parts.tsx';
import { dateProblems, dateValue, textOf } from '../episodes/form-values.ts';
import { goalStatusLabels } from '../episodes/labels.ts';
import { ServiceStatusTag, servicePath } from './directory-parts.tsx';
import { connectionKindLabels } from './labels.ts';
import { type ConnectionInput, type ServiceDetail, useConnect, useDirectoryService } from './queries.ts';
import { type Json, serviceView } from './service-view.ts';

const pageTitle = 'Connect to a service';

function ConnectForm({ episode, detail }: { episode: Episode; detail: ServiceDetail }) {
  const navigate = useNavigate();
  const errors = useFormErrors({ anchors: { on: 'on-day' } });
  const connect = useConnect(episode.referralId);
  const view = serviceView(detail.oruk as Json);
  const person = episode.personName;
  const title = `Connect to ${view.name}`;
  usePageTitle(title, errors.hasErrors);
  const status = String((detail.oruk as Json).status ?? 'active');
  const goals = [...(episode.plan?.goals ?? [])].sort((a, b) => a.position - b.position);
  const back = servicePath(detail.id, episode.referralId);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (connect.isPending) return;
    const form = new FormData(event.currentTarget);
    const on = readDate(form, 'on', 'The date you connected them', '26 11 2026');
    const kind = textOf(form, 'kind');
    const consent = textOf(form, 'consentToShare');
    const note = textOf(form, 'note');
    const body = {
      serviceId: detail.id,
      kind: kind || undefined,
      consentToShare: consent === 'yes',
      goalId: textOf(form, 'goalId') || null,
      on: dateValue(on) ?? '',
      ...(note ? { note } : {}),
    };
    const problems = dateProblems(
      check(connectionBody, body, { kind: 'Choose how you connected them' }),
      'on',
      on,
      'Enter the date you connected them',
    );
    if (kind && kind !== 'signposted' && consent !== 'yes') {
      problems.push({
        field: 'consentToShare',
        message:
          consent === 'no'
            ? `A warm handover or referral shares ${person}’s details with the service: signpost them instead, or ask them again`
            : `Say whether ${person} agreed to their details being shared with the service`,
      });
    }
    if (on.kind === 'date' && on.value > todayInEngland())
      problems.push({ field: 'on', message: 'The date you connected them must be today or in the past' });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    connect.mutate(body as ConnectionInput, {
      onSuccess: () =>
        navigate(episodePath(episode.referralId), {
          state: { saved: `${person} connected to ${view.name}.` },
        }),
      onError: (error) => {
        if (isProblem(error) && error.errors.length > 0)
          // The service is not a field of this form: say what is wrong with it without a link.
          errors.show(
            error.errors.map((problem) =>
              problem.field === 'serviceId' ? { ...problem, field: '' } : problem,
            ),
          );
        else errors.showError(error);
      },
    });
  };

  return (
    <TwoThirds>
      <BackLink to={back}>Back to {view.name}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={person}>{title}</PageHeading>
      <SummaryList
        rows={[
          { key: 'Run by', value: view.organisation || 'Not given' },
          { key: 'When', value: detail.when.length > 0 ? detail.when.join('; ') : 'No times given' },
          {
            key: 'Where',
            value:
              view.places.length > 0
                ? view.places
                    .map((place) => [place.name, ...place.lines].filter(Boolean).join(', '))
                    .join('; ')
                : 'No address given',
          },
        ]}
      />
      {status !== 'active' ? (
        <>
          <p>
            This service is <ServiceStatusTag status={status} />, so no one can be connected to it now.
          </p>
          <p>
            <Link to={`/directory?referral=${encodeURIComponent(episode.referralId)}`}>
              Find another service for {person}
            </Link>
          </p>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <Radios
            id="kind"
            legend={`How are you connecting ${person}?`}
            legendSize="m"
            items={connectionKinds.map((kind) => ({
              value: kind,
              label: connectionKindLabels[kind].label,
              hint: connectionKindLabels[kind].hint,
            }))}
            error={errors.messageFor('kind')}
          />
          <Radios
            id="consentToShare"
            legend={`Did ${person} agree to their details being shared with ${view.name}?`}
            hint="Needed for a warm handover or a referral. Signposting shares nothing."
            inline
            items={[
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
            ]}
            error={errors.messageFor('consentToShare')}
          />
          {goals.length > 0 && (
            <Select
              id="goalId"
              label="Which goal in their plan is it for? (optional)"
              placeholder="Not linked to a goal"
              options={goals.map((goal) => ({
                value: goal.id,
                label:
                  goal.status === 'active'
                    ? goal.description
                    : `${goal.description} (${goalStatusLabels[goal.status].toLowerCase()})`,
              }))}
              error={errors.messageFor('goalId')}
            />
          )}
          <DateInput
            id="on"
            legend="When did you connect them?"
            hint="For example, 26 11 2026"
            defaultValue={todayInEngland()}
            error={errors.messageFor('on')}
          />
          <Textarea
            id="note"
            label="Note (optional)"
            hint="For example, who you spoke to at the service, or what happens next"
            rows={3}
            error={errors.messageFor('note')}
          />
          <button className="nhsuk-button" type="submit">
            Save connection
          </button>
        </form>
      )}
    </TwoThirds>
  );
}

function ConnectLoader({ episode, serviceId }: { episode: Episode; serviceId: string }) {
  const service = useDirectoryService(serviceId);
  if (service.isPending) return <Loading what="the service" />;
  if (service.isError) return <ProblemPage error={service.error} />;
  return <ConnectForm episode={episode} detail={service.data} />;
}

export function ConnectPage() {
  const { id = '', serviceId = '' } = useParams();
  return (
    <WithOpenEpisode referralId={id} title={pageTitle}>
      {(episode) => <ConnectLoader episode={episode} serviceId={serviceId} />}
    </WithOpenEpisode>
  );
}
