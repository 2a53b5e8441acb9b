import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type {
  CmocStatus,
  confidenceLevels,
  EvidenceStance,
} from '../../../../src/modules/research/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import type { SummaryRow, TagColour } from '../../components/page-parts.tsx';
import { SummaryList, Tag } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import type { CmocBody, CmocSummary } from './realist-queries.ts';
import { realistPaths } from './realist-queries.ts';
import { Written } from './research-parts.tsx';

/*
 * What the realist analysis pages share: the words for a configuration's status, evidence and confidence; its
 * parts as a summary list; the fields that propose or refine one (contexts as a list that grows); and the links
 * between the study's analysis pages.
 */

type Confidence = (typeof confidenceLevels)[number];

export const cmocStatusLabels: Record<CmocStatus, string> = {
  proposed: 'Proposed',
  supported: 'Supported',
  refuted: 'Refuted',
  refined: 'Refined',
};

export const cmocStatusColours: Record<CmocStatus, TagColour> = {
  proposed: 'blue',
  supported: 'green',
  refuted: 'red',
  refined: 'grey',
};

export const stanceLabels: Record<EvidenceStance, string> = {
  supports: 'Supports',
  refutes: 'Refutes',
  refines: 'Refines',
};

export const confidenceLabels: Record<Confidence, string> = {
  low: 'Low',
  moderate: 'Moderate',
  high: 'High',
};

export function StatusTag({ status }: { status: CmocStatus }) {
  return <Tag colour={cmocStatusColours[status]}>{cmocStatusLabels[status]}</Tag>;
}

/** `2 support, 1 refutes, none refine` reads badly; `supports 2 · refutes 1 · refines 0` is quick to scan. */
export function evidenceCounts(t: { supports: number; refutes: number; refines: number }): string {
  return `supports ${t.supports} · refutes ${t.refutes} · refines ${t.refines}`;
}

/** A configuration's parts: its contexts, the mechanism (resource and response), outcome, intervention, actor. */
export function cmocPartRows(
  c: Pick<
    CmocSummary,
    'contexts' | 'mechanismResource' | 'mechanismResponse' | 'outcome' | 'intervention' | 'actor'
  >,
): SummaryRow[] {
  return [
    {
      key: c.contexts.length === 1 ? 'Context' : 'Contexts',
      value:
        c.contexts.length === 1 ? (
          c.contexts[0]
        ) : (
          <ul className="nhsuk-list nhsuk-list--bullet app-realist-tight">
            {c.contexts.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: contexts can repeat; their order is fixed
              <li key={i}>{x}</li>
            ))}
          </ul>
        ),
    },
    { key: 'Mechanism resource', value: c.mechanismResource },
    { key: 'Mechanism response', value: c.mechanismResponse },
    { key: 'Outcome', value: c.outcome },
    ...(c.intervention ? [{ key: 'Intervention', value: c.intervention }] : []),
    ...(c.actor ? [{ key: 'Actor', value: c.actor }] : []),
  ];
}

export function CmocParts({ cmoc }: { cmoc: Parameters<typeof cmocPartRows>[0] }) {
  return <SummaryList rows={cmocPartRows(cmoc)} />;
}

/** The if–then–because statement, set apart from the parts it was written from. */
export function Statement({ children }: { children: string }) {
  return (
    <blockquote className="app-realist-statement">
      <Written>{children}</Written>
    </blockquote>
  );
}

const MAX_CONTEXTS = 10;

/**
 * The fields of a configuration, for proposing one or refining one into its next version (pre-filled). Contexts
 * are a list that grows and shrinks; their inputs are `contexts-0`, `contexts-1`… in order, so the API's
 * `contexts.1` problem lands on the second.
 */
