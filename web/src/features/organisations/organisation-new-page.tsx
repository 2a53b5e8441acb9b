import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  createOrganisationBody,
  type Organisation,
  organisationTypes,
} from '../../../../src/modules/organisations/contract.ts';
import { api } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { organisationTypeLabels } from './labels.ts';
import { organisationsKey, useOrganisations } from './queries.ts';
import { organisationOptions } from './tree.ts';

export function OrganisationNewPage() {
  const [params] = useSearchParams();
  const organisations = useOrganisations();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const errors = useFormErrors();
  usePageTitle('Add an organisation', errors.hasErrors);

  const create = useMutation({
    mutationFn: (body: unknown) => api.post<Organisation>('/api/organisations', body),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: organisationsKey });
      navigate('/organisations', { state: { saved: `${created.name} has been added` } });
    },
    onError: errors.showError,
  });

  if (organisations.isPending) return <Loading />;
  if (organisations.isError) return <ProblemPage error={organisations.error} />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const form = new FormData(event.currentTarget);
    const odsCode = String(form.get('odsCode') ?? '').trim();
    const body = {
      type: form.get('type') ?? undefined,
      name: String(form.get('name') ?? ''),
      odsCode: odsCode === '' ? null : odsCode,
      parentId: String(form.get('parentId') ?? ''),
    };
    const problems = check(createOrganisationBody, body, { type: 'Choose the type of organisation' });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    create.mutate(body);
  };

  const parents = organisations.data.filter((organisation) => organisation.manageable);
  return (
    <TwoThirds>
      <BackLink to="/organisations">Back to organisations</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>Add an organisation</PageHeading>
      <form onSubmit={submit} noValidate>
        <Radios
          id="type"
          legend="What type of organisation is it?"
          legendSize="m"
          items={choicesFrom(organisationTypes, organisationTypeLabels)}
          error={errors.messageFor('type')}
        />
        <TextInput id="name" label="Name" error={errors.messageFor('name')} autoComplete="off" />
        <TextInput
          id="odsCode"
          label="ODS code (optional)"
          hint="The Organisation Data Service code, like B82005 for a GP practice or U12345 for a PCN"
          width={10}
          code
          autoComplete="off"
          spellCheck={false}
          error={errors.messageFor('odsCode')}
        />
        <Select
          id="parentId"
          label="Which organisation does it sit under?"
          hint="A GP practice sits under its PCN. A PCN, VCSE organisation or local authority sits under the ICB, or under the PCN it works with."
          placeholder="Choose an organisation"
          options={organisationOptions(parents)}
          defaultValue={params.get('parentId') ?? ''}
          error={errors.messageFor('parentId')}
        />
        <button className="nhsuk-button" type="submit">
          Add organisation
        </button>
      </form>
    </TwoThirds>
  );
}
