import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { caseInput } from '../../../../src/modules/research/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { canWrite, showProblem, WithStudy } from './research-parts.tsx';
import { researchPaths, type Study, useAddCase, useCaseCandidates } from './research-queries.ts';

const anchors = { startsOn: 'startsOn-day', endsOn: 'endsOn-day' };

/** The API names the link worker and their PCN apart; the form has one list of both. */
const rename = (field: string) =>
  field === 'linkWorkerId' || field === 'linkWorkerOrganisationId' ? 'linkWorker' : field;

/** The next label after the study's cases, C1, C2 …, as a suggestion. */
function nextLabel(study: Study): string {
  const used = study.cases.map((c) => Number(/^C(\d+)$/.exec(c.label)?.[1] ?? 0));
  return `C${Math.max(0, ...used) + 1}`;
}

function CaseForm({ study }: { study: Study }) {
  const navigate = useNavigate();
  const candidates = useCaseCandidates(study.id, canWrite(study.myRole));
  const addCase = useAddCase(study.id);
  const errors = useFormErrors({ anchors });
  const title = 'Add a case';
  usePageTitle(title, errors.hasErrors);
  if (!canWrite(study.myRole)) {
    return (
      <TwoThirds>
        <BackLink to={researchPaths.study(study.id)}>Back to the study</BackLink>
        <PageHeading caption={study.title}>{title}</PageHeading>
        <p>Only the study’s leads and researchers add cases.</p>
      </TwoThirds>
    );
  }
  if (candidates.isPending) return <Loading />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (addCase.isPending) return;
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const startsOn = readDate(form, 'startsOn', 'The date the case starts');
    const endsOn = readDate(form, 'endsOn', 'The date the case ends');
    const [linkWorkerId, linkWorkerOrganisationId] = text('linkWorker').split('|');
    const body = {
      siteId: text('siteId'),
      label: text('label').toUpperCase(),
      linkWorkerId: linkWorkerId || null,
      linkWorkerOrganisationId: linkWorkerOrganisationId || null,
      startsOn: startsOn.kind === 'date' ? startsOn.value : '',
      ...(endsOn.kind === 'date' ? { endsOn: endsOn.value } : {}),
      ...(text('description') ? { description: text('description') } : {}),
    };
    // The three date boxes say more about what is wrong with a date than the contract can.
    const problems: FieldProblem[] = check(caseInput, body)
      .map((p) => ({ ...p, field: rename(p.field) }))
      .filter((p) => p.field !== 'startsOn');
    if (startsOn.kind !== 'date') {
      const message = startsOn.kind === 'invalid' ? startsOn.message : 'Enter the date the case starts';
      problems.push({ field: 'startsOn', message });
    }
    if (endsOn.kind === 'invalid') problems.push({ field: 'endsOn', message: endsOn.message });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    addCase.mutate(body, {
      onSuccess: (added) =>
        navigate(researchPaths.study(study.id), {
          state: { saved: `Case ${body.label} added. It is studied until ${formatDate(added.endsOn)}.` },
        }),
      onError: (error) => showProblem(errors, error, rename),
    });
  };

  return (
    <TwoThirds>
      <BackLink to={researchPaths.study(study.id)}>Back to the study</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{title}</PageHeading>
      <p>A case is a link worker at one of the study’s sites, studied in depth for a period.</p>
      {study.sites.length === 0 ? (
        <p>
          The study has no sites yet.{' '}
          <Link to={researchPaths.study(study.id)}>Add a site on the study’s page</Link> first.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Select
            id="siteId"
            label="Site"
            placeholder="Choose a site"
            options={study.sites.map((s) => ({ value: s.id, label: s.name }))}
            defaultValue={study.sites.length === 1 ? study.sites[0]?.id : ''}
            error={errors.messageFor('siteId')}
          />
          <TextInput
            id="label"
            label="Case label"
            hint="Capitals and digits, like C3. Participants’ study IDs start with it."
            width={5}
            spellCheck={false}
            defaultValue={nextLabel(study)}
            error={errors.messageFor('label')}
          />
          <Select
            id="linkWorker"
            label="Link worker"
            hint="Link workers in your organisation’s PCNs, with the PCN whose record of their role the case uses"
            placeholder="No link worker"
            options={(candidates.data ?? []).map((c) => ({
              value: `${c.id}|${c.organisationId}`,
              label: `${c.name} (${c.organisationName})`,
            }))}
            error={errors.messageFor('linkWorker')}
          />
          <DateInput
            id="startsOn"
            legend="Date the case starts"
            hint="For example, 1 3 2026"
            error={errors.messageFor('startsOn')}
          />
          <DateInput
            id="endsOn"
            legend="Date the case ends (optional)"
            hint="Leave this empty and the case runs for 3 months by default: a case starting on 1 3 2026 ends on 31 5 2026."
            error={errors.messageFor('endsOn')}
          />
          <Textarea
            id="description"
            label="Description (optional)"
            hint="Why this case was chosen, for example a VCSE-hosted link worker in a rural PCN"
            rows={3}
            error={errors.messageFor('description')}
          />
          <button className="nhsuk-button" type="submit" disabled={addCase.isPending}>
            {addCase.isPending ? 'Adding…' : 'Add case'}
          </button>
        </form>
      )}
    </TwoThirds>
  );
}

export function CaseNewPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <CaseForm study={study} />}</WithStudy>;
}
