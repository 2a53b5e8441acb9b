import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { isProblem } from '../../app/api.ts';
import {
  formatDate,
  formatDateTime,
  formatDayOf,
  formatTimeOnDate,
  todayInEngland,
} from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import {
  BackLink,
  ButtonLink,
  Loading,
  PageHeading,
  SuccessBanner,
  SummaryList,
  type SummaryRow,
  Tag,
} from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { EpisodeMeasures } from '../outcomes/episode-measures.tsx';
import { reasonLabeller, useNeedsDomains } from '../referrals/queries.ts';
import { ReasonList, UrgencyTag } from '../referrals/referral-parts.tsx';
import { Connections } from './connections.tsx';
import {
  episodePath,
  episodeStage,
  isStale,
  latestWhatMatters,
  messageBackPath,
  ProgressBar,
  StatusTag,
  useSavedMessage,
  WaitingTag,
  WarningCallout,
  WithEpisode,
  Written,
} from './episode-parts.tsx';
import {
  type AppointmentStatus,
  appointmentStatusColours,
  appointmentStatusLabels,
  contactKindLabels,
  contactModeLabels,
  dischargeReasonLabels,
  flagKindLabels,
  goalStatusColours,
  goalStatusLabels,
  needPriorityColours,
  needPriorityLabels,
  stageLabels,
} from './labels.ts';
import {
  type Appointment,
  type Goal,
  useReloadEpisode,
  useUpdateAppointment,
  type WhatMatters,
} from './queries.ts';

type LabelFor = (code: string) => string;

const minutes = (value: number | null) => (value === null ? 'Not recorded' : `${value} minutes`);

function NextStepButtons({ children }: { children: ReactNode }) {
  return <div className="app-actions">{children}</div>;
}

/** What the link worker should do next, from where the episode is on the pathway. */
function NextStep({ episode }: { episode: Episode }) {
  const base = episodePath(episode.referralId);
  const name = episode.personName;
  const stage = episodeStage(episode);
  let body: ReactNode;
  switch (stage) {
    case 'awaiting_first_contact':
      body = episode.unableToContact ? (
        <>
          <p>
            You have tried to contact {name} {episode.failedAttempts} times in a row without reaching them.
            You can discharge them as unable to contact (see Contacts), or keep trying.
          </p>
          <NextStepButtons>
            <ButtonLink to={`${base}/first-contact`}>Record first contact</ButtonLink>
            <ButtonLink to={`${base}/contacts/new`} secondary>
              Log another attempt
            </ButtonLink>
          </NextStepButtons>
        </>
      ) : (
        <>
          <p>
            Contact {name} to introduce the link worker service and find out whether they would like support.
            If you cannot reach them, log each attempt.
          </p>
          <NextStepButtons>
            <ButtonLink to={`${base}/first-contact`}>Record first contact</ButtonLink>
            <ButtonLink to={`${base}/contacts/new`} secondary>
              Log an attempt to contact
            </ButtonLink>
          </NextStepButtons>
        </>
      );
      break;
    case 'what_matters':
      body = (
        <>
          <p>
            Have a what matters conversation with {name}: what matters to them, their needs and concerns,
            their strengths and what gets in the way.
          </p>
          <NextStepButtons>
            <ButtonLink to={`${base}/what-matters`}>Record what matters</ButtonLink>
            <ButtonLink to={`${base}/appointments/new`} secondary>
              Schedule an appointment
            </ButtonLink>
          </NextStepButtons>
        </>
      );
      break;
    case 'planning':
      body = (
        <>
          <p>Agree a support plan with {name}, with goals in their own words and who will do what.</p>
          <NextStepButtons>
            <ButtonLink to={`${base}/plan`}>Create the support plan</ButtonLink>
            <ButtonLink to={`${base}/contacts/new`} secondary>
              Log a contact
            </ButtonLink>
          </NextStepButtons>
        </>
      );
      break;
    case 'supporting': {
      const open = episode.plan?.goals.filter((goal) => goal.status === 'active') ?? [];
      body =
        open.length === 0 ? (
          <>
            <p>
              Every goal in {name}’s plan is achieved or stopped. When they no longer need support, discharge
              them and send a message back to the referrer and GP.
            </p>
            <NextStepButtons>
              <ButtonLink to={`${base}/discharge`}>Discharge {name}</ButtonLink>
              <ButtonLink to={`${base}/plan`} secondary>
                Change the support plan
              </ButtonLink>
            </NextStepButtons>
          </>
        ) : (
          <>
            <p>
              Keep in touch with {name}. Log each contact, and how they are getting on with their goals. When
              they no longer need support, discharge them.
            </p>
            <NextStepButtons>
              <ButtonLink to={`${base}/contacts/new`}>Log a contact</ButtonLink>
              <ButtonLink to={`${base}/appointments/new`} secondary>
                Schedule an appointment
              </ButtonLink>
            </NextStepButtons>
          </>
        );
      break;
    }
    case 'discharged':
      body = (
        <p>
          {name} was discharged
          {episode.discharge ? ` on ${formatDate(episode.discharge.dischargedOn)}` : ''}.{' '}
          <Link to={messageBackPath(episode.referralId)}>See the message back to the referrer and GP</Link>
        </p>
      );
      break;
    case 'declined_by_person':
      body = (
        <p>
          {name} declined social prescribing when the link worker first spoke with them
          {episode.firstContactAt ? ` on ${formatDayOf(episode.firstContactAt)}` : ''}.{' '}
          <Link to={messageBackPath(episode.referralId)}>See the message back to the referrer and GP</Link>
        </p>
      );
      break;
    case 'not_open':
      body = <p>This referral has no open episode with a link worker.</p>;
      break;
  }
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <h2 className="nhsuk-heading-m">What to do next</h2>
      {body}
    </div>
  );
}

