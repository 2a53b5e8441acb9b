import { type FormEvent, useRef, useState } from 'react';
import { Link } from 'react-router';
import { connectionStatusBody } from '../../../../src/modules/connections/contract.ts';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { isProblem } from '../../app/api.ts';
import { formatDate, formatDateTime, todayInEngland } from '../../app/format.ts';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { ButtonLink, Loading, SummaryList, Tag } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { servicePath } from '../directory/directory-parts.tsx';
import {
  type ConnectionStatus,
  connectionKindLabels,
  connectionStatusColours,
  connectionStatusLabels,
  daysCount,
} from '../directory/labels.ts';
import {
  type Connection,
  useConnections,
  useReloadConnections,
  useUpdateConnection,
} from '../directory/queries.ts';
import { isStale, Written } from './episode-parts.tsx';
import { dateProblems, dateValue, textOf } from './form-values.ts';

/** Where a connection is, with a warning when the service has not replied for longer than the ICB expects. */
function ConnectionStatusTags({ connection, replyDays }: { connection: Connection; replyDays: number }) {
  return (
    <>
      <Tag colour={connectionStatusColours[connection.status]}>
        {connectionStatusLabels[connection.status]}
      </Tag>
      {connection.awaitingReplyTooLong && (
        <>
          {' '}
          <Tag colour="red">No reply for over {daysCount(replyDays)}</Tag>
        </>
      )}
    </>
  );
}

function UpdateForm({
  connection,
  referralId,
  onSaved,
}: {
  connection: Connection;
  referralId: string;
  onSaved: (message: string) => void;
}) {
  const prefix = `connection-${connection.id}`;
  const ids = {
    status: `${prefix}-status`,
    on: `${prefix}-on`,
    reason: `${prefix}-reason`,
    note: `${prefix}-note`,
  };
  const errors = useFormErrors({
    aliases: { status: ids.status, on: ids.on, reason: ids.reason, note: ids.note },
    anchors: { [ids.on]: `${ids.on}-day` },
  });
  const update = useUpdateConnection(referralId);
  const reload = useReloadConnections(referralId);
  const detailsRef = useRef<HTMLDetailsElement>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    const form = new FormData(event.currentTarget);
    const on = readDate(form, ids.on, 'The date', '26 11 2026');
    const status = textOf(form, ids.status);
    const reason = textOf(form, ids.reason);
    const note = textOf(form, ids.note);
    const body = {
      status: status || undefined,
      on: dateValue(on) ?? '',
      version: connection.version,
      ...(reason ? { reason } : {}),
      ...(note ? { note } : {}),
    };
    const problems = dateProblems(
      check(connectionStatusBody, body, { status: 'Choose what happened' }),
      'on',
      on,
      'Enter the date it happened',
    );
    if (status === 'declined' && !reason)
      problems.push({ field: 'reason', message: 'Say why it was declined' });
    if (on.kind === 'date' && on.value > todayInEngland())
      problems.push({ field: 'on', message: 'The date must be today or in the past' });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    const chosen = status as ConnectionStatus;
    update.mutate(
      { ...body, id: connection.id, status: chosen },
      {
        onSuccess: () => {
          if (detailsRef.current) detailsRef.current.open = false;
          onSaved(`${connection.serviceName}: ${connectionStatusLabels[chosen].toLowerCase()}.`);
        },
        onError: async (error) => {
          if (isStale(error)) {
            errors.show([
              {
                field: '',
                message:
                  'Someone else updated this connection. It now shows what they recorded: check it and try again.',
              },
            ]);
            await reload();
          } else if (isProblem(error) && error.errors.length > 0) errors.show(error.errors);
          else errors.showError(error);
        },
      },
    );
  };

  return (
    <details className="nhsuk-details" ref={detailsRef} open={errors.hasErrors}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          Update<span className="nhsuk-u-visually-hidden"> {connection.serviceName}</span>
        </span>
      </summary>
      <div className="nhsuk-details__text">
        <ErrorSummary items={errors.items} attempt={errors.attempt} />
        <form onSubmit={submit} noValidate>
          <Select
            id={ids.status}
            label="What happened?"
            placeholder="Choose what happened"
            options={connection.next.map((status) => ({
              value: status,
              label: connectionStatusLabels[status],
            }))}
            error={errors.messageFor(ids.status)}
          />
          <DateInput
            id={ids.on}
            legend="When?"
            hint="For example, 26 11 2026"
            defaultValue={todayInEngland()}
            error={errors.messageFor(ids.on)}
          />
          <Textarea
            id={ids.reason}
            label="Why? (needed if the service declined)"
            hint="For example, the group is full until September"
            rows={2}
            error={errors.messageFor(ids.reason)}
          />
          <Textarea id={ids.note} label="Note (optional)" rows={2} error={errors.messageFor(ids.note)} />
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
            Save update<span className="nhsuk-u-visually-hidden"> for {connection.serviceName}</span>
          </button>
        </form>
      </div>
    </details>
  );
}

