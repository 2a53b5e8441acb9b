import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { changePasswordBody, PASSWORD_MIN } from '../../../../src/modules/identity/contract.ts';
import { api } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, describeError, useFormErrors } from '../../components/form-errors.ts';
import { PageHeading, SuccessBanner, SummaryList, Tag, TwoThirds } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { organisationTypeName } from '../organisations/labels.ts';
import { roleList } from './labels.ts';
import { useSignOut } from './sign-out.ts';

export function AccountPage() {
  const me = useSignedIn();
  const errors = useFormErrors();
  const [changed, setChanged] = useState(false);
  const signOutEverywhere = useSignOut(true);
  usePageTitle('Your account', errors.hasErrors);

  const changePassword = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.post<void>('/api/me/password', body),
    onError: errors.showError,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (changePassword.isPending) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const body = {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
    };
    const problems = check(changePasswordBody, body);
    if (body.newPassword.length < PASSWORD_MIN) {
      problems.push({
        field: 'newPassword',
        message: body.newPassword
          ? `Your new password must be at least ${PASSWORD_MIN} characters`
          : 'Enter a new password',
      });
    } else if (body.newPassword !== String(form.get('confirmPassword') ?? '')) {
      problems.push({ field: 'confirmPassword', message: 'The passwords do not match' });
    }
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    setChanged(false);
    changePassword.mutate(body, {
      onSuccess: () => {
        formElement.reset();
        setChanged(true);
      },
    });
  };

  return (
    <TwoThirds>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {changed && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">Your password has been changed</p>
        </SuccessBanner>
      )}
      <PageHeading>Your account</PageHeading>
      <SummaryList
        rows={[
          { key: 'Name', value: me.user.name },
          { key: 'Email address', value: me.user.email },
          {
            key: 'Two-factor authentication',
            value: me.user.mfaEnabled ? <Tag colour="green">On</Tag> : <Tag colour="grey">Off</Tag>,
            action: me.user.mfaEnabled ? undefined : (
              <Link to="/two-factor/set-up">
                Set up<span className="nhsuk-u-visually-hidden"> two-factor authentication</span>
              </Link>
            ),
          },
          {
            key: 'Your roles',
            value:
              me.memberships.length === 0 ? (
                'None yet'
              ) : (
                <ul className="nhsuk-list">
                  {me.memberships.map((membership) => (
                    <li key={membership.organisationId}>
                      {roleList(membership.roles)} at {membership.organisationName} (
                      {organisationTypeName(membership.organisationType)})
                    </li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
      <p>To change your name or email address, ask your Linkwork administrator.</p>

      {!me.user.mfaEnabled && (
        <p>
          <Link to="/two-factor/set-up">Set up two-factor authentication</Link> to keep your account safe even
          if someone finds out your password.
        </p>
      )}

      <h2 className="nhsuk-heading-m">Change your password</h2>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          error={errors.messageFor('currentPassword')}
        />
        <TextInput
          id="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`Use at least ${PASSWORD_MIN} characters. Three random words together work well.`}
          error={errors.messageFor('newPassword')}
        />
        <TextInput
          id="confirmPassword"
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          error={errors.messageFor('confirmPassword')}
        />
        <button className="nhsuk-button" type="submit">
          Change password
        </button>
      </form>

      <h2 className="nhsuk-heading-m">Sign out everywhere</h2>
      <p>
        If you think someone else has used your account, sign out of Linkwork on every device, including this
        one.
      </p>
      {signOutEverywhere.isError && (
        <p className="nhsuk-error-message" role="alert">
          <span className="nhsuk-u-visually-hidden">Error: </span>
          {describeError(signOutEverywhere.error)}
        </p>
      )}
      <button
        className="nhsuk-button nhsuk-button--secondary"
        type="button"
        onClick={() => {
          if (!signOutEverywhere.isPending) signOutEverywhere.mutate();
        }}
      >
        Sign out of all devices
      </button>
    </TwoThirds>
  );
}
