import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import {
  BackLink,
  Loading,
  PageHeading,
  SuccessBanner,
  SummaryList,
  TwoThirds,
} from '../../components/page-parts.tsx';
import { NotFoundPage, ProblemPage } from '../../components/problem-page.tsx';
import { useSavedMessage } from '../episodes/episode-parts.tsx';
import { TermCheckboxes } from './directory-parts.tsx';
import {
  type Need,
  type TaxonomyTerm,
  useDirectoryNeeds,
  useDirectoryTerms,
  useSaveNeedTerms,
} from './queries.ts';

const needPath = (need: string) => `/directory/needs/${encodeURIComponent(need)}`;

/** Which kinds of service answer each need: what a search by need looks for. */
export function NeedsPage() {
  const needs = useDirectoryNeeds();
  const saved = useSavedMessage();
  usePageTitle('Needs and kinds of service');
  if (needs.isPending) return <Loading />;
  if (needs.isError) return <ProblemPage error={needs.error} />;
  return (
    <TwoThirds>
      <BackLink to="/directory">Back to find services</BackLink>
      {saved && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{saved}</p>
        </SuccessBanner>
      )}
      <PageHeading>Needs and kinds of service</PageHeading>
      <p>
        When a link worker looks for services for a need, Linkwork finds services tagged with these kinds of
        service. Change them to suit the services in your area.
      </p>
      <SummaryList
        rows={needs.data.items.map((need) => ({
          key: need.label,
          value:
            need.terms.length === 0 ? (
              <span className="nhsuk-u-secondary-text-colour">
                None yet: a search by this need finds nothing
              </span>
            ) : (
              need.terms.map((term) => term.name).join(', ')
            ),
          action: (
            <Link to={needPath(need.need)}>
              Change
              <span className="nhsuk-u-visually-hidden">
                {' '}
                the kinds of service for {need.label.toLowerCase()}
              </span>
            </Link>
          ),
        }))}
      />
    </TwoThirds>
  );
}

function NeedTermsForm({ need, terms }: { need: Need; terms: TaxonomyTerm[] }) {
  const navigate = useNavigate();
  const errors = useFormErrors({ aliases: { items: 'terms' } });
  const save = useSaveNeedTerms();
  const title = need.label;
  usePageTitle(`Kinds of service for ${need.label.toLowerCase()}`, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    const termIds = new FormData(event.currentTarget).getAll('termIds').map(String);
    errors.clear();
    save.mutate(
      { items: [{ need: need.need, termIds }] },
      {
        onSuccess: () =>
          navigate('/directory/needs', {
            state: { saved: `Kinds of service for ${need.label.toLowerCase()} saved.` },
          }),
        onError: errors.showError,
      },
    );
  };

  return (
    <TwoThirds>
      <BackLink to="/directory/needs">Back to needs and kinds of service</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption="Needs and kinds of service">{title}</PageHeading>
      <form onSubmit={submit} noValidate>
        <TermCheckboxes
          id="terms"
          legend="Which kinds of service help with it?"
          hint="A search for this need finds services tagged with any of them"
          terms={terms}
          checked={need.terms.map((term) => term.id)}
          error={errors.messageFor('terms')}
        />
        <button className="nhsuk-button" type="submit">
          Save
        </button>
      </form>
    </TwoThirds>
  );
}

export function NeedTermsPage() {
  const { need: code = '' } = useParams();
  const needs = useDirectoryNeeds();
  const terms = useDirectoryTerms();
  if (needs.isPending || terms.isPending) return <Loading />;
  if (needs.isError) return <ProblemPage error={needs.error} />;
  if (terms.isError) return <ProblemPage error={terms.error} />;
  const need = needs.data.items.find((item) => item.need === code);
  if (!need) return <NotFoundPage detail="There is no need with this code." />;
  return <NeedTermsForm need={need} terms={terms.data} />;
}
