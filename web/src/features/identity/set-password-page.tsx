import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PASSWORD_MIN } from '../../../../src/modules/identity/contract.ts';
import { api, isProblem, withQuery } from '../../app/api.ts';
import { focusMainHeading, usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { ButtonLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { TextInput } from '../../components/text-input.tsx';

interface TokenInfo {
  purpose: 'invitation' | 'reset';
  name: string;
}

function LinkExpired() {
  usePageTitle('This link has expired');
  return (
    <TwoThirds>
      <PageHeading>This link has expired</PageHeading>
      <p>Links to set a password work once, for a limited time.</p>
      <p>Ask your Linkwork administrator to send you a new link.</p>
    </TwoThirds>
  );
}

function PasswordSet() {
  usePageTitle('Your password has been set');
  useEffect(() => focusMainHeading(), []);
  return (
    <TwoThirds>
      <div className="nhsuk-panel">
        <h1 className="nhsuk-panel__heading" tabIndex={-1}>
          Your password has been set
        </h1>
        <div className="nhsuk-panel__body">You can now sign in to Linkwork</div>
      </div>
      <ButtonLink to="/sign-in">Sign in</ButtonLink>
    </TwoThirds>
  );
}

function SetPasswordForm({ token, info, onDone }: { token: string; info: TokenInfo; onDone: () => void }) {
  const errors = useFormErrors();
  const title = info.purpose === 'invitation' ? 'Create your password' : 'Set a new password';
  usePageTitle(title, errors.hasErrors);

  const setPassword = useMutation({
    mutationFn: (body: { token: string; password: string }) => api.post<void>('/api/auth/password', body),
    onSuccess: onDone,
    onError: errors.showError,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (setPassword.isPending) return;
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    if (!password) return errors.show([{ field: 'password', message: 'Enter a password' }]);
    if (password.length < PASSWORD_MIN) {
      return errors.show([
        { field: 'password', message: `Your password must be at least ${PASSWORD_MIN} characters` },
      ]);
    }
    if (password !== String(form.get('confirmPassword') ?? '')) {
      return errors.show([{ field: 'confirmPassword', message: 'The passwords do not match' }]);
    }
    errors.clear();
    setPassword.mutate({ token, password });
  };

  return (
    <TwoThirds>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{title}</PageHeading>
      <p>
        {info.purpose === 'invitation'
          ? `Hello ${info.name}. Create a password to finish setting up your Linkwork account.`
          : `Hello ${info.name}. Choose a new password for your Linkwork account.`}
      </p>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`Use at least ${PASSWORD_MIN} characters. Three random words together work well. Do not use a password you use anywhere else.`}
          error={errors.messageFor('password')}
        />
        <TextInput
          id="confirmPassword"
          label="Confirm your password"
          type="password"
          autoComplete="new-password"
          error={errors.messageFor('confirmPassword')}
        />
        <button className="nhsuk-button" type="submit">
          Set password
        </button>
      </form>
    </TwoThirds>
  );
}

export function SetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [done, setDone] = useState(false);
  const info = useQuery({
    queryKey: ['password-token', token],
    queryFn: () => api.get<TokenInfo>(withQuery('/api/auth/password-token', { token })),
    enabled: token.length > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });

  if (done) return <PasswordSet />;
  if (!token || isProblem(info.error, 404) || isProblem(info.error, 400)) return <LinkExpired />;
  if (info.isPending) return <Loading />;
  if (info.isError) return <ProblemPage error={info.error} />;
  return <SetPasswordForm token={token} info={info.data} onDone={() => setDone(true)} />;
}
