import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { caseloadStages } from '../../../../src/modules/pathway/contract.ts';
import { isProblem, withQuery } from '../../app/api.ts';
import { formatDate, formatDateTime, formatDayOf, todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Checkboxes } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { FilterForm } from '../../components/filter-form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { Loading, PageHeading, Tag } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { Select } from '../../components/select.tsx';
import { FlagTags } from './caseload-parts.tsx';
import { ageOn, type CaseloadSort, peopleCount, sortLabels, stageLabels, workingDays } from './labels.ts';
import { type Caseload, type CaseloadFilters, useCaseload, useCaseloads } from './queries.ts';

type CaseloadItem = Caseload['items'][number];

const filterNames = ['linkWorkerId', 'stage', 'flagged', 'sort'] as const;
const sorts = Object.keys(sortLabels) as CaseloadSort[];

/** Plainer words than the API's for a filter value edited into the address by hand. */
const filterMessages: Record<string, string> = {
  stage: 'Choose a stage from the list',
  sort: 'Choose an order from the list',
  flagged: 'Tick the box to show only people with a flag, or leave it empty',
};

function filtersFrom(params: URLSearchParams): CaseloadFilters {
  const filters: CaseloadFilters = {};
  for (const name of filterNames) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function Waiting({ item, target }: { item: CaseloadItem; target: number }) {
  return (
    <>
      {item.firstContactAt
        ? `Contacted after ${workingDays(item.workingDaysWaiting)}`
        : workingDays(item.workingDaysWaiting)}
      {item.overTarget && (
        <span className="nhsuk-u-display-block nhsuk-u-margin-top-1">
          <Tag colour="red">Over target</Tag>
          <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0">
            target {workingDays(target)}
          </span>
        </span>
      )}
    </>
  );
}

function LastContact({ item }: { item: CaseloadItem }) {
  const attempts =
    item.failedAttempts > 0
      ? `${item.failedAttempts} failed ${item.failedAttempts === 1 ? 'attempt' : 'attempts'}${item.lastContactAt ? ' since' : ''}`
      : null;
  return (
    <>
      {item.lastContactAt ? formatDayOf(item.lastContactAt) : 'None yet'}
      {attempts && (
        <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0">{attempts}</span>
      )}
    </>
  );
}

function CaseloadTable({ caseload, caption }: { caseload: Caseload; caption: string }) {
  const today = todayInEngland();
  const target = caseload.settings.firstContactTargetWorkingDays;
  return (
    <ResponsiveTable
      caption={caption}
      items={caseload.items}
      itemKey={(item) => item.referralId}
      columns={[
        {
          header: 'Person',
          cell: (item) => (
            <Link to={`/episodes/${encodeURIComponent(item.referralId)}`}>{item.personName}</Link>
          ),
        },
        {
          header: 'Age',
          cell: (item) => (
            <>
              {ageOn(item.dateOfBirth, today) ?? 'Not known'}
              <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0">
                Born {formatDate(item.dateOfBirth)}
              </span>
            </>
          ),
        },
        {
          header: 'Stage',
          cell: (item) => (
            <>
              {stageLabels[item.stage]}
              {item.baselineMeasuresDue > 0 && (
                <span className="nhsuk-u-display-block nhsuk-u-margin-top-1">
                  <Tag colour={item.baselineMeasuresOverdue ? 'red' : 'blue'}>
                    {item.baselineMeasuresOverdue ? 'Baseline measures overdue' : 'Baseline measures due'}
                  </Tag>
                </span>
              )}
              {item.connectionsAwaitingReply > 0 && (
                <span className="nhsuk-u-display-block nhsuk-u-margin-top-1">
                  <Tag colour="orange">
                    {item.connectionsAwaitingReply === 1
                      ? '1 service not replied'
                      : `${item.connectionsAwaitingReply} services not replied`}
                  </Tag>
                </span>
              )}
            </>
          ),
        },
        { header: 'Waiting to first contact', cell: (item) => <Waiting item={item} target={target} /> },
        { header: 'Last contact', cell: (item) => <LastContact item={item} /> },
        {
          header: 'Next appointment',
          cell: (item) => (item.nextAppointmentAt ? formatDateTime(item.nextAppointmentAt) : 'None booked'),
        },
        {
          header: 'Goals due for review',
          cell: (item) => (item.goalsDueForReview === 0 ? 'None' : item.goalsDueForReview),
        },
        {
          header: 'Flags',
          cell: (item) => <FlagTags flags={item.flags} unableToContact={item.unableToContact} />,
        },
      ]}
    />
  );
}

export function CaseloadPage() {
  const me = useSignedIn();
  const [params] = useSearchParams();
  const filters = filtersFrom(params);
  const isLead = me.acting?.roles.includes('lead_link_worker') ?? false;
  const caseload = useCaseload(filters);
  const team = useCaseloads({ enabled: isLead });
  const errors = useFormErrors();
  const { show, clear } = errors;

  const invalid = isProblem(caseload.error, 400) && caseload.error.errors.length > 0 ? caseload.error : null;
  useEffect(() => {
    if (invalid)
      show(
        invalid.errors.map((problem) => ({
          ...problem,
          message: filterMessages[problem.field] ?? problem.message,
        })),
      );
    else clear();
  }, [invalid, show, clear]);

  const someoneElse = Boolean(filters.linkWorkerId && filters.linkWorkerId !== me.user.id);
  const otherName =
    caseload.data?.linkWorker.name ??
    team.data?.linkWorkers.find((row) => row.id === filters.linkWorkerId)?.name ??
    'Link worker';
  const heading = someoneElse ? `${otherName}’s caseload` : 'Your caseload';
  usePageTitle(heading, invalid !== null);

  const filtered = Boolean(filters.stage || filters.flagged === 'true');
  const others = (team.data?.linkWorkers ?? []).filter((row) => row.id !== me.user.id);
  const count = caseload.data?.items.length ?? 0;
  const caption = filtered
    ? `${peopleCount(count)} ${count === 1 ? 'matches' : 'match'} these filters`
    : someoneElse
      ? `People on ${otherName}’s caseload`
      : 'People on your caseload';

  return (
    <>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{heading}</PageHeading>
      <p>
        {someoneElse ? 'People allocated to this link worker' : 'People allocated to you'} whose support is
        still open.
        {caseload.data &&
          ` The PCN’s target for first contact is ${workingDays(caseload.data.settings.firstContactTargetWorkingDays)} from the referral.`}
      </p>

      <FilterForm action="/caseload" label="Filter the caseload">
        <div className="nhsuk-grid-row">
          {isLead && (
            <div className="nhsuk-grid-column-one-third">
              <Select
                id="linkWorkerId"
                label="Link worker"
                placeholder="You (your own caseload)"
                options={others.map((row) => ({ value: row.id, label: row.name }))}
                defaultValue={filters.linkWorkerId ?? ''}
                error={errors.messageFor('linkWorkerId')}
                key={`${filters.linkWorkerId}-${others.length}`}
              />
            </div>
          )}
          <div className="nhsuk-grid-column-one-third">
            <Select
              id="stage"
              label="Stage"
              placeholder="Any stage"
              options={caseloadStages.map((stage) => ({ value: stage, label: stageLabels[stage] }))}
              defaultValue={filters.stage ?? ''}
              error={errors.messageFor('stage')}
              key={filters.stage}
            />
          </div>
          <div className="nhsuk-grid-column-one-third">
            <Select
              id="sort"
              label="Sort by"
              options={sorts.map((sort) => ({ value: sort, label: sortLabels[sort] }))}
              defaultValue={filters.sort ?? 'waiting'}
              error={errors.messageFor('sort')}
              key={filters.sort}
            />
          </div>
        </div>
        <Checkboxes
          id="flagged"
          legend="Flags"
          small
          items={[{ value: 'true', label: 'Only people with a safeguarding concern or risk' }]}
          defaultValues={filters.flagged === 'true' ? ['true'] : []}
          error={errors.messageFor('flagged')}
          key={filters.flagged}
        />
        <div className="app-actions">
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Show people
          </button>
          {(filtered || filters.sort) && (
            <p className="nhsuk-body">
              <Link to={withQuery('/caseload', { linkWorkerId: filters.linkWorkerId })}>Clear filters</Link>
            </p>
          )}
        </div>
      </FilterForm>

      {caseload.isPending && <Loading what="the caseload" />}
      {caseload.isError && !invalid && <InlineProblem error={caseload.error} />}
      {caseload.isSuccess && count === 0 && (
        <p>
          {filtered
            ? 'No one on this caseload matches these filters.'
            : someoneElse
              ? `${otherName} has no one on their caseload at the moment.`
              : 'You have no one on your caseload at the moment.'}
        </p>
      )}
      {caseload.isSuccess && count > 0 && <CaseloadTable caseload={caseload.data} caption={caption} />}
    </>
  );
}
