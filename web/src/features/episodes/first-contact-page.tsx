import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  contactModes,
  type FirstContactInput,
  firstContactBody,
} from '../../../../src/modules/contacts/contract.ts';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { formatDayOf } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { DateTimeFields, dateAnchor, nowInLondon, readDateTime } from './date-time-fields.tsx';
import { episodePath, WithOpenEpisode } from './episode-parts.tsx';
import { durationMessage, minutesOf, optionalText, textOf } from './form-values.ts';
import { contactModeLabels } from './labels.ts';
import { useRecordFirstContact } from './queries.ts';

const title = 'Record first contact';

function readBody(form: FormData) {
  const when = readDateTime(form, 'occurredAt', 'you spoke');
  const body = {
    occurredAt: when.value ?? '',
    mode: textOf(form, 'mode') || undefined,
    durationMinutes: minutesOf(form, 'durationMinutes'),
    personDecision: textOf(form, 'personDecision') || undefined,
    note: optionalText(form, 'note'),
  };
  const problems = [
    ...when.problems,
    ...check(firstContactBody, body, { durationMinutes: durationMessage }).filter(
      (problem) => problem.field !== 'occurredAt',
    ),
  ];
  if (when.value && when.value > new Date().toISOString()) {
    problems.push({ field: 'occurredAt', message: 'The date you spoke must be today or in the past' });
  }
  return { body: body as FirstContactInput, problems };
}

function FirstContactForm({ episode }: { episode: Episode }) {
  const navigate = useNavigate();
  const errors = useFormErrors({ anchors: dateAnchor('occurredAt') });
  const record = useRecordFirstContact(episode.referralId);
  usePageTitle(title, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (record.isPending) return;
    const { body, problems } = readBody(new FormData(event.currentTarget));
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    record.mutate(body, {
      onSuccess: (result) => {
        const outcome =
          body.personDecision === 'accepts'
            ? `${episode.personName} accepts social prescribing.`
            : `${episode.personName} declined social prescribing, so the episode is closed.`;
        navigate(episodePath(episode.referralId), {
          state: {
            saved: `First contact recorded. ${outcome} Coded as ${result.codedEvent.display} (SNOMED CT ${result.codedEvent.code}).`,
          },
        });
      },
      onError: errors.showError,
    });
  };

  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      <p>
        Record the first time you spoke with {episode.personName}, and whether they would like support from
        the link worker service. If you tried but did not reach them, log an attempt instead.
      </p>
      <form onSubmit={submit} noValidate>
        <DateTimeFields
          id="occurredAt"
          legend="When did you speak?"
          errors={errors}
          defaultValue={nowInLondon()}
        />
        <Radios
          id="mode"
          legend="How did you speak?"
          items={choicesFrom(contactModes, contactModeLabels)}
          error={errors.messageFor('mode')}
        />
        <TextInput
          id="durationMinutes"
          label="How long did it last, in minutes? (optional)"
          width={3}
          inputMode="numeric"
          autoComplete="off"
          error={errors.messageFor('durationMinutes')}
        />
        <Radios
          id="personDecision"
          legend={`Does ${episode.personName} want support from a link worker?`}
          items={[
            {
              value: 'accepts',
              label: 'Yes, they accept social prescribing',
              hint: 'Next, have a what matters conversation with them',
            },
            {
              value: 'declines',
              label: 'No, they decline social prescribing',
              hint: 'The episode closes and the referrer and GP are told',
            },
          ]}
          error={errors.messageFor('personDecision')}
        />
        <Textarea
          id="note"
          label="Notes (optional)"
          hint="What you talked about and anything agreed"
          error={errors.messageFor('note')}
        />
        <button className="nhsuk-button" type="submit">
          Save first contact
        </button>
      </form>
    </TwoThirds>
  );
}

export function FirstContactPage() {
  const { id = '' } = useParams();
  return (
    <WithOpenEpisode
      referralId={id}
      title={title}
      unavailable={(episode) =>
        episode.firstContactAt
          ? `The first contact with ${episode.personName} was recorded on ${formatDayOf(episode.firstContactAt)}. Log later contacts from their episode.`
          : null
      }
    >
      {(episode) => <FirstContactForm episode={episode} />}
    </WithOpenEpisode>
  );
}
