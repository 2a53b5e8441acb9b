import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { contactModes } from '../../../../src/modules/contacts/contract.ts';
import {
  type AppointmentInput,
  appointmentBody,
  type Episode,
} from '../../../../src/modules/pathway/contract.ts';
import { formatTimeOnDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { DateTimeFields, dateAnchor, readDateTime } from './date-time-fields.tsx';
import { episodePath, WithOpenEpisode } from './episode-parts.tsx';
import { minutesOf, optionalText, textOf } from './form-values.ts';
import { contactModeLabels } from './labels.ts';
import { useScheduleAppointment } from './queries.ts';

const title = 'Schedule an appointment';

function readBody(form: FormData) {
  const when = readDateTime(form, 'startsAt', 'of the appointment');
  const body = {
    startsAt: when.value ?? '',
    durationMinutes: minutesOf(form, 'durationMinutes') ?? undefined,
    mode: textOf(form, 'mode') || undefined,
    location: optionalText(form, 'location'),
    note: optionalText(form, 'note'),
  };
  const problems = [
    ...when.problems,
    ...check(appointmentBody, body, {
      durationMinutes: 'Enter how long it will last as a whole number of minutes, from 5 to 480',
    }).filter((problem) => problem.field !== 'startsAt'),
  ];
  return { body: body as AppointmentInput, problems };
}

function AppointmentForm({ episode }: { episode: Episode }) {
  const navigate = useNavigate();
  const errors = useFormErrors({ anchors: dateAnchor('startsAt') });
  const schedule = useScheduleAppointment(episode.referralId);
  usePageTitle(title, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (schedule.isPending) return;
    const { body, problems } = readBody(new FormData(event.currentTarget));
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    schedule.mutate(body, {
      onSuccess: (appointment) =>
        navigate(episodePath(episode.referralId), {
          state: { saved: `Appointment booked for ${formatTimeOnDate(appointment.startsAt)}.` },
        }),
      onError: errors.showError,
    });
  };

  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      <form onSubmit={submit} noValidate>
        <DateTimeFields id="startsAt" legend="When is it?" errors={errors} />
        <TextInput
          id="durationMinutes"
          label="How long, in minutes?"
          hint="At least 5 minutes"
          width={3}
          inputMode="numeric"
          autoComplete="off"
          defaultValue="30"
          error={errors.messageFor('durationMinutes')}
        />
        <Radios
          id="mode"
          legend="How will you meet?"
          items={choicesFrom(contactModes, contactModeLabels)}
          error={errors.messageFor('mode')}
        />
        <TextInput
          id="location"
          label="Where? (optional)"
          hint="For example, the name and address of the venue"
          autoComplete="off"
          error={errors.messageFor('location')}
        />
        <Textarea id="note" label="Note (optional)" rows={3} error={errors.messageFor('note')} />
        <button className="nhsuk-button" type="submit">
          Book appointment
        </button>
      </form>
    </TwoThirds>
  );
}

export function AppointmentNewPage() {
  const { id = '' } = useParams();
  return (
    <WithOpenEpisode referralId={id} title={title}>
      {(episode) => <AppointmentForm episode={episode} />}
    </WithOpenEpisode>
  );
}
