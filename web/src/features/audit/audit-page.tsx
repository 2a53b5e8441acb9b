import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AuditEvent } from '../../../../src/modules/audit/contract.ts';
import { api, isProblem, withQuery } from '../../app/api.ts';
import { formatDateTime, shortId } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { FilterForm } from '../../components/filter-form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { Loading, PageHeading } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';

const filterNames = ['actorUserId', 'action', 'recordType', 'recordId', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof filterNames)[number] | 'cursor', string>>;

function filtersFrom(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of [...filterNames, 'cursor'] as const) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function Id({ value }: { value: string | null }) {
  if (!value) return <span>None</span>;
  return (
    <span className="app-table-ids" title={value}>
      {shortId(value)}
    </span>
  );
}

/** A shortened id that filters the log down to events about it. */
function IdFilterLink({
  value,
  label,
  filter,
  what,
}: {
  value: string | null;
  label?: string | null;
  filter: 'recordId' | 'actorUserId';
  what: string;
}) {
  if (!value) return <span>None</span>;
  return (
    <Link
      className={label ? undefined : 'app-table-ids'}
      to={withQuery('/audit', { [filter]: value })}
      title={value}
    >
      {label ?? shortId(value)}
      <span className="nhsuk-u-visually-hidden">: show events {what}</span>
    </Link>
  );
}

function EventRow({ event }: { event: AuditEvent }) {
  return (
    <tr className="nhsuk-table__row">
      <td className="nhsuk-table__cell app-table-nowrap">{formatDateTime(event.occurredAt)}</td>
      <td className="nhsuk-table__cell">{event.action}</td>
      <td className="nhsuk-table__cell">{event.recordType ?? 'None'}</td>
      <td className="nhsuk-table__cell">
        {event.recordIds.length === 0
          ? 'None'
          : event.recordIds.map((id, index) => (
              <span key={id}>
                {index > 0 && ', '}
                <IdFilterLink value={id} filter="recordId" what="about this record" />
              </span>
            ))}
      </td>
      <td className="nhsuk-table__cell">
        <IdFilterLink
          value={event.actorUserId}
          label={event.actorName}
          filter="actorUserId"
          what="done by this user"
        />
      </td>
      <td className="nhsuk-table__cell">
        {event.actingOrganisationName ?? <Id value={event.actingOrganisationId} />}
      </td>
      <td className="nhsuk-table__cell">
        <Id value={event.requestId} />
      </td>
    </tr>
  );
}

export function AuditPage() {
  const [params] = useSearchParams();
  const filters = filtersFrom(params);
  const errors = useFormErrors();
  const { show, clear } = errors;
  const events = useQuery({
    queryKey: ['audit', filters],
    queryFn: () =>
      api.get<{ items: AuditEvent[]; nextCursor: string | null }>(
        withQuery('/api/audit', { ...filters, limit: 50 }),
      ),
  });
  const invalid = isProblem(events.error, 400) && events.error.errors.length > 0 ? events.error : null;
  usePageTitle('Audit log', invalid !== null);

  useEffect(() => {
    if (invalid) show(invalid.errors);
    else clear();
  }, [invalid, show, clear]);

  const filtered = filterNames.some((name) => filters[name]);
  const nextHref = events.data?.nextCursor
    ? withQuery('/audit', { ...filters, cursor: events.data.nextCursor })
    : null;
  const firstHref = filters.cursor ? withQuery('/audit', { ...filters, cursor: undefined }) : null;

  return (
    <>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>Audit log</PageHeading>
      <p>Everything that changes a record, and every sign-in, is written here. Newest first.</p>

      <FilterForm action="/audit" label="Filter the audit log">
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-third">
            <TextInput
              id="action"
              label="Action"
              hint="For example, auth.sign_in"
              defaultValue={filters.action ?? ''}
              spellCheck={false}
              error={errors.messageFor('action')}
            />
          </div>
          <div className="nhsuk-grid-column-one-third">
            <TextInput
              id="recordType"
              label="Record type"
              hint="For example, user or organisation"
              defaultValue={filters.recordType ?? ''}
              spellCheck={false}
              error={errors.messageFor('recordType')}
            />
          </div>
          <div className="nhsuk-grid-column-one-third">
            <TextInput
              id="recordId"
              label="Record id"
              hint="The full id of one record"
              defaultValue={filters.recordId ?? ''}
              spellCheck={false}
              error={errors.messageFor('recordId')}
            />
          </div>
        </div>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-third">
            <TextInput
              id="actorUserId"
              label="Done by (user id)"
              hint="The full id of a user"
              defaultValue={filters.actorUserId ?? ''}
              spellCheck={false}
              error={errors.messageFor('actorUserId')}
            />
          </div>
          <div className="nhsuk-grid-column-one-third">
            <TextInput
              id="from"
              label="From"
              hint="For example, 2026-11-01"
              width={10}
              defaultValue={filters.from ?? ''}
              error={errors.messageFor('from')}
            />
          </div>
          <div className="nhsuk-grid-column-one-third">
            <TextInput
              id="to"
              label="To"
              hint="For example, 2026-11-30"
              width={10}
              defaultValue={filters.to ?? ''}
              error={errors.messageFor('to')}
            />
          </div>
        </div>
        <div className="app-actions">
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Filter events
          </button>
          {filtered && (
            <p className="nhsuk-body">
              <Link to="/audit">Clear filters</Link>
            </p>
          )}
        </div>
      </FilterForm>

      {events.isPending && <Loading what="events" />}
      {events.isError && !invalid && <InlineProblem error={events.error} />}
      {events.isSuccess && events.data.items.length === 0 && <p>No events match these filters.</p>}
      {events.isSuccess && events.data.items.length > 0 && (
        <div className="nhsuk-table-container">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">
              Events{filters.cursor ? ' (continued)' : ''}
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                {['When', 'Action', 'Record type', 'Records', 'Done by', 'Acting for', 'Request'].map(
                  (heading) => (
                    <th className="nhsuk-table__header" scope="col" key={heading}>
                      {heading}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {events.data.items.map((event) => (
                <EventRow event={event} key={event.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {(nextHref || firstHref) && (
        <nav className="nhsuk-pagination" aria-label="Pagination">
          <ul className="nhsuk-list nhsuk-pagination__list">
            {firstHref && (
              <li className="nhsuk-pagination-item--previous">
                <Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={firstHref}>
                  <span className="nhsuk-pagination__title">
                    Newest<span className="nhsuk-u-visually-hidden"> events</span>
                  </span>
                  <span className="nhsuk-u-visually-hidden">:</span>
                  <span className="nhsuk-pagination__page">Back to the first page</span>
                </Link>
              </li>
            )}
            {nextHref && (
              <li className="nhsuk-pagination-item--next">
                <Link
                  className="nhsuk-pagination__link nhsuk-pagination__link--next"
                  to={nextHref}
                  rel="next"
                >
                  <span className="nhsuk-pagination__title">
                    Next<span className="nhsuk-u-visually-hidden"> page</span>
                  </span>
                  <span className="nhsuk-u-visually-hidden">:</span>
                  <span className="nhsuk-pagination__page">Older events</span>
                </Link>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}
