import { type FormEvent, useState } from 'react';
import {
  type EvidenceStance,
  evidenceStances,
  participantRoleLabels,
} from '../../../../src/modules/research/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import { Radios } from '../../components/choices.tsx';
import type { FormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { Loading } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { stanceLabels } from './realist-parts.tsx';
import {
  type CmocDetail,
  type CmocEvidence,
  type CodedSegment,
  type EvidenceBody,
  useAddEvidence,
  useCodedSegments,
  useRemoveEvidence,
  useStudyCodes,
  useStudySources,
} from './realist-queries.ts';
import { showProblem } from './research-parts.tsx';

/*
 * A configuration's evidence, grouped by how it bears on it (supports, refutes, refines), each piece with its
 * words and where they come from; and the two ways to add a piece: choose text coded with a code (the retrieval
 * API), or give a source and the character positions of the text.
 */

type Said = (message: string | null) => void;

const stanceHints: Record<EvidenceStance, string> = {
  supports: 'The text shows the mechanism firing in this context, with this outcome',
  refutes: 'The text shows it not happening where the configuration says it would',
  refines: 'The text shows it needs changing: another context, a different response or outcome',
};

/** Long quotes are cut in lists to choose from; the evidence list shows what the API returns (up to 2,000). */
const cut = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function whereFrom(e: {
  sourceName: string;
  start: number;
  end: number;
  participantCode: string | null;
  role?: string | null;
  caseLabel: string | null;
  workPackage?: string | null;
}): string {
  return [
    `${e.sourceName}, characters ${e.start}–${e.end}`,
    e.participantCode
      ? `${e.participantCode}${e.role ? ` (${participantRoleLabels[e.role as keyof typeof participantRoleLabels] ?? e.role})` : ''}`
      : 'No participant',
    e.caseLabel ? `Case ${e.caseLabel}` : 'No case',
    ...(e.workPackage ? [e.workPackage] : []),
  ].join(' · ');
}

export function EvidenceList({
  cmoc,
  canRemove,
  errors,
  said,
}: {
  cmoc: CmocDetail;
  canRemove: boolean;
  errors: FormErrors;
  said: Said;
}) {
  const remove = useRemoveEvidence();
  const removeOne = (e: CmocEvidence) => {
    if (remove.isPending) return;
    said(null);
    remove.mutate(e.id, {
      onSuccess: () => said(`Evidence from ${e.sourceName} removed.`),
      onError: (error) => showProblem(errors, error),
    });
  };
  return (
    <section aria-labelledby="evidence-heading">
      <h2 className="nhsuk-heading-l" id="evidence-heading">
        Evidence
      </h2>
      {cmoc.evidence.length === 0 && <p>No evidence linked to {cmoc.label} yet.</p>}
      {evidenceStances.map((stance) => {
        const pieces = cmoc.evidence.filter((e) => e.stance === stance);
        if (pieces.length === 0) return null;
        return (
          <div key={stance}>
            <h3 className="nhsuk-heading-m">
              {stanceLabels[stance]} ({pieces.length})
            </h3>
            <ul className="nhsuk-list app-realist-evidence-list">
              {pieces.map((e) => (
                <li className="app-realist-evidence" key={e.id}>
                  <blockquote className="app-realist-quote">{e.text}</blockquote>
                  <p className="nhsuk-body-s app-research-meta">{whereFrom(e)}</p>
                  {e.note && (
                    <p className="nhsuk-body-s">
                      <strong>Note:</strong> {e.note}
                    </p>
                  )}
                  {canRemove && (
                    <button
                      className="app-link-button nhsuk-body-s"
                      type="button"
                      onClick={() => removeOne(e)}
                    >
                      Remove
                      <span className="nhsuk-u-visually-hidden">
                        {' '}
                        evidence from {e.sourceName}, characters {e.start}–{e.end}
                      </span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function StanceAndNote({
  prefix,
  messageFor,
}: {
  prefix: string;
  messageFor: (f: string) => string | undefined;
}) {
  return (
    <>
      <Radios
        id={`${prefix}Stance`}
        legend="How does it bear on the configuration?"
        items={evidenceStances.map((s) => ({ value: s, label: stanceLabels[s], hint: stanceHints[s] }))}
        error={messageFor(`${prefix}Stance`)}
      />
      <Textarea
        id={`${prefix}Note`}
        label="Note (optional)"
        hint="Why it bears on it; shown in the cross-case matrix in place of the quote"
        rows={2}
        error={messageFor(`${prefix}Note`)}
      />
    </>
  );
}

/** The API's field names, as the form's for one of the two ways of adding evidence. */
const renameFor = (prefix: 'segment' | 'range') => (field: string) => {
  if (prefix === 'segment' && ['sourceId', 'start', 'end', 'codingId'].includes(field)) return 'segment';
  const names: Record<string, string> = {
    sourceId: 'Source',
    start: 'Start',
    end: 'End',
    stance: 'Stance',
    note: 'Note',
  };
  return names[field] ? `${prefix}${names[field]}` : field;
};

function readStance(form: FormData, prefix: string, problems: FieldProblem[]) {
  const stance = String(form.get(`${prefix}Stance`) ?? '') as EvidenceStance | '';
  if (!stance) {
    problems.push({
      field: `${prefix}Stance`,
      message: 'Say whether it supports, refutes or refines the configuration',
    });
  }
  const note = String(form.get(`${prefix}Note`) ?? '').trim() || null;
  return { stance, note };
}

function FromCodedText({
  cmoc,
  studyId,
  errors,
  said,
}: {
  cmoc: CmocDetail;
  studyId: string;
  errors: FormErrors;
  said: Said;
}) {
  const codes = useStudyCodes(studyId, true);
  const [codeId, setCodeId] = useState<string | null>(null);
  const segments = useCodedSegments(studyId, codeId);
  const add = useAddEvidence(cmoc.id);
  const [formKey, setFormKey] = useState(0);
  const listed = segments.data?.segments.listed ?? [];
  const shown = listed.slice(0, 50);
  const codeName = codes.data?.find((c) => c.id === codeId)?.name ?? 'the code';

  const find = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = String(new FormData(event.currentTarget).get('segmentCode') ?? '');
    said(null);
    if (!chosen) return errors.show([{ field: 'segmentCode', message: 'Choose a code to find its text' }]);
    errors.clear();
    setCodeId(chosen);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (add.isPending) return;
    const form = new FormData(event.currentTarget);
    const problems: FieldProblem[] = [];
    const index = String(form.get('segment') ?? '');
    const segment: CodedSegment | undefined = index === '' ? undefined : shown[Number(index)];
    if (!segment) problems.push({ field: 'segment', message: 'Choose the text that is evidence' });
    const { stance, note } = readStance(form, 'segment', problems);
    said(null);
    if (problems.length > 0 || !segment || !stance) return errors.show(problems);
    errors.clear();
    const body: EvidenceBody = {
      sourceId: segment.sourceId,
      start: segment.start,
      end: segment.end,
      stance,
      note,
    };
    add.mutate(body, {
      onSuccess: () => {
        setFormKey((k) => k + 1);
        said(`Evidence from ${segment.sourceName} added: it ${stance} ${cmoc.label}.`);
      },
      onError: (error) => showProblem(errors, error, renameFor('segment')),
    });
  };

  return (
    <div className="app-research-group">
      <h3 className="nhsuk-heading-m">From coded text</h3>
      <form onSubmit={find} noValidate>
        <div className="app-actions">
          <Select
            id="segmentCode"
            label="Code"
            hint="Text coded with it, in the study’s de-identified sources"
            placeholder={codes.isPending ? 'Loading…' : 'Choose a code'}
            options={(codes.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.codings})` }))}
            error={errors.messageFor('segmentCode')}
          />
          <button className="nhsuk-button nhsuk-button--secondary app-research-filter-button" type="submit">
            Find coded text
          </button>
        </div>
      </form>
      {codes.isError && <InlineProblem error={codes.error} />}
      {codeId && segments.isPending && <Loading what="coded text" />}
      {segments.isError && <InlineProblem error={segments.error} />}
      {segments.data && listed.length === 0 && <p>No text is coded {codeName} yet.</p>}
      {segments.data && listed.length > 0 && (
        <form onSubmit={submit} noValidate key={`${codeId}-${formKey}`}>
          <Radios
            id="segment"
            legend={`Text coded ${codeName}`}
            hint={
              segments.data.segments.total > shown.length
                ? `The first ${shown.length} of ${segments.data.segments.total} pieces`
                : `${segments.data.segments.total} ${segments.data.segments.total === 1 ? 'piece' : 'pieces'}, in ${segments.data.sources.length} ${segments.data.sources.length === 1 ? 'source' : 'sources'}`
            }
            items={shown.map((s, i) => ({
              value: String(i),
              label: `“${cut(s.text)}”`,
              hint: whereFrom(s),
            }))}
            error={errors.messageFor('segment')}
          />
          <StanceAndNote prefix="segment" messageFor={errors.messageFor} />
          <button className="nhsuk-button" type="submit" disabled={add.isPending}>
            Add evidence
          </button>
        </form>
      )}
    </div>
  );
}

function ByPosition({
  cmoc,
  studyId,
  errors,
  said,
}: {
  cmoc: CmocDetail;
  studyId: string;
  errors: FormErrors;
  said: Said;
}) {
  const sources = useStudySources(studyId, true);
  const ready = (sources.data ?? []).filter((s) => s.status === 'ready');
  const add = useAddEvidence(cmoc.id);
  const [formKey, setFormKey] = useState(0);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (add.isPending) return;
    const form = new FormData(event.currentTarget);
    const problems: FieldProblem[] = [];
    const sourceId = String(form.get('rangeSource') ?? '');
    const source = ready.find((s) => s.id === sourceId);
    if (!source) problems.push({ field: 'rangeSource', message: 'Choose a source' });
    const position = (name: 'rangeStart' | 'rangeEnd', what: string) => {
      const raw = String(form.get(name) ?? '').trim();
      if (!/^\d+$/.test(raw)) {
        problems.push({ field: name, message: `Enter where the text ${what} as a whole number, like 120` });
        return null;
      }
      return Number(raw);
    };
    const start = position('rangeStart', 'starts');
    const end = position('rangeEnd', 'ends');
    if (start !== null && end !== null && end <= start) {
      problems.push({ field: 'rangeEnd', message: 'The end must be after the start' });
    } else if (source && end !== null && end > source.length) {
      problems.push({
        field: 'rangeEnd',
        message: `The end must be within the source: it has ${source.length} characters`,
      });
    }
    const { stance, note } = readStance(form, 'range', problems);
    said(null);
    if (problems.length > 0 || !source || start === null || end === null || !stance) {
      return errors.show(problems);
    }
    errors.clear();
    add.mutate(
      { sourceId, start, end, stance, note },
      {
        onSuccess: () => {
          setFormKey((k) => k + 1);
          said(`Evidence from ${source.name} added: it ${stance} ${cmoc.label}.`);
        },
        onError: (error) => showProblem(errors, error, renameFor('range')),
      },
    );
  };

  return (
    <div className="app-research-group">
      <h3 className="nhsuk-heading-m">By position in a source</h3>
      {sources.isError && <InlineProblem error={sources.error} />}
      <form onSubmit={submit} noValidate key={formKey}>
        <Select
          id="rangeSource"
          label="Source"
          hint="De-identified sources only"
          placeholder={sources.isPending ? 'Loading…' : 'Choose a source'}
          options={ready.map((s) => ({
            value: s.id,
            label: `${s.name} (${[s.participantCode, s.caseLabel].filter(Boolean).join(', ') || 'no participant'}), ${s.length} characters`,
          }))}
          error={errors.messageFor('rangeSource')}
        />
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Where the text is</legend>
          <div className="nhsuk-hint">
            Character positions in the de-identified text, counting from 0: the start is the first character,
            the end the position just after the last.
          </div>
          <div className="app-actions">
            <TextInput
              id="rangeStart"
              label="Start"
              inputMode="numeric"
              width={5}
              error={errors.messageFor('rangeStart')}
            />
            <TextInput
              id="rangeEnd"
              label="End"
              inputMode="numeric"
              width={5}
              error={errors.messageFor('rangeEnd')}
            />
          </div>
        </fieldset>
        <StanceAndNote prefix="range" messageFor={errors.messageFor} />
        <button className="nhsuk-button" type="submit" disabled={add.isPending}>
          Add evidence
        </button>
      </form>
    </div>
  );
}

export function AddEvidence(props: { cmoc: CmocDetail; studyId: string; errors: FormErrors; said: Said }) {
  return (
    <section aria-labelledby="add-evidence-heading">
      <h2 className="nhsuk-heading-l" id="add-evidence-heading">
        Add evidence
      </h2>
      <p>Link text from the study’s de-identified sources: choose it from coded text, or say where it is.</p>
      <FromCodedText {...props} />
      <ByPosition {...props} />
    </section>
  );
}