function Flags({ episode }: { episode: Episode }) {
  const open = episode.flags.filter((flag) => flag.resolvedAt === null);
  if (open.length === 0) return null;
  return (
    <>
      {open.map((flag) => (
        <WarningCallout key={flag.id} heading={flagKindLabels[flag.kind]}>
          <Written text={flag.note} />
          <p className="nhsuk-body-s">
            Raised by {flag.raisedByName} on {formatDayOf(flag.raisedAt)}.{' '}
            <Link to={`/people/${episode.personId}`}>See {episode.personName}’s record</Link>
          </p>
        </WarningCallout>
      ))}
    </>
  );
}

const contactMethodWords: Record<string, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
};

/** Phone, email, preferences and communication needs: what the link worker needs before picking up the phone. */
function Reach({ episode }: { episode: Episode }) {
  const { reach } = episode;
  const lines = [
    reach.phone ? `Phone: ${reach.phone}` : null,
    reach.email ? `Email: ${reach.email}` : null,
    reach.preferredContactMethod || reach.preferredContactTimes
      ? `Prefers: ${[reach.preferredContactMethod ? (contactMethodWords[reach.preferredContactMethod] ?? reach.preferredContactMethod) : null, reach.preferredContactTimes].filter(Boolean).join(', ')}`
      : null,
    reach.interpreterLanguage ? `Needs an interpreter: ${reach.interpreterLanguage}` : null,
    reach.accessibilityNeeds ? `Access needs: ${reach.accessibilityNeeds}` : null,
  ].filter((line): line is string => line !== null);
  if (lines.length === 0) return <>No phone or email recorded</>;
  return (
    <>
      {lines.map((line) => (
        <span className="nhsuk-u-display-block" key={line}>
          {line}
        </span>
      ))}
    </>
  );
}

function Summary({ episode, labelFor, isLead }: { episode: Episode; labelFor: LabelFor; isLead: boolean }) {
  const open = episode.status === 'accepted';
  const rows: SummaryRow[] = [
    { key: 'Reference', value: <span className="app-reference">{episode.reference ?? 'None'}</span> },
    {
      key: 'Status',
      value: (
        <>
          <StatusTag status={episode.status} />
          {open && <span className="nhsuk-u-margin-left-2">{stageLabels[episodeStage(episode)]}</span>}
        </>
      ),
    },
    {
      key: 'Link worker',
      value: episode.linkWorkerName ?? 'Not allocated',
      action:
        isLead && open ? (
          <Link to={`${episodePath(episode.referralId)}/reallocate`}>
            Reallocate<span className="nhsuk-u-visually-hidden"> to another link worker</span>
          </Link>
        ) : undefined,
    },
    { key: 'Referred', value: formatDayOf(episode.receivedAt) },
    { key: 'Reasons', value: <ReasonList reasons={episode.reasons} labelFor={labelFor} /> },
    { key: 'Urgency', value: <UrgencyTag urgency={episode.urgency} /> },
    ...(open || episode.firstContactAt
      ? [{ key: 'First contact', value: <WaitingTag episode={episode} /> }]
      : []),
    { key: 'How to reach them', value: <Reach episode={episode} /> },
    ...(episode.context ? [{ key: 'From the referrer', value: <Written text={episode.context} /> }] : []),
    ...(episode.triageNote
      ? [{ key: 'Note from triage', value: <Written text={episode.triageNote} /> }]
      : []),
  ];
  return <SummaryList rows={rows} />;
}

