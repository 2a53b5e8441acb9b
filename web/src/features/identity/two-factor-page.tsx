import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { mfaCodeBody } from '../../../../src/modules/identity/contract.ts';
import { api, isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { useContinueSignIn } from './complete-sign-in.ts';

export function TwoFactorPage() {
  const errors = useFormErrors();
  const continueSignIn = useContinueSignIn();
  usePageTitle('Enter your security code', errors.hasErrors);

  const verify = useMutation({
    mutationFn: (body: { code: string }) => api.post<unknown>('/api/auth/mfa', body),
    onSuccess: continueSignIn,
    onError: (error) => {
      if (isProblem(error, 429) || !isProblem(error) || error.errors.length > 0) errors.showError(error);
      else errors.show([{ field: 'code', message: 'Enter a correct security code' }]);
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (verify.isPending) return;
    const body = { code: String(new FormData(event.currentTarget).get('code') ?? '') };
    const problems = check(mfaCodeBody, body);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    verify.mutate(body);
  };

  return (
    <TwoThirds>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>Enter your security code</PageHeading>
      <p>Open the authenticator app on your phone to find the code for Linkwork.</p>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="code"
          label="Security code"
          labelSize="s"
          hint="The 6-digit code from your authenticator app. If you cannot use your app, enter one of your recovery codes instead."
          autoComplete="one-time-code"
          spellCheck={false}
          autoCapitalize="none"
          width={10}
          code
          error={errors.messageFor('code')}
        />
        <button className="nhsuk-button" type="submit">
          Continue
        </button>
      </form>
      <p>
        If you have lost your phone and your recovery codes, ask your Linkwork administrator to reset your
        two-factor authentication.
      </p>
    </TwoThirds>
  );
}
