import type { FormEvent } from 'react';
import { useLocation, useParams, useSearchParams } from 'react-router';
import type { LinkWorkerContext } from '../../../../src/modules/link-workers/contract.ts';
import { isProblem } from '../../app/api.ts';
import { formatDate, todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
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
import { ContextSummary, dateRange } from './context-summary.tsx';
import { type LinkWorkerProfile, useContextOn, useLinkWorker } from './queries.ts';

function AsItWasOn({ linkWorker }: { linkWorker: LinkWorkerProfile }) {
  const [params, setParams] = useSearchParams();
  const on = params.get('on');
  const date = on && /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : null;
  const context = useContextOn(linkWorker.id, date);
  const errors = useFormErrors({ anchors: { on: 'on-day' } });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reading = readDate(new FormData(event.currentTarget), 'on', 'The date');
    if (reading.kind === 'empty')
      return errors.show([{ field: 'on', message: 'Enter the date you want to look up' }]);
    if (reading.kind === 'invalid') return errors.show([{ field: 'on', message: reading.message }]);
    errors.clear();
    setParams({ on: reading.value }, { replace: true, preventScrollReset: true });
  };

  return (
    <section aria-labelledby="as-it-was-on">
      <h2 className="nhsuk-heading-m" id="as-it-was-on">
        Look up a date
      </h2>
      <p>See the arrangements that applied on a particular day, for example when a referral was made.</p>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <form onSubmit={submit} noValidate>
        <DateInput
          id="on"
          legend="Date to look up"
          hint="For example, 15 3 2026"
          defaultValue={date}
          error={errors.messageFor('on')}
        />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Look up
        </button>
      </form>
      {date && (
        <div aria-live="polite">
          {context.isPending && <Loading what="arrangements" />}
          {isProblem(context.error, 404) && (
            <p>
              <strong>No context was recorded for {formatDate(date)}.</strong>
            </p>
          )}
          {context.isError && !isProblem(context.error, 404) && <InlineProblem error={context.error} />}
          {context.isSuccess && (
            <div className="nhsuk-card">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading nhsuk-heading-s">On {formatDate(date)}</h3>
                <ContextSummary context={context.data} />
              </div>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function HistoryCard({ context }: { context: LinkWorkerContext }) {
  return (
    <div className="nhsuk-card">
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s">{dateRange(context)}</h3>
        <ContextSummary context={context} />
      </div>
    </div>
  );
}

function Profile({ linkWorker }: { linkWorker: LinkWorkerProfile }) {
  const me = useSignedIn();
  const location = useLocation();
  const saved = (location.state as { saved?: string } | null)?.saved;
  const roles = me.acting?.roles ?? [];
  const canRecord = roles.includes('admin') || roles.includes('lead_link_worker');
  const isMe = me.user.id === linkWorker.id;
  usePageTitle(isMe ? 'Your working arrangements' : linkWorker.name);
  const today = todayInEngland();
  const planned = linkWorker.history.filter((context) => context.effectiveFrom > today).reverse();
  const earlier = linkWorker.history.filter(
    (context) => context.id !== linkWorker.current?.id && context.effectiveFrom <= today,
  );

  return (
    <>
      {canRecord && <BackLink to="/link-workers">Back to link workers</BackLink>}
      {saved && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{saved}</p>
        </SuccessBanner>
      )}
      <PageHeading caption={isMe ? undefined : 'Link worker'}>
        {isMe ? 'Your working arrangements' : linkWorker.name}
      </PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              { key: 'Email address', value: linkWorker.email },
              { key: 'PCN', value: linkWorker.pcns.map((pcn) => pcn.name).join(', ') || 'None' },
              {
                key: 'Status',
                value: linkWorker.active ? (
                  <Tag colour="green">Active</Tag>
                ) : (
                  <Tag colour="grey">Deactivated</Tag>
                ),
              },
            ]}
          />

          <h2 className="nhsuk-heading-m">Current arrangements</h2>
          {linkWorker.current ? (
            <ContextSummary context={linkWorker.current} />
          ) : (
            <p>{planned.length > 0 ? 'No arrangements apply today.' : 'Nothing has been recorded yet.'}</p>
          )}
          {canRecord && (
            <ButtonLink to={`/link-workers/${linkWorker.id}/contexts/new`}>
              Record a change in context
            </ButtonLink>
          )}

          {planned.length > 0 && (
            <>
              <h2 className="nhsuk-heading-m">Changes already recorded for later dates</h2>
              {planned.map((context) => (
                <HistoryCard context={context} key={context.id} />
              ))}
            </>
          )}

          <AsItWasOn linkWorker={linkWorker} />

          <h2 className="nhsuk-heading-m">Earlier arrangements</h2>
          {earlier.length === 0 ? (
            <p>There are no earlier arrangements.</p>
          ) : (
            earlier.map((context) => <HistoryCard context={context} key={context.id} />)
          )}
        </div>
      </div>
    </>
  );
}

export function LinkWorkerPage() {
  const { id = '' } = useParams();
  const linkWorker = useLinkWorker(id);
  if (linkWorker.isPending) return <Loading />;
  if (linkWorker.isError) return <ProblemPage error={linkWorker.error} />;
  return <Profile linkWorker={linkWorker.data} />;
}
