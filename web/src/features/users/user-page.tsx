import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { UserSummary } from '../../../../src/modules/identity/contract.ts';
import { api } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import {
  BackLink,
  ButtonLink,
  Loading,
  PageHeading,
  SuccessBanner,
  SummaryList,
  Tag,
} from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { roleLabels } from '../identity/labels.ts';
import { organisationTypeName } from '../organisations/labels.ts';
import { type UserWithLink, usersKey, useUser } from './queries.ts';
import { SetPasswordLink } from './set-password-link.tsx';

type Outcome = { message: ReactNode; link?: UserWithLink };

type Action =
  | { kind: 'deactivate' }
  | { kind: 'reactivate' }
  | { kind: 'mfa-reset' }
  | { kind: 'password-link' }
  | { kind: 'remove-role'; assignmentId: string; description: string };

async function perform(userId: string, action: Action): Promise<{ user: UserSummary; link?: UserWithLink }> {
  const base = `/api/users/${userId}`;
  switch (action.kind) {
    case 'deactivate':
      return { user: await api.post<UserSummary>(`${base}/deactivate`) };
    case 'reactivate':
      return { user: await api.post<UserSummary>(`${base}/reactivate`) };
    case 'mfa-reset':
      return { user: await api.post<UserSummary>(`${base}/mfa-reset`) };
    case 'password-link': {
      const link = await api.post<UserWithLink>(`${base}/password-link`);
      return { user: link.user, link };
    }
    case 'remove-role':
      return { user: await api.delete<UserSummary>(`${base}/roles/${action.assignmentId}`) };
  }
}

function outcomeMessage(action: Action, user: UserSummary): string {
  switch (action.kind) {
    case 'deactivate':
      return `${user.name} has been deactivated. They can no longer sign in.`;
    case 'reactivate':
      return `${user.name} has been reactivated. They can sign in again.`;
    case 'mfa-reset':
      return `Two-factor authentication has been reset for ${user.name}. They will set it up again the next time they sign in.`;
    case 'password-link':
      return `A new link to set a password has been made for ${user.name}. Any earlier link no longer works.`;
    case 'remove-role':
      return `${action.description} has been removed.`;
  }
}

function UserDetails({ user }: { user: UserSummary }) {
  const queryClient = useQueryClient();
  const location = useLocation();
  const errors = useFormErrors();
  const [outcome, setOutcome] = useState<Outcome | null>(
    (location.state as { saved?: string } | null)?.saved
      ? { message: (location.state as { saved: string }).saved }
      : null,
  );
  usePageTitle(user.name, errors.hasErrors);

  const act = useMutation({
    mutationFn: (action: Action) => perform(user.id, action),
    onMutate: () => {
      setOutcome(null);
      errors.clear();
    },
    onSuccess: ({ user: updated, link }, action) => {
      queryClient.setQueryData([...usersKey, user.id], updated);
      void queryClient.invalidateQueries({ queryKey: [...usersKey, 'list'] });
      setOutcome({ message: outcomeMessage(action, updated), ...(link ? { link } : {}) });
    },
    onError: errors.showError,
  });

  const run = (action: Action) => {
    if (!act.isPending) act.mutate(action);
  };

  return (
    <>
      <BackLink to="/users">Back to users</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {outcome && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{outcome.message}</p>
        </SuccessBanner>
      )}
      <PageHeading caption="User">{user.name}</PageHeading>
      {outcome?.link && (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <SetPasswordLink result={outcome.link} />
          </div>
        </div>
      )}

      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              {
                key: 'Name',
                value: user.name,
                action: (
                  <Link to={`/users/${user.id}/edit`}>
                    Change<span className="nhsuk-u-visually-hidden"> name</span>
                  </Link>
                ),
              },
              {
                key: 'Email address',
                value: user.email,
                action: (
                  <Link to={`/users/${user.id}/edit`}>
                    Change<span className="nhsuk-u-visually-hidden"> email address</span>
                  </Link>
                ),
              },
              {
                key: 'Status',
                value: user.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Deactivated</Tag>,
              },
              { key: 'Password', value: user.hasPassword ? 'Set' : 'Not set yet' },
              { key: 'Two-factor authentication', value: user.mfaEnabled ? 'On' : 'Off' },
              {
                key: 'Last signed in',
                value: user.lastSignedInAt ? formatDateTime(user.lastSignedInAt) : 'Never',
              },
            ]}
          />
        </div>
      </div>

      <h2 className="nhsuk-heading-m">Roles</h2>
      {user.roles.length === 0 ? (
        <p>{user.name} has no roles, so they cannot see anything in Linkwork.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-u-visually-hidden">Roles held by {user.name}</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                Role
              </th>
              <th className="nhsuk-table__header" scope="col">
                Organisation
              </th>
              <th className="nhsuk-table__header" scope="col">
                <span className="nhsuk-u-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {user.roles.map((assignment) => {
              const description = `${roleLabels[assignment.role]} at ${assignment.organisationName}`;
              return (
                <tr className="nhsuk-table__row" key={assignment.id}>
                  <td className="nhsuk-table__cell">{roleLabels[assignment.role]}</td>
                  <td className="nhsuk-table__cell">
                    {assignment.organisationName} ({organisationTypeName(assignment.organisationType)})
                  </td>
                  <td className="nhsuk-table__cell">
                    <button
                      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                      type="button"
                      onClick={() => run({ kind: 'remove-role', assignmentId: assignment.id, description })}
                    >
                      Remove<span className="nhsuk-u-visually-hidden"> {description}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ButtonLink to={`/users/${user.id}/roles/new`} secondary>
        Add a role
      </ButtonLink>

      <h2 className="nhsuk-heading-m">Signing in</h2>
      <p>
        If {user.name} cannot sign in, send them a new link to set their password. If they have lost the phone
        they use for two-factor authentication, reset it.
      </p>
      <div className="app-actions">
        <button
          className="nhsuk-button nhsuk-button--secondary"
          type="button"
          onClick={() => run({ kind: 'password-link' })}
        >
          Send a new set-password link
        </button>
        {user.mfaEnabled && (
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            onClick={() => run({ kind: 'mfa-reset' })}
          >
            Reset two-factor authentication
          </button>
        )}
      </div>

      <h2 className="nhsuk-heading-m">{user.active ? 'Deactivate this user' : 'Reactivate this user'}</h2>
      {user.active ? (
        <>
          <p>
            Deactivate {user.name} when they leave or should no longer use Linkwork. They will be signed out
            straight away. Their records stay.
          </p>
          <button
            className="nhsuk-button nhsuk-button--warning"
            type="button"
            onClick={() => run({ kind: 'deactivate' })}
          >
            Deactivate {user.name}
          </button>
        </>
      ) : (
        <>
          <p>Reactivate {user.name} to let them sign in again with their roles.</p>
          <button className="nhsuk-button" type="button" onClick={() => run({ kind: 'reactivate' })}>
            Reactivate {user.name}
          </button>
        </>
      )}
    </>
  );
}

export function UserPage() {
  const { id = '' } = useParams();
  const user = useUser(id);
  if (user.isPending) return <Loading />;
  if (user.isError) return <ProblemPage error={user.error} />;
  return <UserDetails user={user.data} />;
}
