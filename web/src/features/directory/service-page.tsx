import { type FormEvent, useRef, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { type FieldProblem, isProblem } from '../../app/api.ts';
import { formatDate, formatDateTime, formatDayOf } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import {
  BackLink,
  ButtonLink,
  Loading,
  PageHeading,
  SuccessBanner,
  SummaryList,
  Tag,
  TwoThirds,
} from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { isStale, WarningCallout, Written } from '../episodes/episode-parts.tsx';
import {
  canCheckDirectory,
  canEditDirectory,
  connectPath,
  ServiceStatusTag,
  StaleTag,
} from './directory-parts.tsx';
import { type ReportKind, reportKindLabels, type ServiceStatus, serviceStatusLabels } from './labels.ts';
import {
  type OpenReport,
  type ServiceDetail,
  useDirectoryService,
  useEpisodeFor,
  useReloadService,
  useReportService,
  useResolveReport,
  useVerifyService,
} from './queries.ts';
import { type Json, serviceView } from './service-view.ts';

const changeLabels: Record<string, string> = {
  created: 'Added',
  edited: 'Changed',
  imported: 'Imported',
  verified: 'Verified',
  reported: 'Changed after a report',
};

const reportKinds = Object.keys(reportKindLabels) as ReportKind[];
const resolveStatuses: ('' | ServiceStatus)[] = ['', 'active', 'temporarily closed', 'inactive', 'defunct'];

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function notShown(what: string) {
  return <span className="nhsuk-u-secondary-text-colour">Not shown: fewer than 5 {what}</span>;
}

/** How link workers across the ICB used the service: counts only, and percentages only from 5 replies up. */
function Usage({ usage }: { usage: ServiceDetail['usage'] }) {
  return (
    <>
      <h2 className="nhsuk-heading-m">How link workers used it</h2>
      <p className="nhsuk-body-s">
        Across every PCN in the ICB. Percentages are shown only once at least 5 people have a reply or an
        outcome, so no one can be recognised.
      </p>
      <SummaryList
        rows={[
          {
            key: 'Connections made',
            value: usage.connections === 0 ? 'None yet' : usage.connections.toLocaleString('en-GB'),
          },
          {
            key: 'Referrals accepted',
            value: usage.acceptedPercent === null ? notShown('replies') : `${usage.acceptedPercent}%`,
          },
          {
            key: 'People who went',
            value:
              usage.attendedPercent === null ? notShown('outcomes recorded') : `${usage.attendedPercent}%`,
          },
          {
            key: 'Typical wait for a reply',
            value:
              usage.typicalWaitDays === null
                ? notShown('replies')
                : usage.typicalWaitDays === 1
                  ? '1 day'
                  : `${usage.typicalWaitDays} days`,
          },
        ]}
      />
    </>
  );
}

function ReportForm({
  detail,
  errors,
  onDone,
}: {
  detail: ServiceDetail;
  errors: FormErrors;
  onDone: (message: string) => void;
}) {
  const report = useReportService(detail.id);
  const detailsRef = useRef<HTMLDetailsElement>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (report.isPending) return;
    const form = event.currentTarget;
    const data = new FormData(form);
    const kind = String(data.get('kind') ?? '');
    const note = String(data.get('note') ?? '').trim();
    const problems: FieldProblem[] = [];
    if (!(reportKinds as string[]).includes(kind))
      problems.push({
        field: 'kind',
        message: 'Choose whether the service has closed or some details are wrong',
      });
    if (!note) problems.push({ field: 'note', message: 'Say what you found' });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    report.mutate(
      { kind: kind as ReportKind, note },
      {
        onSuccess: () => {
          form.reset();
          if (detailsRef.current) detailsRef.current.open = false;
          onDone('Thank you for reporting this. A directory manager will check it.');
        },
        onError: errors.showError,
      },
    );
  };
  return (
    <details
      className="nhsuk-details"
      ref={detailsRef}
      open={Boolean(errors.messageFor('kind') || errors.messageFor('note'))}
    >
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Report a problem with this service</span>
      </summary>
      <div className="nhsuk-details__text">
        <form onSubmit={submit} noValidate>
          <Radios
            id="kind"
            legend="What is wrong?"
            items={reportKinds.map((kind) => ({ value: kind, label: reportKindLabels[kind] }))}
            error={errors.messageFor('kind')}
          />
          <Textarea
            id="note"
            label="What did you find?"
            hint="For example, the group now meets on Wednesdays, or the phone number no longer works"
            rows={3}
            error={errors.messageFor('note')}
          />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Send report
          </button>
        </form>
      </div>
    </details>
  );
}