function Contacts({ episode }: { episode: Episode }) {
  const base = episodePath(episode.referralId);
  const open = episode.status === 'accepted';
  // Newest first; two in the same minute by the order they were saved (ids are time-ordered).
  const contacts = [...episode.contacts].sort(
    (a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id),
  );
  return (
    <>
      <h2 className="nhsuk-heading-l">Contacts</h2>
      {episode.unableToContact && open && (
        <WarningCallout heading="Unable to contact" level={3}>
          <p>
            {episode.personName} has not been reached after {episode.failedAttempts} attempts in a row. The
            PCN treats {episode.settings.unableToContactAttempts} failed attempts as unable to contact.
          </p>
          <NextStepButtons>
            <ButtonLink to={`${base}/discharge?reason=disengaged_or_unable_to_contact`}>
              Discharge as unable to contact
            </ButtonLink>
          </NextStepButtons>
        </WarningCallout>
      )}
      {contacts.length === 0 ? (
        <p>No contacts or attempts recorded yet.</p>
      ) : (
        <ResponsiveTable
          caption={
            <span className="nhsuk-u-visually-hidden">
              Contacts and attempts with {episode.personName}, newest first
            </span>
          }
          items={contacts}
          itemKey={(contact) => contact.id}
          columns={[
            { header: 'When', nowrap: true, cell: (contact) => formatDateTime(contact.occurredAt) },
            {
              header: 'What',
              cell: (contact) =>
                contact.kind === 'attempt' ? (
                  <Tag colour="orange">{contactKindLabels.attempt}</Tag>
                ) : (
                  contactKindLabels[contact.kind]
                ),
            },
            { header: 'How', cell: (contact) => contactModeLabels[contact.mode] },
            { header: 'How long', nowrap: true, cell: (contact) => minutes(contact.durationMinutes) },
            {
              header: 'Notes',
              cell: (contact) => (
                <>
                  {contact.present && <span className="nhsuk-body-s">Present: {contact.present}</span>}
                  {contact.note ? <Written text={contact.note} className="nhsuk-body-s" /> : null}
                  {!contact.present && !contact.note && 'None'}
                </>
              ),
            },
            { header: 'By', cell: (contact) => contact.linkWorkerName },
          ]}
        />
      )}
      {open && episode.firstContactAt && (
        <ButtonLink to={`${base}/contacts/new`} secondary>
          Log a contact or attempt
        </ButtonLink>
      )}
    </>
  );
}

function AppointmentStatusTag({ status }: { status: AppointmentStatus }) {
  return <Tag colour={appointmentStatusColours[status]}>{appointmentStatusLabels[status]}</Tag>;
}

function Appointments({
  episode,
  onUpdate,
}: {
  episode: Episode;
  onUpdate: (appointment: Appointment, status: AppointmentStatus) => void;
}) {
  const open = episode.status === 'accepted';
  const appointments = [...episode.appointments].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return (
    <>
      <h2 className="nhsuk-heading-l">Appointments</h2>
      {appointments.length === 0 ? (
        <p>No appointments booked.</p>
      ) : (
        <ResponsiveTable
          caption={<span className="nhsuk-u-visually-hidden">Appointments with {episode.personName}</span>}
          items={appointments}
          itemKey={(appointment) => appointment.id}
          columns={[
            {
              header: 'When',
              nowrap: true,
              cell: (appointment) => formatDateTime(appointment.startsAt),
            },
            { header: 'How long', nowrap: true, cell: (appointment) => minutes(appointment.durationMinutes) },
            {
              header: 'Where',
              cell: (appointment) => (
                <>
                  {contactModeLabels[appointment.mode]}
                  {appointment.location && <span className="nhsuk-body-s">{appointment.location}</span>}
                  {appointment.note && <Written text={appointment.note} className="nhsuk-body-s" />}
                </>
              ),
            },
            { header: 'Status', cell: (appointment) => <AppointmentStatusTag status={appointment.status} /> },
            {
              header: 'Actions',
              hiddenHeader: true,
              cell: (appointment) =>
                open && appointment.status === 'booked' ? (
                  <AppointmentActions appointment={appointment} onUpdate={onUpdate} />
                ) : null,
            },
          ]}
        />
      )}
      {open && (
        <ButtonLink to={`${episodePath(episode.referralId)}/appointments/new`} secondary>
          Schedule an appointment
        </ButtonLink>
      )}
    </>
  );
}

