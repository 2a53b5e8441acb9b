import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { SessionStage } from '../../../../src/modules/identity/contract.ts';
import { signInBody } from '../../../../src/modules/identity/contract.ts';
import { api, isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { fetchMe, meKey, nextPathFor, type SignInState, useMe } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, describeError, useFormErrors } from '../../components/form-errors.ts';
import { InfoBanner, PageHeading, SuccessBanner, TwoThirds } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';

function ReasonBanner({ reason }: { reason: SignInState['reason'] }) {
  if (reason === 'inactive') {
    return (
      <InfoBanner>
        <p className="nhsuk-notification-banner__heading">You were signed out because you were inactive</p>
        <p>Sign in again to carry on. Anything you had not saved has been lost.</p>
      </InfoBanner>
    );
  }
  if (reason === 'signed-out') {
    return (
      <SuccessBanner>
        <p className="nhsuk-notification-banner__heading">You have signed out</p>
      </SuccessBanner>
    );
  }
  if (reason === 'signed-out-everywhere') {
    return (
      <SuccessBanner>
        <p className="nhsuk-notification-banner__heading">
          You have signed out of Linkwork on all your devices
        </p>
      </SuccessBanner>
    );
  }
  return null;
}

export function SignInPage() {
  const location = useLocation();
  const state = (location.state ?? {}) as SignInState;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const errors = useFormErrors();
  usePageTitle('Sign in to Linkwork', errors.hasErrors);

  const signIn = useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api.post<{ stage: SessionStage }>('/api/auth/sign-in', body, { credentialsCheck: true }),
    onSuccess: async () => {
      const signedIn = await queryClient.fetchQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 0 });
      if (!signedIn) {
        errors.showError(new Error('Session was not kept'));
        return;
      }
      navigate(nextPathFor(signedIn, state.from), { replace: true });
    },
    onError: (error) => {
      if (isProblem(error, 401)) {
        errors.show([{ field: 'email', message: 'Enter a correct email address and password' }]);
      } else if (isProblem(error) && error.errors.length > 0) {
        errors.showError(error);
      } else {
        errors.show([{ field: '', message: describeError(error) }]);
      }
    },
  });

  if (me && me.stage === 'complete' && !signIn.isPending) {
    return <Navigate to={nextPathFor(me, state.from)} replace />;
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (signIn.isPending) return;
    const form = new FormData(event.currentTarget);
    const body = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
    const problems = check(signInBody, body);
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    errors.clear();
    signIn.mutate(body);
  };

  return (
    <TwoThirds>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {!errors.hasErrors && <ReasonBanner reason={state.reason} />}
      <PageHeading>Sign in to Linkwork</PageHeading>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="email"
          label="Email address"
          type="email"
          autoComplete="username"
          spellCheck={false}
          error={errors.messageFor('email')}
        />
        <TextInput
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          error={errors.messageFor('password')}
        />
        <button className="nhsuk-button" type="submit">
          Sign in
        </button>
      </form>
      <h2 className="nhsuk-heading-s">If you have forgotten your password</h2>
      <p>Ask your Linkwork administrator to send you a new link to set your password.</p>
    </TwoThirds>
  );
}
