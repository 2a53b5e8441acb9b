import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { type Organisation, updateOrganisationBody } from '../../../../src/modules/organisations/contract.ts';
import { api, isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { Checkboxes } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, SummaryList, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { organisationTypeLabels, organisationTypeShortLabels } from './labels.ts';
import { organisationsKey, useOrganisation, useOrganisations } from './queries.ts';
import { organisationOptions, withDescendants } from './tree.ts';

function ReadOnly({
  organisation,
  parentName,
}: {
  organisation: Organisation;
  parentName: string | undefined;
}) {
  usePageTitle(organisation.name);
  return (
    <TwoThirds>
      <BackLink to="/organisations">Back to organisations</BackLink>
      <PageHeading caption={organisationTypeShortLabels[organisation.type]}>{organisation.name}</PageHeading>
      <SummaryList
        rows={[
          { key: 'Type', value: organisationTypeLabels[organisation.type] },
          { key: 'ODS code', value: organisation.odsCode ?? 'None' },
          { key: 'Sits under', value: parentName ?? 'Nothing – it is at the top' },
          {
            key: 'Two-factor authentication',
            value: organisation.requireMfaForAll ? 'Required for everyone' : 'Not required for everyone',
          },
        ]}
      />
      <p>You cannot change this organisation. Ask an administrator at an organisation above it.</p>
    </TwoThirds>
  );
}

function EditForm({ organisation, all }: { organisation: Organisation; all: Organisation[] }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const errors = useFormErrors();
  const [conflict, setConflict] = useState(false);
  usePageTitle(`Change ${organisation.name}`, errors.hasErrors);

  const update = useMutation({
    mutationFn: (body: unknown) => api.patch<Organisation>(`/api/organisations/${organisation.id}`, body),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: organisationsKey });
      navigate('/organisations', { state: { saved: `Changes to ${saved.name} have been saved` } });
    },
    onError: (error) => {
      setConflict(isProblem(error, 409));
      errors.showError(error);
    },
  });

  const reload = async () => {
    errors.clear();
    setConflict(false);
    await queryClient.invalidateQueries({ queryKey: organisationsKey });
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    const form = new FormData(event.currentTarget);
    const odsCode = String(form.get('odsCode') ?? '').trim();
    const body: Record<string, unknown> = {
      version: organisation.version,
      name: String(form.get('name') ?? ''),
      odsCode: odsCode === '' ? null : odsCode,
      requireMfaForAll: form.get('requireMfaForAll') === 'yes',
    };
    if (organisation.parentId !== null) body.parentId = String(form.get('parentId') ?? '');
    const problems = check(updateOrganisationBody, body);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    update.mutate(body);
  };

  const excluded = withDescendants(all, organisation.id);
  const parents = all.filter((item) => item.manageable && !excluded.has(item.id));
  // The current parent stays choosable even when the actor cannot manage it.
  const currentParent = all.find((item) => item.id === organisation.parentId);
  if (currentParent && !parents.includes(currentParent)) parents.push(currentParent);

  return (
    <TwoThirds>
      <BackLink to="/organisations">Back to organisations</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {conflict && (
        <p>
          <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={reload}>
            Reload the organisation
          </button>
        </p>
      )}
      <PageHeading caption={organisationTypeShortLabels[organisation.type]}>{organisation.name}</PageHeading>
      <form onSubmit={submit} noValidate key={organisation.version}>
        <TextInput
          id="name"
          label="Name"
          defaultValue={organisation.name}
          error={errors.messageFor('name')}
        />
        <TextInput
          id="odsCode"
          label="ODS code (optional)"
          hint="The Organisation Data Service code, like B82005 for a GP practice"
          width={10}
          code
          spellCheck={false}
          defaultValue={organisation.odsCode ?? ''}
          error={errors.messageFor('odsCode')}
        />
        {organisation.parentId !== null && (
          <Select
            id="parentId"
            label="Which organisation does it sit under?"
            options={organisationOptions(parents)}
            defaultValue={organisation.parentId}
            error={errors.messageFor('parentId')}
          />
        )}
        <Checkboxes
          id="requireMfaForAll"
          legend="Two-factor authentication"
          items={[
            {
              value: 'yes',
              label: 'Require two-factor authentication for everyone at this organisation',
              hint: 'This includes everyone with a role at an organisation under this one. Administrators always need it.',
            },
          ]}
          defaultValues={organisation.requireMfaForAll ? ['yes'] : []}
          error={errors.messageFor('requireMfaForAll')}
        />
        <button className="nhsuk-button" type="submit">
          Save changes
        </button>
      </form>
    </TwoThirds>
  );
}

export function OrganisationEditPage() {
  const { id = '' } = useParams();
  const organisation = useOrganisation(id);
  const all = useOrganisations();

  if (organisation.isPending || all.isPending) return <Loading />;
  if (organisation.isError) return <ProblemPage error={organisation.error} />;
  if (all.isError) return <ProblemPage error={all.error} />;
  if (!organisation.data.manageable) {
    const parent = all.data.find((item) => item.id === organisation.data.parentId);
    return <ReadOnly organisation={organisation.data} parentName={parent?.name} />;
  }
  return <EditForm organisation={organisation.data} all={all.data} />;
}
