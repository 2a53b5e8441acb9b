import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  baseSettings,
  clinicalSystemAccess,
  contextInput,
  deliveryModes,
  employmentModels,
  type LinkWorkerContext,
  practiceMeetingAttendance,
  supervisionArrangements,
} from '../../../../src/modules/link-workers/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import { api } from '../../app/api.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Checkboxes, choicesFrom, Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { useOrganisations } from '../organisations/queries.ts';
import { organisationOptions } from '../organisations/tree.ts';
import {
  baseSettingLabels,
  clinicalSystemAccessLabels,
  deliveryModeLabels,
  employmentModelLabels,
  practiceMeetingLabels,
  supervisionLabels,
} from './labels.ts';
import { type LinkWorkerProfile, linkWorkersKey, useLinkWorker } from './queries.ts';

const anchors = { effectiveFrom: 'effectiveFrom-day' };

function readBody(form: FormData, linkWorker: LinkWorkerProfile) {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const choice = (name: string) => text(name) || undefined;
  const hours = text('contractedHoursPerWeek').replace(/\s*hours?$/i, '');
  const date = readDate(form, 'effectiveFrom', 'The date this applies from');
  const body = {
    ...(linkWorker.pcns.length > 1 ? { organisationId: text('organisationId') } : {}),
    effectiveFrom: date.kind === 'date' ? date.value : '',
    employerOrganisationId: text('employerOrganisationId') || null,
    employmentModel: choice('employmentModel'),
    baseSettings: form.getAll('baseSettings').map(String),
    contractedHoursPerWeek: hours === '' ? undefined : Number(hours),
    supervision: choice('supervision'),
    clinicalSystemAccess: choice('clinicalSystemAccess'),
    practiceMeetings: choice('practiceMeetings'),
    deliveryMode: choice('deliveryMode'),
    notes: text('notes') || null,
  };
  const problems: FieldProblem[] = check(contextInput, body).map((problem) => {
    if (problem.field !== 'effectiveFrom') return problem;
    if (date.kind === 'invalid') return { field: 'effectiveFrom', message: date.message };
    return { field: 'effectiveFrom', message: 'Enter the date this applies from' };
  });
  return { body, problems };
}

function ContextForm({ linkWorker }: { linkWorker: LinkWorkerProfile }) {
  const organisations = useOrganisations();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const errors = useFormErrors({ anchors });
  usePageTitle('Record a change in context', errors.hasErrors);
  const current: LinkWorkerContext | null = linkWorker.current;

  const record = useMutation({
    mutationFn: (body: unknown) =>
      api.post<LinkWorkerContext>(`/api/link-workers/${linkWorker.id}/contexts`, body),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: linkWorkersKey });
      navigate(`/link-workers/${linkWorker.id}`, {
        state: { saved: `The arrangements from ${formatDate(saved.effectiveFrom)} have been recorded` },
      });
    },
    onError: errors.showError,
  });

  if (organisations.isPending) return <Loading />;
  if (organisations.isError) return <ProblemPage error={organisations.error} />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (record.isPending) return;
    const { body, problems } = readBody(new FormData(event.currentTarget), linkWorker);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    record.mutate(body);
  };

  return (
    <TwoThirds>
      <BackLink to={`/link-workers/${linkWorker.id}`}>Back to {linkWorker.name}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={linkWorker.name}>Record a change in context</PageHeading>
      <p>
        {current
          ? 'The answers start as the current arrangements. Change what is different, and say from when.'
          : 'Record how this link worker is employed, based and supervised.'}
      </p>
      <form onSubmit={submit} noValidate>
        {linkWorker.pcns.length > 1 && (
          <Select
            id="organisationId"
            label="PCN"
            hint="This link worker serves more than one PCN. Choose the one these arrangements are for."
            placeholder="Choose a PCN"
            options={linkWorker.pcns.map((pcn) => ({ value: pcn.id, label: pcn.name }))}
            defaultValue={current?.organisationId ?? ''}
            error={errors.messageFor('organisationId')}
          />
        )}
        <DateInput
          id="effectiveFrom"
          legend="Date this applies from"
          hint="For example, 1 11 2026"
          error={errors.messageFor('effectiveFrom')}
        />
        <Radios
          id="employmentModel"
          legend="How are they employed or hosted?"
          items={choicesFrom(employmentModels, employmentModelLabels)}
          defaultValue={current?.employmentModel}
          error={errors.messageFor('employmentModel')}
        />
        <Select
          id="employerOrganisationId"
          label="Employing or hosting organisation (optional)"
          placeholder="Not recorded"
          options={organisationOptions(organisations.data)}
          defaultValue={current?.employerOrganisationId ?? ''}
          error={errors.messageFor('employerOrganisationId')}
        />
        <Checkboxes
          id="baseSettings"
          legend="Where are they based?"
          hint="Select all that apply"
          items={choicesFrom(baseSettings, baseSettingLabels)}
          defaultValues={current?.baseSettings}
          error={errors.messageFor('baseSettings')}
        />
        <TextInput
          id="contractedHoursPerWeek"
          label="Contracted hours per week"
          hint="For example, 37.5"
          inputMode="decimal"
          width={4}
          spellCheck={false}
          defaultValue={current ? String(current.contractedHoursPerWeek) : ''}
          error={errors.messageFor('contractedHoursPerWeek')}
        />
        <Radios
          id="supervision"
          legend="Who supervises them?"
          items={choicesFrom(supervisionArrangements, supervisionLabels)}
          defaultValue={current?.supervision}
          error={errors.messageFor('supervision')}
        />
        <Radios
          id="clinicalSystemAccess"
          legend="Can they use the GP clinical system?"
          hint="For example, EMIS Web or SystmOne"
          items={choicesFrom(clinicalSystemAccess, clinicalSystemAccessLabels)}
          defaultValue={current?.clinicalSystemAccess}
          error={errors.messageFor('clinicalSystemAccess')}
        />
        <Radios
          id="practiceMeetings"
          legend="Do they attend practice meetings?"
          items={choicesFrom(practiceMeetingAttendance, practiceMeetingLabels)}
          defaultValue={current?.practiceMeetings}
          error={errors.messageFor('practiceMeetings')}
        />
        <Radios
          id="deliveryMode"
          legend="How do they mostly support people?"
          items={choicesFrom(deliveryModes, deliveryModeLabels)}
          defaultValue={current?.deliveryMode}
          error={errors.messageFor('deliveryMode')}
        />
        <Textarea
          id="notes"
          label="Notes (optional)"
          hint="Anything else about these arrangements. Do not include information about people they support."
          error={errors.messageFor('notes')}
        />
        <button className="nhsuk-button" type="submit">
          Record change
        </button>
      </form>
    </TwoThirds>
  );
}

export function ContextNewPage() {
  const { id = '' } = useParams();
  const linkWorker = useLinkWorker(id);
  if (linkWorker.isPending) return <Loading />;
  if (linkWorker.isError) return <ProblemPage error={linkWorker.error} />;
  return <ContextForm linkWorker={linkWorker.data} />;
}
