import { Fragment, type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { FilterForm } from '../../components/filter-form.tsx';
import { InlineProblem } from '../../components/inline-problem.tsx';
import {
  InsetText,
  Loading,
  PageHeading,
  SuccessBanner,
  Tag,
  type TagColour,
} from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import './messages.scss';
import { type DevMessage, type OutboxMessage, useDevInbox, useMessages, useRetryMessage } from './queries.ts';
import { textWithLinks } from './text-links.ts';

const statusLabels: Record<OutboxMessage['status'], { label: string; colour: TagColour }> = {
  queued: { label: 'Waiting to send', colour: 'blue' },
  sending: { label: 'Sending', colour: 'yellow' },
  sent: { label: 'Sent', colour: 'green' },
  failed: { label: 'Failed', colour: 'red' },
  cancelled: { label: 'Cancelled', colour: 'grey' },
};

const templateLabels: Record<string, string> = {
  self_completion_link: 'Questionnaire link',
  appointment_reminder: 'Appointment reminder',
};

const channelLabels: Record<OutboxMessage['channel'], string> = { sms: 'Text message', email: 'Email' };

const statusOptions = Object.entries(statusLabels).map(([value, { label }]) => ({ value, label }));

function filtersFrom(params: URLSearchParams): { status?: string; cursor?: string } {
  const status = params.get('status')?.trim();
  const cursor = params.get('cursor')?.trim();
  return { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) };
}

