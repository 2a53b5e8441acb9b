import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { actingBody } from '../../../../src/modules/identity/contract.ts';
import { api } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { fetchMe, meKey, useSignedIn } from '../../app/session.tsx';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, TwoThirds } from '../../components/page-parts.tsx';
import { organisationTypeName } from '../organisations/labels.ts';
import { roleList } from './labels.ts';

export function ActingOrganisationPage() {
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const errors = useFormErrors({ anchors: { organisationId: 'organisationId' } });
  usePageTitle('Which organisation are you working for?', errors.hasErrors);

  const choose = useMutation({
    mutationFn: (body: { organisationId: string }) => api.put<unknown>('/api/me/acting-organisation', body),
    onSuccess: async () => {
      // Everything cached was seen on behalf of the previous organisation.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
      await queryClient.fetchQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 0 });
      navigate(from ?? '/');
    },
    onError: errors.showError,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (choose.isPending) return;
    const body = { organisationId: String(new FormData(event.currentTarget).get('organisationId') ?? '') };
    const problems = check(actingBody, body);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    choose.mutate(body);
  };

  return (
    <TwoThirds>
      {me.acting && <BackLink to="/">Back</BackLink>}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <form onSubmit={submit} noValidate>
        <Radios
          id="organisationId"
          legend="Which organisation are you working for?"
          legendSize="l"
          isPageHeading
          hint="You have roles at more than one organisation. You will see and do things on behalf of the one you choose. You can change this at any time."
          error={errors.messageFor('organisationId')}
          defaultValue={me.acting?.organisationId}
          items={me.memberships.map((membership) => ({
            value: membership.organisationId,
            label: membership.organisationName,
            hint: `${organisationTypeName(membership.organisationType)} – ${roleList(membership.roles)}`,
          }))}
        />
        <button className="nhsuk-button" type="submit">
          Continue
        </button>
      </form>
    </TwoThirds>
  );
}
