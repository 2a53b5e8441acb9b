import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { roleAssignmentInput, type UserSummary } from '../../../../src/modules/identity/contract.ts';
import { api } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { roleLabels } from '../identity/labels.ts';
import { useOrganisations } from '../organisations/queries.ts';
import { organisationOptions } from '../organisations/tree.ts';
import { usersKey, useUser } from './queries.ts';
import { RoleRadios } from './role-radios.tsx';

export function RoleNewPage() {
  const { id = '' } = useParams();
  const user = useUser(id);
  const organisations = useOrganisations();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const errors = useFormErrors();
  usePageTitle('Add a role', errors.hasErrors);

  const add = useMutation({
    mutationFn: (body: { organisationId: string; role: string }) =>
      api.post<UserSummary>(`/api/users/${encodeURIComponent(id)}/roles`, body),
    onSuccess: (updated, body) => {
      queryClient.setQueryData([...usersKey, id], updated);
      void queryClient.invalidateQueries({ queryKey: [...usersKey, 'list'] });
      const organisation = organisations.data?.find((item) => item.id === body.organisationId);
      const role = roleLabels[body.role as keyof typeof roleLabels] ?? body.role;
      navigate(`/users/${id}`, {
        state: {
          saved: `${role} at ${organisation?.name ?? 'the organisation'} has been added for ${updated.name}`,
        },
      });
    },
    onError: errors.showError,
  });

  if (user.isPending || organisations.isPending) return <Loading />;
  if (user.isError) return <ProblemPage error={user.error} />;
  if (organisations.isError) return <ProblemPage error={organisations.error} />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (add.isPending) return;
    const form = new FormData(event.currentTarget);
    const body = {
      organisationId: String(form.get('organisationId') ?? ''),
      role: String(form.get('role') ?? ''),
    };
    const problems = check(
      roleAssignmentInput,
      { ...body, role: body.role || undefined },
      { role: 'Choose a role' },
    );
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    add.mutate(body);
  };

  return (
    <TwoThirds>
      <BackLink to={`/users/${id}`}>Back to {user.data.name}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={user.data.name}>Add a role</PageHeading>
      <form onSubmit={submit} noValidate>
        <Select
          id="organisationId"
          label="Organisation"
          placeholder="Choose an organisation"
          options={organisationOptions(organisations.data.filter((organisation) => organisation.manageable))}
          error={errors.messageFor('organisationId')}
        />
        <RoleRadios error={errors.messageFor('role')} />
        <button className="nhsuk-button" type="submit">
          Add role
        </button>
      </form>
    </TwoThirds>
  );
}