/** Text with its web addresses as links, so a self-completion link can be opened from the development inbox. */
function WithLinks({ text }: { text: string }) {
  return (
    <>
      {textWithLinks(text).map((part, index) =>
        part.link ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
          <a key={index} href={part.text}>
            {part.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}

function Cell({ header, children, nowrap }: { header: string; children: ReactNode; nowrap?: boolean }) {
  return (
    <td className={`nhsuk-table__cell${nowrap ? ' app-table-nowrap' : ''}`}>
      <span className="nhsuk-table__heading" aria-hidden="true">
        {header}
      </span>
      <div>{children}</div>
    </td>
  );
}

function MessageRow({
  message,
  onRetry,
  retrying,
}: {
  message: OutboxMessage;
  onRetry: (id: string) => void;
  retrying: boolean;
}) {
  const status = statusLabels[message.status];
  const what = `${templateLabels[message.template] ?? message.template} to ${message.recipient}`;
  return (
    <tr className={`nhsuk-table__row${message.status === 'failed' ? ' app-message-failed' : ''}`}>
      <Cell header="Queued" nowrap>
        {formatDateTime(message.createdAt)}
      </Cell>
      <Cell header="Message">
        {templateLabels[message.template] ?? message.template}
        <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0">
          {channelLabels[message.channel]}
          {message.organisationName ? `, ${message.organisationName}` : ''}
        </span>
      </Cell>
      <Cell header="To" nowrap>
        {message.recipient}
      </Cell>
      <Cell header="Status">
        <Tag colour={status.colour}>{status.label}</Tag>
        <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0">
          {message.status === 'sent' && message.sentAt && `Sent ${formatDateTime(message.sentAt)}`}
          {message.status === 'queued' &&
            message.attempts > 0 &&
            message.nextAttemptAt &&
            `Tries again ${formatDateTime(message.nextAttemptAt)}`}
          {message.attempts > 0 &&
            ` (${message.attempts} ${message.attempts === 1 ? 'attempt' : 'attempts'})`}
        </span>
        {message.lastError && message.status !== 'sent' && (
          <p
            className={`nhsuk-body-s nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0${
              message.status === 'failed' ? ' app-message-error' : ''
            }`}
          >
            {message.status === 'failed' && <span className="nhsuk-u-visually-hidden">Error: </span>}
            {message.lastError}
          </p>
        )}
      </Cell>
      <td className="nhsuk-table__cell">
        {message.status === 'failed' && (
          <button
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
            type="button"
            disabled={retrying}
            onClick={() => onRetry(message.id)}
          >
            Try again<span className="nhsuk-u-visually-hidden">: {what}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

function Outbox() {
  const [params] = useSearchParams();
  const filters = filtersFrom(params);
  const messages = useMessages(filters);
  const retry = useRetryMessage();
  const [retried, setRetried] = useState<OutboxMessage | null>(null);
  const tryAgain = (id: string) => {
    setRetried(null);
    retry.mutate(id, { onSuccess: (message) => setRetried(message) });
  };
  const nextHref = messages.data?.nextCursor
    ? withQuery('/messages', { ...filters, cursor: messages.data.nextCursor })
    : null;
  const firstHref = filters.cursor ? withQuery('/messages', { ...filters, cursor: undefined }) : null;
  const failedHere = messages.data?.items.filter((m) => m.status === 'failed').length ?? 0;

  return (
    <>
      {retried && (
        <SuccessBanner>
          <p className="nhsuk-body nhsuk-u-margin-bottom-0">
            The {templateLabels[retried.template]?.toLowerCase() ?? 'message'} to {retried.recipient} will be
            sent again in a moment.
          </p>
        </SuccessBanner>
      )}
      {retry.isError && <InlineProblem error={retry.error} />}

      <FilterForm action="/messages" label="Filter messages">
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-third">
            <Select
              id="status"
              label="Status"
              placeholder="Any status"
              options={statusOptions}
              defaultValue={filters.status ?? ''}
              key={filters.status ?? ''}
            />
          </div>
        </div>
        <div className="app-actions">
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Show messages
          </button>
          {filters.status && (
            <p className="nhsuk-body">
              <Link to="/messages">Clear filter</Link>
            </p>
          )}
        </div>
      </FilterForm>

      {messages.isPending && <Loading what="messages" />}
      {messages.isError && <InlineProblem error={messages.error} />}
      {messages.isSuccess && messages.data.items.length === 0 && (
        <p>{filters.status ? 'No messages have this status.' : 'No messages have been sent yet.'}</p>
      )}
      {messages.isSuccess && messages.data.items.length > 0 && (
        <>
          {failedHere > 0 && !filters.status && (
            <InsetText>
              <p>
                {failedHere === 1 ? '1 message' : `${failedHere} messages`} on this page could not be sent.
                Check the reason, put right what you can (such as the person’s mobile number), then choose
                “Try again”.
              </p>
            </InsetText>
          )}
          <table className="nhsuk-table nhsuk-table--responsive">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">
              Messages, newest first{filters.cursor ? ' (continued)' : ''}
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                {['Queued', 'Message', 'To', 'Status'].map((heading) => (
                  <th className="nhsuk-table__header" scope="col" key={heading}>
                    {heading}
                  </th>
                ))}
                <th className="nhsuk-table__header" scope="col">
                  <span className="nhsuk-u-visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {messages.data.items.map((message) => (
                <MessageRow
                  key={message.id}
                  message={message}
                  onRetry={tryAgain}
                  retrying={retry.isPending && retry.variables === message.id}
                />
              ))}
            </tbody>
          </table>
        </>
      )}

      {(nextHref || firstHref) && (
        <nav className="nhsuk-pagination" aria-label="Pages of messages">
          <ul className="nhsuk-list nhsuk-pagination__list">
            {firstHref && (
              <li className="nhsuk-pagination-item--previous">
                <Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={firstHref}>
                  <span className="nhsuk-pagination__title">
                    Newest<span className="nhsuk-u-visually-hidden"> messages</span>
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
                  <span className="nhsuk-pagination__page">Older messages</span>
                </Link>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}

function DevMessageCard({ message }: { message: DevMessage }) {
  return (
    <div className="nhsuk-card">
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s">
          {message.subject ?? channelLabels[message.channel]}
          <span className="nhsuk-caption-m nhsuk-u-margin-top-1">
            {channelLabels[message.channel]} to {message.recipient}, {formatDateTime(message.createdAt)}
          </span>
        </h3>
        <p className="nhsuk-card__description app-message-text">
          <WithLinks text={message.body} />
        </p>
      </div>
    </div>
  );
}

function DevelopmentInbox() {
  const inbox = useDevInbox({ enabled: true });
  return (
    <section aria-labelledby="development-inbox">
      <h2 className="nhsuk-heading-m" id="development-inbox">
        Development inbox
      </h2>
      <InsetText>
        <p>
          This Linkwork is not connected to GOV.UK Notify, so it sends no text messages or emails. Each
          message it would have sent is kept here instead, newest first, with its links, so you can open a
          questionnaire link yourself.
        </p>
      </InsetText>
      {inbox.isPending && <Loading what="the development inbox" />}
      {inbox.isError && <InlineProblem error={inbox.error} />}
      {inbox.isSuccess && inbox.data.items.length === 0 && <p>Nothing has been sent yet.</p>}
      {inbox.isSuccess &&
        inbox.data.items.map((message) => <DevMessageCard key={message.id} message={message} />)}
    </section>
  );
}

/** Messages: what Linkwork has sent or is sending, failures to try again, and in development what it would send. */
export function MessagesPage() {
  const me = useSignedIn();
  const [params] = useSearchParams();
  const messages = useMessages(filtersFrom(params));
  usePageTitle('Messages');
  const isAdmin = me.acting?.roles.includes('admin') ?? false;

  return (
    <>
      <PageHeading>Messages</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            The text messages and emails Linkwork sends for your organisation: questionnaire links and
            appointment reminders. A message that cannot be sent is tried again several times over the
            following hours; if it still fails it shows here with the reason.
          </p>
        </div>
      </div>
      <Outbox />
      {isAdmin && messages.data?.transport === 'dev' && <DevelopmentInbox />}
    </>
  );
}
