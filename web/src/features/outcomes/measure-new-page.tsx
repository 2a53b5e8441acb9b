import { type FormEvent, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Checkboxes, Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { type Answers, Questionnaire, unanswered } from '../../components/questionnaire.tsx';
import { episodePath, WithEpisode } from '../episodes/episode-parts.tsx';
import { completedByLabels, modeLabels, timepointLabels } from './labels.ts';
import { type MeasureInput, useEpisodeDue, useInstruments, useRecordMeasures } from './queries.ts';

/*
 * Recording measures with the person (or their own answers typed in): the timepoint, who completed it and how,
 * then each chosen questionnaire rendered from its definition. One response per questionnaire; a questionnaire
 * with questions left is kept as partly answered (never scored as complete) once the link worker confirms it.
 */

/** Each item's inline message, from the form's errors named `<instrument>-<item>`. */
function itemErrors(
  code: string,
  items: { linkId: string }[],
  messageFor: (field: string) => string | undefined,
): Record<string, string> {
  const found: Record<string, string> = {};
  for (const item of items) {
    const message = messageFor(`${code}-${item.linkId}`);
    if (message) found[item.linkId] = message;
  }
  return found;
}

const timepointOrder = ['baseline', 'discharge', 'follow_up_short', 'follow_up_long', 'other'];

function RecordForm({ episode }: { episode: Episode }) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const instruments = useInstruments();
  const due = useEpisodeDue(episode.referralId);
  const record = useRecordMeasures(episode.referralId);
  const errors = useFormErrors({ anchors: { completedOn: 'completedOn-day' } });
  const [answers, setAnswers] = useState<Record<string, Answers>>({});
  const [partialOk, setPartialOk] = useState(false);
  // One submission id per questionnaire for as long as the page is open: sending twice records once.
  const [submissionIds] = useState(() => new Map<string, string>());
  const submissionId = (code: string) => {
    if (!submissionIds.has(code)) submissionIds.set(code, crypto.randomUUID());
    return submissionIds.get(code)!;
  };
  const title = 'Record outcome measures';
  usePageTitle(title, errors.hasErrors);

  const usable = useMemo(() => (instruments.data?.items ?? []).filter((i) => i.enabled), [instruments.data]);
  const dueNow = (due.data?.items ?? []).filter((d) => d.status === 'due' || d.status === 'overdue');
  const suggestedTimepoint =
    params.get('timepoint') ?? (dueNow.find((d) => d.status === 'due') ?? dueNow[0])?.timepoint ?? 'baseline';
  const [timepoint, setTimepoint] = useState<string>(suggestedTimepoint);
  const settingsCodes = due.data?.settings.instrumentCodes ?? [];
  const [chosen, setChosen] = useState<string[] | null>(null);
  if (instruments.isPending || due.isPending) return <Loading />;
  if (instruments.isError) return <InlineProblem error={instruments.error} />;
  const selected =
    chosen ??
    (settingsCodes.length ? settingsCodes : ['ons4', 'ucla3']).filter((c) =>
      usable.some((i) => i.code === c),
    );
  const questionnaires = usable.filter((i) => selected.includes(i.code));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (record.isPending) return;
    const form = new FormData(event.currentTarget);
    const completedOn = readDate(form, 'completedOn', 'The date it was completed', '26 11 2026');
    const problems: { field: string; message: string }[] = [];
    if (completedOn.kind !== 'date') {
      problems.push({
        field: 'completedOn',
        message: completedOn.kind === 'empty' ? 'Enter the date it was completed' : completedOn.message,
      });
    } else if (completedOn.value > todayInEngland()) {
      problems.push({ field: 'completedOn', message: 'The date must be today or in the past' });
    }
    const completedBy = String(form.get('completedBy') ?? '');
    const mode = String(form.get('mode') ?? '');
    if (!completedBy) problems.push({ field: 'completedBy', message: 'Choose who completed it' });
    if (!mode) problems.push({ field: 'mode', message: 'Choose how it was completed' });
    if (questionnaires.length === 0) {
      problems.push({ field: 'instruments', message: 'Choose at least one questionnaire' });
    }
    const answeredAny = questionnaires.filter((q) => Object.keys(answers[q.code] ?? {}).length > 0);
    if (questionnaires.length > 0 && answeredAny.length === 0) {
      problems.push({ field: 'instruments', message: 'Answer the questions before recording' });
    }
    if (!partialOk) {
      for (const q of answeredAny) {
        for (const item of unanswered(q.definition, answers[q.code] ?? {})) {
          problems.push({
            field: `${q.code}-${item.linkId}`,
            message: `Choose an answer to “${item.text}”, or record it as partly answered below`,
          });
        }
      }
    }
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    const inputs: MeasureInput[] = answeredAny.map((q) => ({
      instrumentCode: q.code,
      timepoint,
      completedOn: completedOn.kind === 'date' ? completedOn.value : '',
      completedBy,
      mode,
      answers: answers[q.code] ?? {},
      submissionId: submissionId(q.code),
    }));
    record.mutate(inputs, {
      onSuccess: (recorded) =>
        navigate(episodePath(episode.referralId), {
          state: {
            saved: `${recorded.map((m) => m.instrumentTitle).join(' and ')} recorded for ${episode.personName}.`,
          },
        }),
      onError: (error) => errors.showError(error),
    });
  };

  const hasMissing = questionnaires.some(
    (q) =>
      Object.keys(answers[q.code] ?? {}).length > 0 &&
      unanswered(q.definition, answers[q.code] ?? {}).length > 0,
  );

  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      <form
        onSubmit={submit}
        noValidate
        onChange={(e) => {
          // The choices are uncontrolled: the timepoint and questionnaires are read as they change.
          const target = e.target as unknown as HTMLInputElement;
          if (target.name === 'timepoint') setTimepoint(target.value);
          if (target.name === 'instruments') {
            const boxes = e.currentTarget.querySelectorAll<HTMLInputElement>(
              'input[name="instruments"]:checked',
            );
            setChosen([...boxes].map((b) => b.value));
          }
        }}
      >
        <Radios
          id="timepoint"
          legend="Which measure is this?"
          legendSize="m"
          items={timepointOrder.map((t) => ({
            value: t,
            label: timepointLabels[t] ?? t,
            hint: dueNow.some((d) => d.timepoint === t) ? 'Due now' : undefined,
          }))}
          defaultValue={timepoint}
          error={errors.messageFor('timepoint')}
        />
        <Checkboxes
          id="instruments"
          legend="Questionnaires"
          legendSize="m"
          hint="Your PCN’s usual questionnaires are ticked"
          items={usable.map((i) => ({ value: i.code, label: i.title }))}
          defaultValues={selected}
          error={errors.messageFor('instruments')}
        />
        <Radios
          id="completedBy"
          legend="Who completed it?"
          items={Object.entries(completedByLabels).map(([value, label]) => ({ value, label }))}
          defaultValue="with_link_worker"
          error={errors.messageFor('completedBy')}
        />
        <Radios
          id="mode"
          legend="How?"
          inline
          items={Object.entries(modeLabels).map(([value, label]) => ({ value, label }))}
          defaultValue="in_person"
          error={errors.messageFor('mode')}
        />
        <DateInput
          id="completedOn"
          legend="Date completed"
          hint="For example, 26 11 2026"
          defaultValue={todayInEngland()}
          error={errors.messageFor('completedOn')}
        />
        {questionnaires.map((q) => (
          <Questionnaire
            key={q.code}
            questionnaire={{ ...q.definition, licenceNotice: q.licenceNotice }}
            answers={answers[q.code] ?? {}}
            errors={itemErrors(q.code, q.definition.items, errors.messageFor)}
            onAnswer={(linkId, value) =>
              setAnswers((a) => ({ ...a, [q.code]: { ...a[q.code], [linkId]: value } }))
            }
          />
        ))}
        {hasMissing && (
          <div className="nhsuk-form-group">
            <div className="nhsuk-checkboxes">
              <div className="nhsuk-checkboxes__item">
                <input
                  className="nhsuk-checkboxes__input"
                  id="partialOk"
                  type="checkbox"
                  checked={partialOk}
                  onChange={(e) => setPartialOk(e.target.checked)}
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="partialOk">
                  Record as partly answered: {episode.personName} chose not to answer some questions
                </label>
              </div>
            </div>
          </div>
        )}
        <button className="nhsuk-button" type="submit" disabled={record.isPending}>
          {record.isPending ? 'Recording…' : 'Record measures'}
        </button>
      </form>
    </TwoThirds>
  );
}

export function MeasureNewPage() {
  const { id = '' } = useParams();
  return <WithEpisode referralId={id}>{(episode) => <RecordForm episode={episode} />}</WithEpisode>;
}