function AppointmentActions({
  appointment,
  onUpdate,
}: {
  appointment: Appointment;
  onUpdate: (appointment: Appointment, status: AppointmentStatus) => void;
}) {
  const which = ` the appointment at ${formatTimeOnDate(appointment.startsAt)}`;
  // Whether someone came can only be said once the appointment has started.
  const started = appointment.startsAt <= new Date().toISOString();
  const buttons: { status: AppointmentStatus; label: string }[] = [
    ...(started
      ? [
          { status: 'attended' as const, label: 'Attended' },
          { status: 'did_not_attend' as const, label: 'Did not attend' },
        ]
      : []),
    { status: 'cancelled', label: 'Cancel' },
  ];
  return (
    <div className="app-actions app-actions--small">
      {buttons.map((button) => (
        <button
          key={button.status}
          type="button"
          className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
          onClick={() => onUpdate(appointment, button.status)}
        >
          {button.label}
          <span className="nhsuk-u-visually-hidden">
            {button.status === 'cancelled' ? which : `: mark${which}`}
          </span>
        </button>
      ))}
    </div>
  );
}

function WhatMattersVersion({ version, labelFor }: { version: WhatMatters; labelFor: LabelFor }) {
  return (
    <>
      <p className="nhsuk-body-s">
        Talked on {formatDate(version.heldOn)}. Recorded by {version.recordedByName},{' '}
        {formatDateTime(version.recordedAt)}.
      </p>
      <h4 className="nhsuk-heading-s">In their own words</h4>
      <Written text={version.ownWords} />
      <h4 className="nhsuk-heading-s">Needs and concerns</h4>
      <ul className="nhsuk-list nhsuk-list--border">
        {version.needs.map((need, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: needs have no id and keep their order
          <li key={index}>
            <strong>{labelFor(need.domain)}</strong>{' '}
            <Tag colour={needPriorityColours[need.priority]}>
              {needPriorityLabels[need.priority]} priority
            </Tag>
            <Written text={need.concern} className="nhsuk-body nhsuk-u-margin-bottom-0" />
          </li>
        ))}
      </ul>
      <h4 className="nhsuk-heading-s">Strengths and assets</h4>
      <Written text={version.strengths || 'None recorded'} />
      <h4 className="nhsuk-heading-s">What gets in the way</h4>
      <Written text={version.barriers || 'None recorded'} />
    </>
  );
}

function WhatMattersSection({ episode, labelFor }: { episode: Episode; labelFor: LabelFor }) {
  const latest = latestWhatMatters(episode);
  const earlier = episode.whatMatters
    .filter((item) => item.id !== latest?.id)
    .sort((a, b) => b.version - a.version);
  const open = episode.status === 'accepted';
  return (
    <>
      <h2 className="nhsuk-heading-l">What matters to {episode.personName}</h2>
      {!latest ? (
        <p>No what matters conversation recorded yet.</p>
      ) : (
        <>
          <h3 className="nhsuk-heading-m">
            Latest conversation{latest.version > 1 ? ` (version ${latest.version})` : ''}
          </h3>
          <WhatMattersVersion version={latest} labelFor={labelFor} />
          {earlier.length > 0 && (
            <details className="nhsuk-details">
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">Earlier versions ({earlier.length})</span>
              </summary>
              <div className="nhsuk-details__text">
                {earlier.map((version) => (
                  <section key={version.id} aria-label={`Version ${version.version}`}>
                    <h3 className="nhsuk-heading-m">Version {version.version}</h3>
                    <WhatMattersVersion version={version} labelFor={labelFor} />
                  </section>
                ))}
              </div>
            </details>
          )}
        </>
      )}
      {open && episode.firstContactAt && latest && (
        <ButtonLink to={`${episodePath(episode.referralId)}/what-matters`} secondary>
          Revisit what matters
        </ButtonLink>
      )}
    </>
  );
}

function reviewIsDue(goal: Goal): boolean {
  return goal.status === 'active' && goal.reviewOn !== null && goal.reviewOn <= todayInEngland();
}

