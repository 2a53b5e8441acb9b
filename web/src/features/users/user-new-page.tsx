import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { createUserBody } from '../../../../src/modules/identity/contract.ts';
import { api } from '../../app/api.ts';
import { focusMainHeading, usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { useOrganisations } from '../organisations/queries.ts';
import { organisationOptions } from '../organisations/tree.ts';
import { type UserWithLink, usersKey } from './queries.ts';
import { RoleRadios } from './role-radios.tsx';
import { SetPasswordLink } from './set-password-link.tsx';

const aliases = {
  'roles.0.organisationId': 'organisationId',
  'roles.0.role': 'role',
  roles: 'organisationId',
};

function UserAdded({ result, onAddAnother }: { result: UserWithLink; onAddAnother: () => void }) {
  usePageTitle('User added');
  useEffect(() => focusMainHeading(), []);
  return (
    <TwoThirds>
      <div className="nhsuk-panel">
        <h1 className="nhsuk-panel__heading" tabIndex={-1}>
          {result.user.name} has been added
        </h1>
      </div>
      <SetPasswordLink result={result} />
      <h2 className="nhsuk-heading-m">What next</h2>
      <ul className="nhsuk-list">
        <li>
          <Link to={`/users/${result.user.id}`}>See {result.user.name}’s details and roles</Link>
        </li>
        <li>
          <Link to="/users/new" onClick={onAddAnother}>
            Add another user
          </Link>
        </li>
        <li>
          <Link to="/users">Go to the list of users</Link>
        </li>
      </ul>
    </TwoThirds>
  );
}

export function UserNewPage() {
  const organisations = useOrganisations();
  const queryClient = useQueryClient();
  const errors = useFormErrors({ aliases });
  const [added, setAdded] = useState<UserWithLink | null>(null);
  usePageTitle('Add a user', errors.hasErrors);

  const create = useMutation({
    mutationFn: (body: unknown) => api.post<UserWithLink>('/api/users', body),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: usersKey });
      setAdded(result);
    },
    onError: errors.showError,
  });

  if (added) return <UserAdded result={added} onAddAnother={() => setAdded(null)} />;
  if (organisations.isPending) return <Loading />;
  if (organisations.isError) return <ProblemPage error={organisations.error} />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const form = new FormData(event.currentTarget);
    const body = {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      roles: [
        { organisationId: String(form.get('organisationId') ?? ''), role: form.get('role') ?? undefined },
      ],
    };
    const problems = check(createUserBody, body, { 'roles.0.role': 'Choose a role' });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    create.mutate(body);
  };

  const manageable = organisations.data.filter((organisation) => organisation.manageable);
  return (
    <TwoThirds>
      <BackLink to="/users">Back to users</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>Add a user</PageHeading>
      <p>You will get a link to give them, so they can set their own password.</p>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="name"
          label="Full name"
          autoComplete="off"
          spellCheck={false}
          error={errors.messageFor('name')}
        />
        <TextInput
          id="email"
          label="Email address"
          hint="Their work email address. They will use it to sign in."
          type="email"
          autoComplete="off"
          spellCheck={false}
          error={errors.messageFor('email')}
        />
        <h2 className="nhsuk-heading-m">Their first role</h2>
        <p>You can add more roles afterwards.</p>
        <Select
          id="organisationId"
          label="Organisation"
          placeholder="Choose an organisation"
          options={organisationOptions(manageable)}
          error={errors.messageFor('organisationId')}
        />
        <RoleRadios error={errors.messageFor('role')} />
        <button className="nhsuk-button" type="submit">
          Add user
        </button>
      </form>
    </TwoThirds>
  );
}