function Events({ connection }: { connection: Connection }) {
  const events = [...connection.events].reverse();
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          History ({events.length})
          <span className="nhsuk-u-visually-hidden"> of {connection.serviceName}</span>
        </span>
      </summary>
      <div className="nhsuk-details__text">
        <ol className="nhsuk-list app-connection__events" reversed>
          {events.map((event) => (
            <li key={`${event.recordedAt}-${event.status}`}>
              <strong>{connectionStatusLabels[event.status]}</strong> on {formatDate(event.on)}
              {event.reason && (
                <Written text={`Why: ${event.reason}`} className="nhsuk-body-s nhsuk-u-margin-bottom-1" />
              )}
              {event.note && <Written text={event.note} className="nhsuk-body-s nhsuk-u-margin-bottom-1" />}
              <p className="nhsuk-body-s nhsuk-u-secondary-text-colour">
                Recorded by {event.recordedBy}, {formatDateTime(event.recordedAt)}
              </p>
            </li>
          ))}
        </ol>
      </div>
    </details>
  );
}

function ConnectionCard({
  connection,
  episode,
  replyDays,
  onSaved,
}: {
  connection: Connection;
  episode: Episode;
  replyDays: number;
  onSaved: (message: string) => void;
}) {
  const open = episode.status === 'accepted';
  return (
    <div className="nhsuk-card app-connection">
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s">
          <Link to={servicePath(connection.serviceId, episode.referralId)}>{connection.serviceName}</Link>
        </h3>
        <SummaryList
          noBorder
          rows={[
            { key: 'How', value: connectionKindLabels[connection.kind].label },
            {
              key: 'Status',
              value: <ConnectionStatusTags connection={connection} replyDays={replyDays} />,
            },
            { key: 'Since', value: formatDate(connection.statusOn) },
            { key: 'Goal', value: connection.goalDescription ?? 'Not linked to a goal' },
            ...(connection.note ? [{ key: 'Note', value: <Written text={connection.note} /> }] : []),
          ]}
        />
        {open && connection.next.length > 0 && (
          <UpdateForm connection={connection} referralId={episode.referralId} onSaved={onSaved} />
        )}
        <Events connection={connection} />
      </div>
    </div>
  );
}

/** The episode page's community services: what the person was connected to, and what happened. */
export function Connections({ episode }: { episode: Episode }) {
  const connections = useConnections(episode.referralId);
  const [saved, setSaved] = useState<string | null>(null);
  const savedRef = useRef<HTMLParagraphElement>(null);
  const onSaved = (message: string) => {
    setSaved(message);
    // After the list refreshes, say what was saved where the person is.
    window.setTimeout(() => savedRef.current?.focus(), 0);
  };
  const open = episode.status === 'accepted';
  const items = connections.data?.items ?? [];
  return (
    <section aria-labelledby="community-services-heading">
      <h2 className="nhsuk-heading-l" id="community-services-heading">
        Community services
      </h2>
      {saved && (
        <p className="nhsuk-body app-connection__saved" role="status" tabIndex={-1} ref={savedRef}>
          <Tag colour="green">Saved</Tag> {saved}
        </p>
      )}
      {connections.isPending && <Loading what="community services" />}
      {connections.isError && <InlineProblem error={connections.error} />}
      {connections.isSuccess && items.length === 0 && (
        <p>{episode.personName} has not been connected to a community service yet.</p>
      )}
      {items.map((connection) => (
        <ConnectionCard
          key={connection.id}
          connection={connection}
          episode={episode}
          replyDays={connections.data?.replyExpectedWithinDays ?? 10}
          onSaved={onSaved}
        />
      ))}
      {open && (
        <ButtonLink to={`/directory?referral=${encodeURIComponent(episode.referralId)}`} secondary>
          Find a service for {episode.personName}
        </ButtonLink>
      )}
    </section>
  );
}