function GoalDetails({ goal, number, labelFor }: { goal: Goal; number: number; labelFor: LabelFor }) {
  const progress = [...goal.progress].sort((a, b) => a.recordedOn.localeCompare(b.recordedOn));
  return (
    <div className="nhsuk-card">
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-m">
          <span className="nhsuk-caption-m">
            Goal {number}
            <span className="nhsuk-u-visually-hidden"> – </span>
          </span>
          {goal.description}
        </h3>
        <SummaryList
          noBorder
          rows={[
            {
              key: 'Status',
              value: <Tag colour={goalStatusColours[goal.status]}>{goalStatusLabels[goal.status]}</Tag>,
            },
            { key: 'Need', value: goal.needsDomain ? labelFor(goal.needsDomain) : 'Not linked to a need' },
            { key: 'Services', value: goal.services ? <Written text={goal.services} /> : 'None named' },
            {
              key: 'Review',
              value: goal.reviewOn ? (
                <>
                  {formatDate(goal.reviewOn)} {reviewIsDue(goal) && <Tag colour="orange">Review due</Tag>}
                </>
              ) : (
                'No date set'
              ),
            },
          ]}
        />
        <h4 className="nhsuk-heading-s">Actions</h4>
        {goal.actions.length === 0 ? (
          <p>No actions agreed.</p>
        ) : (
          <ul className="nhsuk-list nhsuk-list--border">
            {goal.actions.map((action, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: actions have no id and keep their order
              <li key={index}>
                {action.done ? <Tag colour="green">Done</Tag> : <Tag colour="grey">To do</Tag>}{' '}
                <strong>{action.who}</strong>: {action.what}
                {action.byWhen && <span className="nhsuk-body-s"> (by {formatDate(action.byWhen)})</span>}
              </li>
            ))}
          </ul>
        )}
        <h4 className="nhsuk-heading-s">Progress</h4>
        {progress.length === 0 ? (
          <p className="nhsuk-card__description">No progress recorded yet.</p>
        ) : (
          <ul className="nhsuk-list app-progress-list">
            {progress.map((entry) => (
              <li key={entry.id}>
                <span className="app-progress-list__date">{formatDate(entry.recordedOn)}</span>{' '}
                <ProgressBar rating={entry.rating} />
                {entry.note && <Written text={entry.note} className="nhsuk-body-s nhsuk-u-margin-bottom-0" />}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function PlanSection({ episode, labelFor }: { episode: Episode; labelFor: LabelFor }) {
  const plan = episode.plan;
  const base = episodePath(episode.referralId);
  const open = episode.status === 'accepted';
  return (
    <>
      <h2 className="nhsuk-heading-l">Support plan</h2>
      {!plan ? (
        <p>No support plan agreed yet.</p>
      ) : (
        <>
          <SummaryList
            rows={[
              { key: 'Agreed on', value: formatDate(plan.agreedOn) },
              { key: 'Summary', value: plan.summary ? <Written text={plan.summary} /> : 'None written' },
              {
                key: 'Last changed',
                value: `${formatDateTime(plan.updatedAt)} by ${plan.updatedByName}`,
              },
            ]}
          />
          {[...plan.goals]
            .sort((a, b) => a.position - b.position)
            .map((goal, index) => (
              <GoalDetails key={goal.id} goal={goal} number={index + 1} labelFor={labelFor} />
            ))}
        </>
      )}
      {open && episode.whatMatters.length > 0 && (
        <ButtonLink to={`${base}/plan`} secondary>
          {plan ? 'Change the support plan' : 'Create the support plan'}
        </ButtonLink>
      )}
      {plan && (
        <p>
          <Link to={`${base}/plan/print`}>Print the support plan</Link>
        </p>
      )}
    </>
  );
}

function DischargeSection({ episode }: { episode: Episode }) {
  const discharge = episode.discharge;
  if (episode.status === 'accepted') {
    return (
      <>
        <h2 className="nhsuk-heading-l">Discharge</h2>
        <p>
          When {episode.personName} no longer needs support, discharge them. Linkwork then sends a message
          back to the referrer and GP.
        </p>
        <ButtonLink to={`${episodePath(episode.referralId)}/discharge`} secondary>
          Discharge {episode.personName}
        </ButtonLink>
      </>
    );
  }
  if (!discharge) return null;
  return (
    <>
      <h2 className="nhsuk-heading-l">Discharge</h2>
      <SummaryList
        rows={[
          { key: 'Reason', value: dischargeReasonLabels[discharge.reason] },
          { key: 'Date', value: formatDate(discharge.dischargedOn) },
          { key: 'Discharged by', value: discharge.dischargedByName },
          { key: 'Closing summary', value: <Written text={discharge.closingSummary} /> },
          { key: 'Support offered', value: <Written text={discharge.supportOffered} /> },
          { key: 'Outcome', value: <Written text={discharge.outcome} /> },
          {
            key: 'For the GP to follow up',
            value: discharge.followUpForGp ? <Written text={discharge.followUpForGp} /> : 'Nothing',
          },
        ]}
      />
      <p>
        <Link to={messageBackPath(episode.referralId)}>See the message back to the referrer and GP</Link>
      </p>
    </>
  );
}

function AllocationHistory({ episode }: { episode: Episode }) {
  const allocations = [...episode.allocations].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <>
      <h2 className="nhsuk-heading-l">Allocation history</h2>
      {allocations.length === 0 ? (
        <p>No allocations recorded.</p>
      ) : (
        <ResponsiveTable
          caption={<span className="nhsuk-u-visually-hidden">Allocations, newest first</span>}
          items={allocations}
          itemKey={(allocation) => `${allocation.at}-${allocation.toName}`}
          columns={[
            { header: 'When', nowrap: true, cell: (allocation) => formatDateTime(allocation.at) },
            { header: 'From', cell: (allocation) => allocation.fromName ?? 'New referral' },
            { header: 'To', cell: (allocation) => allocation.toName },
            { header: 'Reason', cell: (allocation) => allocation.reason ?? 'None given' },
            { header: 'By', cell: (allocation) => allocation.byName },
          ]}
        />
      )}
    </>
  );
}

function EpisodeDetails({ episode, labelFor }: { episode: Episode; labelFor: LabelFor }) {
  const me = useSignedIn();
  const isLead = me.acting?.roles.includes('lead_link_worker') ?? false;
  const saved = useSavedMessage();
  const errors = useFormErrors();
  const [updated, setUpdated] = useState<string | null>(null);
  const update = useUpdateAppointment(episode.referralId);
  const reload = useReloadEpisode(episode.referralId);
  usePageTitle(episode.personName, errors.hasErrors);

  const onUpdate = (appointment: Appointment, status: AppointmentStatus) => {
    if (update.isPending) return;
    errors.clear();
    setUpdated(null);
    update.mutate(
      { id: appointment.id, version: appointment.version, status },
      {
        onSuccess: () =>
          setUpdated(
            `The appointment at ${formatTimeOnDate(appointment.startsAt)} is now: ${appointmentStatusLabels[status].toLowerCase()}`,
          ),
        onError: (error) => {
          if (isStale(error)) {
            void reload();
            errors.show([
              {
                field: '',
                message: 'Someone else changed this appointment. It is shown as it is now: try again.',
              },
            ]);
          } else if (isProblem(error) && error.errors.length > 0) {
            // The buttons are not form fields: say what is wrong without linking to one.
            errors.show(error.errors.map((problem) => ({ field: '', message: problem.message })));
          } else errors.showError(error);
        },
      },
    );
  };

  const banner = updated ?? saved;
  return (
    <>
      <BackLink to="/caseload">Back to caseload</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {banner && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{banner}</p>
        </SuccessBanner>
      )}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <PageHeading caption="Episode">
            <Link to={`/people/${episode.personId}`}>{episode.personName}</Link>
          </PageHeading>
          <Flags episode={episode} />
          <Summary episode={episode} labelFor={labelFor} isLead={isLead} />
          <NextStep episode={episode} />
        </div>
      </div>
      <Contacts episode={episode} />
      <Appointments episode={episode} onUpdate={onUpdate} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <WhatMattersSection episode={episode} labelFor={labelFor} />
          <PlanSection episode={episode} labelFor={labelFor} />
          <Connections episode={episode} />
          <EpisodeMeasures episode={episode} />
          <DischargeSection episode={episode} />
        </div>
      </div>
      <AllocationHistory episode={episode} />
    </>
  );
}

export function EpisodePage() {
  const { id = '' } = useParams();
  const needsDomains = useNeedsDomains();
  if (needsDomains.isPending) return <Loading />;
  return (
    <WithEpisode referralId={id}>
      {(episode) => <EpisodeDetails episode={episode} labelFor={reasonLabeller(needsDomains.data)} />}
    </WithEpisode>
  );
}
