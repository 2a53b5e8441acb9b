import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { type UserSummary, updateUserBody } from '../../../../src/modules/identity/contract.ts';
import { api, isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { usersKey, useUser } from './queries.ts';

function EditUserForm({ user }: { user: UserSummary }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const errors = useFormErrors();
  const [conflict, setConflict] = useState(false);
  usePageTitle(`Change ${user.name}’s details`, errors.hasErrors);

  const update = useMutation({
    mutationFn: (body: unknown) => api.patch<UserSummary>(`/api/users/${user.id}`, body),
    onSuccess: (saved) => {
      queryClient.setQueryData([...usersKey, user.id], saved);
      void queryClient.invalidateQueries({ queryKey: [...usersKey, 'list'] });
      navigate(`/users/${user.id}`, { state: { saved: `${saved.name}’s details have been saved` } });
    },
    onError: (error) => {
      setConflict(isProblem(error, 409) && error.errors.length === 0);
      errors.showError(error);
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    const form = new FormData(event.currentTarget);
    const body = {
      version: user.version,
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
    };
    const problems = check(updateUserBody, body);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    update.mutate(body);
  };

  const reload = async () => {
    errors.clear();
    setConflict(false);
    await queryClient.invalidateQueries({ queryKey: [...usersKey, user.id] });
  };

  return (
    <TwoThirds>
      <BackLink to={`/users/${user.id}`}>Back to {user.name}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {conflict && (
        <p>
          <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={reload}>
            Reload {user.name}’s details
          </button>
        </p>
      )}
      <PageHeading>Change {user.name}’s details</PageHeading>
      <form onSubmit={submit} noValidate key={user.version}>
        <TextInput
          id="name"
          label="Full name"
          defaultValue={user.name}
          spellCheck={false}
          error={errors.messageFor('name')}
        />
        <TextInput
          id="email"
          label="Email address"
          hint="They sign in with this address"
          type="email"
          spellCheck={false}
          defaultValue={user.email}
          error={errors.messageFor('email')}
        />
        <button className="nhsuk-button" type="submit">
          Save changes
        </button>
      </form>
    </TwoThirds>
  );
}

export function UserEditPage() {
  const { id = '' } = useParams();
  const user = useUser(id);
  if (user.isPending) return <Loading />;
  if (user.isError) return <ProblemPage error={user.error} />;
  return <EditUserForm user={user.data} />;
}
