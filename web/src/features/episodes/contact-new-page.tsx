import { type FormEvent, useRef } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { contactModes } from '../../../../src/modules/contacts/contract.ts';
import { type ContactInput, contactBody, type Episode } from '../../../../src/modules/pathway/contract.ts';
import { type FieldProblem, isProblem } from '../../app/api.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { DateTimeFields, dateAnchor, nowInLondon, readDateTime } from './date-time-fields.tsx';
import { episodePath, WithOpenEpisode } from './episode-parts.tsx';
import { durationMessage, minutesOf, optionalText, textOf } from './form-values.ts';
import { contactModeLabels } from './labels.ts';
import { type ContactResult, type Goal, useLogContact } from './queries.ts';

type Kind = ContactInput['kind'];

const progressField = (goalId: string) => `progress-${goalId}`;

const ratingOptions = Array.from({ length: 11 }, (_, rating) => ({
  value: String(rating),
  label: rating === 0 ? '0 – not started' : rating === 10 ? '10 – fully achieved' : String(rating),
}));

/** The API names progress problems by their place in the list sent; the form by the goal. */
function renameProgress(problems: FieldProblem[], goalIds: string[]): FieldProblem[] {
  return problems.map((problem) => {
    const match = /^goalProgress\.(\d+)(\.|$)/.exec(problem.field ?? '');
    const goalId = match
      ? goalIds[Number(match[1])]
      : problem.field === 'goalProgress'
        ? goalIds[0]
        : undefined;
    return goalId ? { ...problem, field: progressField(goalId) } : problem;
  });
}

function readBody(form: FormData, fixedKind: Kind | null, goals: Goal[]) {
  const when = readDateTime(form, 'occurredAt', 'it happened');
  const kind = fixedKind ?? (textOf(form, 'kind') as Kind | '');
  const rated = goals.filter((goal) => textOf(form, progressField(goal.id)) !== '');
  const body = {
    kind: kind || undefined,
    occurredAt: when.value ?? '',
    mode: textOf(form, 'mode') || undefined,
    durationMinutes: minutesOf(form, 'durationMinutes'),
    present: optionalText(form, 'present'),
    note: optionalText(form, 'note'),
    goalProgress:
      kind === 'contact'
        ? rated.map((goal) => ({
            goalId: goal.id,
            rating: Number(textOf(form, progressField(goal.id))),
            note: null,
          }))
        : [],
  };
  const goalIds = body.goalProgress.map((entry) => entry.goalId);
  const problems = [
    ...when.problems,
    ...renameProgress(
      check(contactBody, body, {
        kind: 'Say whether you spoke with them or tried to',
        durationMinutes: durationMessage,
      }),
      goalIds,
    ).filter((problem) => problem.field !== 'occurredAt'),
  ];
  if (when.value && when.value > new Date().toISOString()) {
    problems.push({ field: 'occurredAt', message: 'The date it happened must be today or in the past' });
  }
  const firstRated = rated[0];
  if (kind === 'attempt' && firstRated) {
    problems.push({
      field: progressField(firstRated.id),
      message: 'Only rate progress when you spoke with them, or choose ‘Not rated now’',
    });
  }
  return { body: body as ContactInput, goalIds, problems };
}

function savedMessage(episode: Episode, body: ContactInput, result: ContactResult): string {
  if (body.kind === 'contact') {
    const rated = body.goalProgress.length;
    return rated === 0
      ? 'Contact logged.'
      : `Contact logged, with progress on ${rated === 1 ? '1 goal' : `${rated} goals`}.`;
  }
  const inARow = result.failedAttempts === 1 ? '1 attempt' : `${result.failedAttempts} attempts in a row`;
  return result.unableToContact
    ? `Attempt logged. ${episode.personName} has not been reached after ${inARow}.`
    : `Attempt logged: ${inARow} without reaching ${episode.personName}.`;
}