function ResolveForm({
  report,
  errors,
  onDone,
}: {
  report: OpenReport;
  errors: FormErrors;
  onDone: (message: string) => void;
}) {
  const resolve = useResolveReport();
  const resolutionId = `resolution-${report.id}`;
  const statusId = `status-${report.id}`;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (resolve.isPending) return;
    const data = new FormData(event.currentTarget);
    const resolution = String(data.get(resolutionId) ?? '').trim();
    const status = String(data.get(statusId) ?? '') as '' | ServiceStatus;
    if (!resolution)
      return errors.show([{ field: resolutionId, message: 'Say what you did about the report' }]);
    errors.clear();
    resolve.mutate(
      { reportId: report.id, resolution, ...(status ? { status } : {}) },
      {
        onSuccess: () =>
          onDone(
            status
              ? `Report resolved. The service is now marked as ${serviceStatusLabels[status].toLowerCase()}.`
              : 'Report resolved.',
          ),
        onError: (error) => {
          if (isProblem(error) && error.errors.length > 0)
            errors.show(
              error.errors.map((problem) => ({ ...problem, field: `${problem.field}-${report.id}` })),
            );
          else errors.showError(error);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Textarea
        id={resolutionId}
        label="What did you do about it?"
        hint="For example, rang the service and corrected the day it meets"
        rows={2}
        error={errors.messageFor(resolutionId)}
      />
      <Radios
        id={statusId}
        legend="Change whether the service is running?"
        small
        defaultValue=""
        items={resolveStatuses.map((status) => ({
          value: status,
          label:
            status === '' ? 'Leave it as it is' : `Mark it as ${serviceStatusLabels[status].toLowerCase()}`,
        }))}
        error={errors.messageFor(statusId)}
      />
      <button className="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
        Resolve report<span className="nhsuk-u-visually-hidden">: {reportKindLabels[report.kind]}</span>
      </button>
    </form>
  );
}

function Reports({
  detail,
  errors,
  onDone,
}: {
  detail: ServiceDetail;
  errors: FormErrors;
  onDone: (message: string) => void;
}) {
  if (detail.openReports.length === 0) return null;
  return (
    <>
      <h2 className="nhsuk-heading-m" id="reports">
        Problems reported
      </h2>
      {detail.openReports.map((report) => (
        <div className="nhsuk-card" key={report.id}>
          <div className="nhsuk-card__content">
            <h3 className="nhsuk-card__heading nhsuk-heading-s">{reportKindLabels[report.kind]}</h3>
            <Written text={report.note} />
            <p className="nhsuk-body-s">
              Reported by {report.reportedBy} on {formatDayOf(report.reportedAt)}
            </p>
            {detail.canEdit && <ResolveForm report={report} errors={errors} onDone={onDone} />}
          </div>
        </div>
      ))}
    </>
  );
}

function History({ detail }: { detail: ServiceDetail }) {
  if (!detail.canEdit || detail.history.length === 0) return null;
  return (
    <ResponsiveTable
      caption="Change history"
      items={detail.history}
      itemKey={(entry) => `${entry.version}-${entry.changedAt}`}
      columns={[
        { header: 'Version', cell: (entry) => entry.version },
        { header: 'Change', cell: (entry) => changeLabels[entry.change] ?? entry.change },
        { header: 'When', nowrap: true, cell: (entry) => formatDateTime(entry.changedAt) },
        { header: 'By', cell: (entry) => entry.changedBy ?? 'An import' },
        { header: 'Note', cell: (entry) => entry.note ?? '' },
      ]}
    />
  );
}

function ServiceDetails({ detail }: { detail: ServiceDetail }) {
  const me = useSignedIn();
  const [params] = useSearchParams();
  const location = useLocation();
  const referralId = params.get('referral');
  const episode = useEpisodeFor(referralId);
  const errors = useFormErrors();
  const verify = useVerifyService(detail.id);
  const reload = useReloadService(detail.id);
  const [banner, setBanner] = useState<string | null>(
    (location.state as { saved?: string } | null)?.saved ?? null,
  );
  const view = serviceView(detail.oruk as Json);
  usePageTitle(view.name || 'Service', errors.hasErrors);

  const done = (message: string) => {
    setBanner(message);
    window.scrollTo(0, 0);
  };
  const confirm = () => {
    if (verify.isPending) return;
    errors.clear();
    setBanner(null);
    verify.mutate(detail.version, {
      onSuccess: () => done('Thank you. The service is marked as verified today.'),
      onError: (error) => {
        if (isStale(error)) {
          void reload();
          errors.show([
            {
              field: '',
              message:
                'Someone changed this service since you opened it. It now shows their changes: check them, then confirm again.',
            },
          ]);
        } else errors.showError(error);
      },
    });
  };

  const from = (location.state as { from?: string } | null)?.from;
  const back = from ?? (referralId ? `/directory?referral=${encodeURIComponent(referralId)}` : '/directory');
  const person = episode.data?.status === 'accepted' ? episode.data.personName : null;
  const status = String((detail.oruk as Json).status ?? 'active');
  const checker = canCheckDirectory(me);

  return (
    <TwoThirds>
      <BackLink to={back}>{from ? 'Back to search results' : 'Back to find services'}</BackLink>
      {banner && !errors.hasErrors && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{banner}</p>
        </SuccessBanner>
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={view.organisation || undefined}>{view.name}</PageHeading>
      <p>
        <ServiceStatusTag status={status} /> {detail.freshness.stale && <StaleTag />}
      </p>
      {view.alert && (
        <WarningCallout heading="Important">
          <Written text={view.alert} />
        </WarningCallout>
      )}
      <div className="app-actions">
        {referralId && person && status === 'active' && (
          <ButtonLink to={connectPath(referralId, detail.id)}>Connect {person} to this service</ButtonLink>
        )}
        {detail.canEdit && canEditDirectory(me) && (
          <ButtonLink to={`/directory/services/${encodeURIComponent(detail.id)}/edit`} secondary>
            Edit<span className="nhsuk-u-visually-hidden"> {view.name}</span>
          </ButtonLink>
        )}
      </div>
      {view.description && <Written text={view.description} />}

      <h2 className="nhsuk-heading-m">When</h2>
      {detail.when.length === 0 ? (
        <p>No times given. Contact the service to ask.</p>
      ) : (
        <ul className="nhsuk-list">
          {detail.when.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}

      <h2 className="nhsuk-heading-m">Where</h2>
      {view.places.length === 0 ? (
        <p>No address given: it may run online or by phone.</p>
      ) : (
        view.places.map((place, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: places keep the record's order and can share a name
          <div className="app-place" key={index}>
            {place.name && <p className="nhsuk-u-margin-bottom-1">{place.name}</p>}
            {place.lines.length > 0 && (
              <p className="nhsuk-u-margin-bottom-1">
                {place.lines.map((line, lineIndex) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: address lines have no id
                  <span className="nhsuk-u-display-block" key={lineIndex}>
                    {line}
                  </span>
                ))}
              </p>
            )}
            {place.transport && <p className="nhsuk-body-s">Getting there: {place.transport}</p>}
          </div>
        ))
      )}

      <h2 className="nhsuk-heading-m">Getting in touch</h2>
      <SummaryList
        rows={[
          { key: 'Phone', value: view.phones.length > 0 ? view.phones.join('; ') : 'Not given' },
          {
            key: 'Email',
            value: view.email ? <a href={`mailto:${view.email}`}>{view.email}</a> : 'Not given',
          },
          {
            key: 'Website',
            value: view.url ? (
              <a href={view.url} rel="noreferrer" target="_blank">
                {view.url}
                <span className="nhsuk-u-visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : (
              'Not given'
            ),
          },
          ...(view.contacts.length > 0
            ? [
                {
                  key: view.contacts.length === 1 ? 'Contact' : 'Contacts',
                  value: (
                    <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                      {view.contacts.map((contact, index) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: contacts keep the record's order
                        <li key={index}>
                          {[contact.name, contact.email, ...contact.phones].filter(Boolean).join(', ')}
                        </li>
                      ))}
                    </ul>
                  ),
                },
              ]
            : []),
          ...(view.applicationProcess
            ? [
                {
                  key: 'How to join',
                  value: <Written text={view.applicationProcess} className="nhsuk-body-m" />,
                },
              ]
            : []),
        ]}
      />

      <h2 className="nhsuk-heading-m">Details</h2>
      <SummaryList
        rows={[
          { key: 'Cost', value: view.costs.length > 0 ? view.costs.join('; ') : 'Not given' },
          { key: 'Ages', value: view.ages },
          {
            key: 'Who can use it',
            value: view.eligibility ? <Written text={view.eligibility} className="nhsuk-body-m" /> : 'Anyone',
          },
          { key: 'Languages', value: view.languages.length > 0 ? view.languages.join(', ') : 'Not given' },
          {
            key: 'Accessibility',
            value: view.places.some((place) => place.accessibility.length > 0) ? (
              <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                {view.places
                  .flatMap((place) => place.accessibility)
                  .map((line) => (
                    <li key={line}>{line}</li>
                  ))}
              </ul>
            ) : (
              'Not given'
            ),
          },
          {
            key: 'Kinds of service',
            value:
              detail.terms.length > 0 ? (
                <ul className="app-tag-list">
                  {detail.terms.map((term) => (
                    <li key={term.id}>
                      <Tag colour="white">{term.name}</Tag>
                    </li>
                  ))}
                </ul>
              ) : (
                'None given'
              ),
          },
        ]}
      />

      <h2 className="nhsuk-heading-m">Are these details right?</h2>
      {detail.freshness.stale ? (
        <WarningCallout heading="These details may be out of date" level={3}>
          <p>
            {capitalised(detail.freshness.words)}
            {detail.freshness.assuredDate ? ` (on ${formatDate(detail.freshness.assuredDate)})` : ''}. Check
            with the service before you send someone there.
          </p>
        </WarningCallout>
      ) : (
        <p>
          {capitalised(detail.freshness.words)}
          {detail.freshness.assuredDate ? ` (on ${formatDate(detail.freshness.assuredDate)})` : ''}.
        </p>
      )}
      {checker && (
        <>
          <p>If you have checked the details with the service, say so: everyone then sees today’s date.</p>
          <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={confirm}>
            These details are right
          </button>
          <ReportForm detail={detail} errors={errors} onDone={done} />
        </>
      )}

      <Reports detail={detail} errors={errors} onDone={done} />
      <Usage usage={detail.usage} />
      <History detail={detail} />
      {referralId && episode.data && (
        <p>
          <Link to={`/episodes/${encodeURIComponent(referralId)}`}>Back to {episode.data.personName}</Link>
        </p>
      )}
    </TwoThirds>
  );
}

export function ServicePage() {
  const { id = '' } = useParams();
  const service = useDirectoryService(id);
  if (service.isPending) return <Loading what="the service" />;
  if (service.isError) return <ProblemPage error={service.error} />;
  return <ServiceDetails detail={service.data} />;
}
