import type { FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { studyInput } from '../../../../src/modules/research/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { DateInput, type DateReading, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { showProblem } from './research-parts.tsx';
import { researchPaths, useCreateStudy } from './research-queries.ts';

const anchors = { startsOn: 'startsOn-day', endsOn: 'endsOn-day' };
const codes = ['WP1', 'WP2'] as const;

/** The API's `workPackages.1.title` is the form's `wp2Title` when both packages are given (`included` says). */
function fieldOf(field: string, included: (typeof codes)[number][]): string {
  const match = /^workPackages\.(\d+)\.(title|description)/.exec(field);
  if (!match) return field.split('.')[0] ?? field;
  const code = included[Number(match[1])] ?? 'WP1';
  return `${code.toLowerCase()}${match[2] === 'title' ? 'Title' : 'Description'}`;
}

function dateProblem(reading: DateReading, what: string): string {
  return reading.kind === 'invalid' ? reading.message : `Enter ${what}`;
}

function readBody(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const startsOn = readDate(form, 'startsOn', 'The start date', '1 4 2026');
  const endsOn = readDate(form, 'endsOn', 'The end date', '31 3 2028');
  const included = codes.filter(
    (c) => text(`${c.toLowerCase()}Title`) || text(`${c.toLowerCase()}Description`),
  );
  const months = text('audioRetentionMonths');
  const body = {
    title: text('title'),
    question: text('question'),
    ethicsReference: text('ethicsReference') || undefined,
    funder: text('funder') || undefined,
    startsOn: startsOn.kind === 'date' ? startsOn.value : '',
    endsOn: endsOn.kind === 'date' ? endsOn.value : '',
    workPackages: included.map((code) => ({
      code,
      title: text(`${code.toLowerCase()}Title`),
      description: text(`${code.toLowerCase()}Description`) || undefined,
    })),
    initialProgrammeTheory: text('initialProgrammeTheory') || undefined,
    audioRetentionMonths: months === '' ? undefined : Number(months),
    keepUnredactedText: text('keepUnredactedText') === 'yes',
  };
  const problems: FieldProblem[] = check(studyInput, body).map((p) => {
    if (p.field === 'startsOn' && startsOn.kind !== 'date')
      return { field: p.field, message: dateProblem(startsOn, 'the date the study starts') };
    if (p.field === 'endsOn' && endsOn.kind !== 'date')
      return { field: p.field, message: dateProblem(endsOn, 'the date the study ends') };
    return { field: fieldOf(p.field, included), message: p.message };
  });
  // The contract checks the dates' order only once every field is valid: say it now, with the rest.
  if (
    body.startsOn &&
    body.endsOn &&
    body.endsOn < body.startsOn &&
    !problems.some((p) => p.field === 'endsOn')
  ) {
    problems.push({ field: 'endsOn', message: 'The end date must be on or after the start date' });
  }
  return { body, problems, included };
}

function WorkPackageFields({
  code,
  title,
  hint,
  messageFor,
}: {
  code: (typeof codes)[number];
  title: string;
  hint: string;
  messageFor: (field: string) => string | undefined;
}) {
  const id = code.toLowerCase();
  return (
    <fieldset className="nhsuk-fieldset app-research-group">
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{code}</legend>
      <div className="nhsuk-hint">{hint}</div>
      <TextInput
        id={`${id}Title`}
        label={`${code} title`}
        defaultValue={title}
        error={messageFor(`${id}Title`)}
      />
      <Textarea
        id={`${id}Description`}
        label={`${code} description (optional)`}
        rows={3}
        error={messageFor(`${id}Description`)}
      />
    </fieldset>
  );
}

/** Starting a study: its question, approvals, work packages, initial programme theory and data rules. */
export function StudyNewPage() {
  const navigate = useNavigate();
  const create = useCreateStudy();
  const errors = useFormErrors({ anchors });
  const title = 'Start a study';
  usePageTitle(title, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const { body, problems, included } = readBody(new FormData(event.currentTarget));
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    create.mutate(body, {
      onSuccess: (study) =>
        navigate(researchPaths.study(study.id), {
          state: { saved: 'Study started. You are its lead: add your team, sites and cases.' },
        }),
      onError: (error) => showProblem(errors, error, (field) => fieldOf(field, included)),
    });
  };

  return (
    <TwoThirds>
      <BackLink to={researchPaths.studies}>Back to research studies</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{title}</PageHeading>
      <p>You will be the study’s lead. You can add the rest of the team once it has started.</p>
      <form onSubmit={submit} noValidate>
        <TextInput id="title" label="Study title" error={errors.messageFor('title')} />
        <Textarea
          id="question"
          label="Research question"
          hint="For example, when implementing link workers in primary care to sustain outcomes, what works, for whom, why and in what circumstances?"
          rows={3}
          error={errors.messageFor('question')}
        />
        <TextInput
          id="ethicsReference"
          label="Ethics reference (optional)"
          hint="The research ethics committee’s reference, for example 25/NW/0217"
          width={20}
          spellCheck={false}
          error={errors.messageFor('ethicsReference')}
        />
        <TextInput id="funder" label="Funder (optional)" error={errors.messageFor('funder')} />
        <DateInput
          id="startsOn"
          legend="Date the study starts"
          hint="For example, 1 4 2026"
          error={errors.messageFor('startsOn')}
        />
        <DateInput
          id="endsOn"
          legend="Date the study ends"
          hint="For example, 31 3 2028"
          error={errors.messageFor('endsOn')}
        />
        <h2 className="nhsuk-heading-m">Work packages</h2>
        <WorkPackageFields
          code="WP1"
          title="Case studies"
          hint="Link workers studied in depth for 3 months each: interviews, observation and documents."
          messageFor={errors.messageFor}
        />
        <WorkPackageFields
          code="WP2"
          title="Patient follow-up interviews"
          hint="WP1 patients interviewed again 9 to 12 months after their first interview. Clear the title if the study has no WP2."
          messageFor={errors.messageFor}
        />
        <Textarea
          id="initialProgrammeTheory"
          label="Initial programme theory (optional)"
          hint="The theory the study tests, often as “if [context], then [outcome], because [mechanism]” statements."
          rows={8}
          error={errors.messageFor('initialProgrammeTheory')}
        />
        <h2 className="nhsuk-heading-m">Data rules</h2>
        <TextInput
          id="audioRetentionMonths"
          label="Months audio recordings are kept after the study ends"
          hint="A whole number, for example 6. Use 0 to delete them when the study ends."
          inputMode="numeric"
          width={3}
          error={errors.messageFor('audioRetentionMonths')}
        />
        <Radios
          id="keepUnredactedText"
          legend="Keep transcripts’ text as it was before identifying details were removed?"
          hint="Usually no: once redactions are accepted, only the de-identified text is kept."
          inline
          items={[
            { value: 'no', label: 'No' },
            { value: 'yes', label: 'Yes' },
          ]}
          defaultValue="no"
          error={errors.messageFor('keepUnredactedText')}
        />
        <button className="nhsuk-button" type="submit" disabled={create.isPending}>
          {create.isPending ? 'Starting…' : 'Start study'}
        </button>
      </form>
    </TwoThirds>
  );
}