function lastRating(goal: Goal): string | undefined {
  const last = [...goal.progress].sort((a, b) => b.recordedOn.localeCompare(a.recordedOn))[0];
  return last ? `Last rated ${last.rating} out of 10 on ${formatDate(last.recordedOn)}` : undefined;
}

function ContactForm({ episode }: { episode: Episode }) {
  const navigate = useNavigate();
  const errors = useFormErrors({ anchors: dateAnchor('occurredAt') });
  const log = useLogContact(episode.referralId);
  const sent = useRef<string[]>([]);
  // Before the first contact only attempts are logged here: reaching them is the first contact.
  const fixedKind: Kind | null = episode.firstContactAt ? null : 'attempt';
  const title = fixedKind ? 'Log an attempt to contact' : 'Log a contact';
  usePageTitle(title, errors.hasErrors);
  const goals = (episode.plan?.goals ?? [])
    .filter((goal) => goal.status === 'active')
    .sort((a, b) => a.position - b.position);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (log.isPending) return;
    const { body, goalIds, problems } = readBody(new FormData(event.currentTarget), fixedKind, goals);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    sent.current = goalIds;
    log.mutate(body, {
      onSuccess: (result) =>
        navigate(episodePath(episode.referralId), {
          state: { saved: savedMessage(episode, body, result) },
        }),
      onError: (error) => {
        if (isProblem(error) && error.errors.length > 0)
          errors.show(renameProgress(error.errors, sent.current));
        else errors.showError(error);
      },
    });
  };

  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      {fixedKind ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Log each time you try to contact {episode.personName} without reaching them. If you reached them,{' '}
            <Link to={`${episodePath(episode.referralId)}/first-contact`}>record the first contact</Link>{' '}
            instead.
          </p>
        </div>
      ) : (
        <p>Log a conversation with {episode.personName}, or a time you tried to reach them and could not.</p>
      )}
      <form onSubmit={submit} noValidate>
        {!fixedKind && (
          <Radios
            id="kind"
            legend="What happened?"
            items={[
              { value: 'contact', label: 'We spoke' },
              { value: 'attempt', label: 'I tried but did not reach them' },
            ]}
            error={errors.messageFor('kind')}
          />
        )}
        <DateTimeFields
          id="occurredAt"
          legend={fixedKind ? 'When did you try?' : 'When was it?'}
          errors={errors}
          defaultValue={nowInLondon()}
        />
        <Radios
          id="mode"
          legend={fixedKind ? 'How did you try to contact them?' : 'How?'}
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
        {!fixedKind && (
          <TextInput
            id="present"
            label="Who else was there? (optional)"
            hint="For example, their daughter, a carer or an interpreter"
            autoComplete="off"
            error={errors.messageFor('present')}
          />
        )}
        <Textarea id="note" label="Notes (optional)" error={errors.messageFor('note')} />
        {!fixedKind && goals.length > 0 && (
          <div className="nhsuk-form-group">
            <fieldset className="nhsuk-fieldset" aria-describedby="goalProgress-hint">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                How are they getting on with their goals? (optional)
              </legend>
              <div className="nhsuk-hint" id="goalProgress-hint">
                Only if you spoke with them. Ask them to rate each goal from 0 (not started) to 10 (fully
                achieved).
              </div>
              {goals.map((goal) => (
                <Select
                  key={goal.id}
                  id={progressField(goal.id)}
                  label={goal.description}
                  hint={lastRating(goal)}
                  placeholder="Not rated now"
                  options={ratingOptions}
                  error={errors.messageFor(progressField(goal.id))}
                />
              ))}
            </fieldset>
          </div>
        )}
        <button className="nhsuk-button" type="submit">
          {fixedKind ? 'Save attempt' : 'Save contact'}
        </button>
      </form>
    </TwoThirds>
  );
}

export function ContactNewPage() {
  const { id = '' } = useParams();
  return (
    <WithOpenEpisode referralId={id} title="Log a contact">
      {(episode) => <ContactForm episode={episode} />}
    </WithOpenEpisode>
  );
}