export function CmocFields({
  messageFor,
  initial,
  statementHint,
}: {
  messageFor: (field: string) => string | undefined;
  initial?: Partial<CmocBody>;
  statementHint: string;
}) {
  const nextKey = useRef(0);
  const newKey = () => {
    nextKey.current += 1;
    return nextKey.current;
  };
  const [contexts, setContexts] = useState(() =>
    (initial?.contexts?.length ? initial.contexts : ['']).map((text) => ({ key: newKey(), text })),
  );
  const focusIndex = useRef<number | null>(null);
  useEffect(() => {
    if (focusIndex.current === null) return;
    document.getElementById(`contexts-${focusIndex.current}`)?.focus();
    focusIndex.current = null;
  });

  const add = () => {
    focusIndex.current = contexts.length;
    setContexts([...contexts, { key: newKey(), text: '' }]);
  };
  const remove = (index: number) => {
    focusIndex.current = Math.max(0, index - 1);
    setContexts(contexts.filter((_, i) => i !== index));
  };

  return (
    <>
      <TextInput
        id="title"
        label="Short title"
        hint="For example, Practice buy-in"
        defaultValue={initial?.title ?? ''}
        error={messageFor('title')}
      />
      <fieldset className="nhsuk-fieldset app-research-group">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Contexts</legend>
        <div className="nhsuk-hint">
          The circumstances in which the mechanism fires, one to a box: for example, the link worker sits in
          the practice.
        </div>
        {contexts.map((c, index) => (
          <div className="app-realist-context" key={c.key}>
            <TextInput
              id={`contexts-${index}`}
              name="context"
              label={`Context ${index + 1}`}
              defaultValue={c.text}
              error={messageFor(`contexts.${index}`)}
            />
            {contexts.length > 1 && (
              <button
                className="app-link-button app-realist-context__remove"
                type="button"
                onClick={() => remove(index)}
              >
                Remove<span className="nhsuk-u-visually-hidden"> context {index + 1}</span>
              </button>
            )}
          </div>
        ))}
        {contexts.length < MAX_CONTEXTS && (
          <button
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            type="button"
            onClick={add}
          >
            Add another context
          </button>
        )}
      </fieldset>
      <Textarea
        id="mechanismResource"
        label="Mechanism: resource"
        hint="What the programme offers, for example a warm handover from the GP"
        rows={2}
        defaultValue={initial?.mechanismResource ?? ''}
        error={messageFor('mechanismResource')}
      />
      <Textarea
        id="mechanismResponse"
        label="Mechanism: response"
        hint="How people respond to it, for example patients trust the referral"
        rows={2}
        defaultValue={initial?.mechanismResponse ?? ''}
        error={messageFor('mechanismResponse')}
      />
      <Textarea
        id="outcome"
        label="Outcome"
        hint="For example, patients take up the referral"
        rows={2}
        defaultValue={initial?.outcome ?? ''}
        error={messageFor('outcome')}
      />
      <TextInput
        id="intervention"
        label="Intervention (optional)"
        defaultValue={initial?.intervention ?? ''}
        error={messageFor('intervention')}
      />
      <TextInput
        id="actor"
        label="Actor (optional)"
        hint="Whose reasoning the mechanism is about, for example patients or practice staff"
        defaultValue={initial?.actor ?? ''}
        error={messageFor('actor')}
      />
      <Textarea
        id="statement"
        label="If–then–because statement (optional)"
        hint={statementHint}
        rows={3}
        defaultValue={initial?.statement ?? ''}
        error={messageFor('statement')}
      />
    </>
  );
}

/**
 * Reads the configuration fields. Empty context boxes are left out; `contextField` renames a problem with the
 * i-th context sent to the box it came from, so the message shows beside the right one.
 */
export function readCmocFields(form: FormData): { body: CmocBody; contextField: (field: string) => string } {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const boxes = form.getAll('context').map((v) => String(v).trim());
  const filled = boxes.map((value, index) => ({ value, index })).filter((b) => b.value !== '');
  const body: CmocBody = {
    title: text('title'),
    contexts: filled.map((b) => b.value),
    mechanismResource: text('mechanismResource'),
    mechanismResponse: text('mechanismResponse'),
    outcome: text('outcome'),
    intervention: text('intervention') || null,
    actor: text('actor') || null,
    statement: text('statement') || null,
  };
  const contextField = (field: string) => {
    // No context at all: said beside the first box.
    if (field === 'contexts') return 'contexts.0';
    const match = /^contexts\.(\d+)/.exec(field);
    if (!match) return field;
    return `contexts.${filled[Number(match[1])]?.index ?? 0}`;
  };
  return { body, contextField };
}

/** Renames the contexts' problems to the boxes they belong to. */
export function placeContextProblems(problems: FieldProblem[], contextField: (field: string) => string) {
  return problems.map((p) => ({ ...p, field: contextField(p.field) }));
}

type AnalysisPage = 'theory' | 'history' | 'crossCase' | 'rameses';

const analysisPages: { page: AnalysisPage; label: string }[] = [
  { page: 'theory', label: 'Programme theory' },
  { page: 'history', label: 'How the programme theory changed' },
  { page: 'crossCase', label: 'Cross-case matrix' },
  { page: 'rameses', label: 'RAMESES II reporting checklist' },
];

/** The study's other analysis pages, one to a line. */
export function AnalysisLinks({ studyId, current }: { studyId: string; current: AnalysisPage | null }) {
  return (
    <nav aria-label="Realist analysis">
      <ul className="nhsuk-list app-research-links">
        {analysisPages
          .filter((p) => p.page !== current)
          .map((p) => (
            <li key={p.page}>
              <Link to={realistPaths[p.page](studyId)}>{p.label}</Link>
            </li>
          ))}
      </ul>
    </nav>
  );
}
