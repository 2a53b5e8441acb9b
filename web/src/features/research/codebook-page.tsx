import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, SuccessBanner } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { Swatch } from './coding-parts.tsx';
import {
  type Code,
  type CodeFields,
  codingDownloads,
  codingPaths,
  useCodes,
  useCreateCode,
  useImportCodebook,
  useMergeCode,
  useUpdateCode,
} from './coding-queries.ts';
import { type CodeInTree, codeTree } from './coding-text.ts';
import { Memos } from './memos.tsx';
import { canWrite, showProblem, WarningCallout, WithStudy, Written } from './research-parts.tsx';
import { researchPaths, type Study } from './research-queries.ts';

/*
 * A study's codebook: the codes as a tree, each with its definition, when to use it and not, and how many codings
 * it has (your own while coding is blind). Researchers and leads add codes, change or move one, and merge one into
 * another after confirming what moves.
 */

/** Distinct colours for new codes, from the NHS palette; the next unused one is offered. */
const palette = [
  '#005EB8',
  '#007F3B',
  '#AE2573',
  '#ED8B00',
  '#330072',
  '#00A499',
  '#DA291C',
  '#41B6E6',
  '#78BE20',
  '#7C2855',
  '#FFB81C',
  '#768692',
];

/** The ids of a code and every code under it (none of which it may move under, or merge into). */
function branchOf(codes: readonly Code[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of codes) {
      if (c.parentId && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return out;
}

const treeOptions = (tree: CodeInTree[], leaveOut: Set<string>) =>
  tree
    .filter((c) => !leaveOut.has(c.id))
    .map((c) => ({ value: c.id, label: `${'– '.repeat(c.depth)}${c.name}` }));

function CodeForm({
  prefix,
  heading,
  initial,
  tree,
  leaveOut,
  errors,
  submitLabel,
  pending,
  onSubmit,
  onCancel,
}: {
  prefix: string;
  heading: string;
  initial: CodeFields;
  tree: CodeInTree[];
  leaveOut: Set<string>;
  errors: FormErrors;
  submitLabel: string;
  pending: boolean;
  onSubmit: (fields: CodeFields, form: HTMLFormElement) => void;
  onCancel?: () => void;
}) {
  const id = (field: string) => `${prefix}${field[0]!.toUpperCase()}${field.slice(1)}`;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (onCancel) headingRef.current?.focus();
  }, [onCancel]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const form = new FormData(event.currentTarget);
    const value = (field: string) => String(form.get(id(field)) ?? '').trim();
    const fields: CodeFields = {
      name: value('name'),
      parentId: value('parentId') || null,
      definition: value('definition') || null,
      whenToUse: value('whenToUse') || null,
      whenNotToUse: value('whenNotToUse') || null,
      colour: value('colour').toUpperCase() || initial.colour,
    };
    if (!fields.name) return errors.show([{ field: id('name'), message: 'Enter the code’s name' }]);
    onSubmit(fields, event.currentTarget);
  };
  return (
    <form onSubmit={submit} noValidate className="app-research-group" aria-labelledby={`${prefix}-heading`}>
      <h3 className="nhsuk-heading-m" id={`${prefix}-heading`} ref={headingRef} tabIndex={-1}>
        {heading}
      </h3>
      <TextInput
        id={id('name')}
        label="Name"
        width={30}
        defaultValue={initial.name}
        error={errors.messageFor(id('name'))}
      />
      <Select
        id={id('parentId')}
        label="Under"
        placeholder="The top of the codebook"
        options={treeOptions(tree, leaveOut)}
        defaultValue={initial.parentId ?? ''}
        error={errors.messageFor(id('parentId'))}
      />
      <Textarea
        id={id('definition')}
        label="Definition (optional)"
        rows={3}
        defaultValue={initial.definition ?? ''}
        error={errors.messageFor(id('definition'))}
      />
      <Textarea
        id={id('whenToUse')}
        label="When to use it (optional)"
        rows={2}
        defaultValue={initial.whenToUse ?? ''}
        error={errors.messageFor(id('whenToUse'))}
      />
      <Textarea
        id={id('whenNotToUse')}
        label="When not to use it (optional)"
        rows={2}
        defaultValue={initial.whenNotToUse ?? ''}
        error={errors.messageFor(id('whenNotToUse'))}
      />
      <div className={`nhsuk-form-group${errors.messageFor(id('colour')) ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label" htmlFor={id('colour')}>
          Colour
        </label>
        <div className="nhsuk-hint" id={`${id('colour')}-hint`}>
          Highlights its codings in transcripts
        </div>
        <input
          className="nhsuk-input nhsuk-input--width-5"
          id={id('colour')}
          name={id('colour')}
          type="color"
          defaultValue={initial.colour}
          aria-describedby={`${id('colour')}-hint`}
        />
      </div>
      <div className="app-actions">
        <button className="nhsuk-button" type="submit" disabled={pending}>
          {submitLabel}
        </button>
        {onCancel && (
          <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function MergeForm({
  code,
  codes,
  tree,
  errors,
  onDone,
  onCancel,
}: {
  code: Code;
  codes: Code[];
  tree: CodeInTree[];
  errors: FormErrors;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const merge = useMergeCode();
  const [into, setInto] = useState<Code | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const children = codes.filter((c) => c.parentId === code.id).length;

  const choose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget).get('mergeInto') ?? '');
    const target = codes.find((c) => c.id === id);
    if (!target) return errors.show([{ field: 'mergeInto', message: 'Choose the code to merge into' }]);
    errors.clear();
    setInto(target);
  };
  const confirm = () => {
    if (!into || merge.isPending) return;
    merge.mutate(
      { id: code.id, intoId: into.id },
      {
        onSuccess: () => onDone(`${code.name} was merged into ${into.name}.`),
        onError: (error) => showProblem(errors, error, (f) => (f === 'intoId' ? 'mergeInto' : f)),
      },
    );
  };
  return (
    <div className="app-research-group">
      <h3 className="nhsuk-heading-m" ref={headingRef} tabIndex={-1}>
        Merge {code.name} into another code
      </h3>
      {into ? (
        <WarningCallout heading={`Merge ${code.name} into ${into.name}?`}>
          <p>
            {code.name}’s {code.codings} {code.codings === 1 ? 'coding' : 'codings'}
            {children ? `, its ${children} ${children === 1 ? 'code' : 'codes'} underneath` : ''} and its
            memos move to {into.name}, and {code.name} leaves the codebook. A coder’s overlapping codings of
            the two become one. This cannot be undone.
          </p>
          <div className="app-actions">
            <button
              className="nhsuk-button nhsuk-button--warning"
              type="button"
              onClick={confirm}
              disabled={merge.isPending}
            >
              Yes, merge {code.name} into {into.name}
            </button>
            <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </WarningCallout>
      ) : (
        <form onSubmit={choose} noValidate>
          <Select
            id="mergeInto"
            label={`Merge ${code.name} into`}
            placeholder="Choose a code"
            options={treeOptions(tree, branchOf(codes, code.id))}
            error={errors.messageFor('mergeInto')}
          />
          <div className="app-actions">
            <button className="nhsuk-button nhsuk-button--secondary" type="submit">
              Continue
            </button>
            <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function Exchange({
  study,
  writer,
  errors,
  said,
}: {
  study: Study;
  writer: boolean;
  errors: FormErrors;
  said: (message: string) => void;
}) {
  const me = useSignedIn();
  const importCodebook = useImportCodebook(study.id, me.csrfToken);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (importCodebook.isPending) return;
    const form = event.currentTarget;
    const file = new FormData(form).get('codebookFile');
    if (!(file instanceof File) || file.name === '') {
      return errors.show([{ field: 'codebookFile', message: 'Choose a codebook file (.qdc or .csv)' }]);
    }
    importCodebook.mutate(file, {
      onSuccess: (result) => {
        form.reset();
        said(
          `${result.created} ${result.created === 1 ? 'code' : 'codes'} added from ${file.name}; ${result.matched} already in the codebook.`,
        );
      },
      onError: (error) =>
        error instanceof ApiProblem && error.errors.length === 0
          ? errors.show([{ field: 'codebookFile', message: error.detail ?? error.title }])
          : showProblem(errors, error, (f) => (f === 'file' ? 'codebookFile' : f)),
    });
  };
  return (
    <section aria-labelledby="exchange-heading" className="app-research-group">
      <h2 className="nhsuk-heading-m" id="exchange-heading">
        Share the codebook
      </h2>
      <ul className="nhsuk-list">
        <li>
          <a href={codingDownloads.codebook(study.id, 'qdc')} download>
            Download as a REFI-QDA codebook (.qdc)
          </a>
        </li>
        <li>
          <a href={codingDownloads.codebook(study.id, 'csv')} download>
            Download as CSV
          </a>{' '}
          <span className="app-research-meta">(a row per code, with its path)</span>
        </li>
      </ul>
      {writer && (
        <form onSubmit={submit} noValidate>
          <div
            className={`nhsuk-form-group nhsuk-file-upload${errors.messageFor('codebookFile') ? ' nhsuk-form-group--error' : ''}`}
          >
            <label className="nhsuk-label" htmlFor="codebookFile">
              Import codes
            </label>
            <div className="nhsuk-hint" id="codebookFile-hint">
              A REFI-QDA codebook (.qdc) or a CSV with a Path or Name column. Codes the codebook lacks are
              added, by path; the rest are left as they are.
            </div>
            {errors.messageFor('codebookFile') && (
              <span className="nhsuk-error-message" id="codebookFile-error">
                <span className="nhsuk-u-visually-hidden">Error: </span>
                {errors.messageFor('codebookFile')}
              </span>
            )}
            <input
              className="nhsuk-file-upload__input"
              id="codebookFile"
              name="codebookFile"
              type="file"
              accept=".qdc,.csv,application/xml,text/csv"
              aria-describedby={`codebookFile-hint${errors.messageFor('codebookFile') ? ' codebookFile-error' : ''}`}
            />
          </div>
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="submit"
            disabled={importCodebook.isPending}
          >
            Import codes
          </button>
        </form>
      )}
    </section>
  );
}

type Editing = { kind: 'change' | 'merge'; code: Code } | null;

function Tree({
  studyId,
  codes,
  parentId,
  writer,
  editing,
  onEdit,
  renderEditor,
}: {
  studyId: string;
  codes: Code[];
  parentId: string | null;
  writer: boolean;
  editing: Editing;
  onEdit: (editing: Editing) => void;
  renderEditor: () => ReactNode;
}) {
  const known = new Set(codes.map((c) => c.id));
  const here = codes
    .filter((c) => (c.parentId && known.has(c.parentId) ? c.parentId : null) === parentId)
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  if (here.length === 0) return null;
  return (
    <ul className="app-codebook">
      {here.map((code) => (
        <li key={code.id}>
          <div className="app-codebook__name">
            <Swatch colour={code.colour} />
            <strong className="nhsuk-body-l nhsuk-u-margin-bottom-0">{code.name}</strong>
            <span className="app-research-meta">
              {code.codings} {code.codings === 1 ? 'coding' : 'codings'}
            </span>
          </div>
          {code.definition && <Written>{code.definition}</Written>}
          {(code.whenToUse || code.whenNotToUse) && (
            <dl className="nhsuk-body-s">
              {code.whenToUse && (
                <>
                  <dt>
                    <strong>Use when</strong>
                  </dt>
                  <dd className="nhsuk-u-margin-left-0 nhsuk-u-margin-bottom-2">{code.whenToUse}</dd>
                </>
              )}
              {code.whenNotToUse && (
                <>
                  <dt>
                    <strong>Do not use when</strong>
                  </dt>
                  <dd className="nhsuk-u-margin-left-0 nhsuk-u-margin-bottom-2">{code.whenNotToUse}</dd>
                </>
              )}
            </dl>
          )}
          {writer && (
            <div className="app-actions nhsuk-body-s">
              <button
                className="app-link-button"
                type="button"
                onClick={() => onEdit({ kind: 'change', code })}
              >
                Change or move<span className="nhsuk-u-visually-hidden"> {code.name}</span>
              </button>
              <button
                className="app-link-button"
                type="button"
                onClick={() => onEdit({ kind: 'merge', code })}
              >
                Merge<span className="nhsuk-u-visually-hidden"> {code.name}</span> into another
              </button>
            </div>
          )}
          {editing?.code.id === code.id && renderEditor()}
          <Memos studyId={studyId} targetType="code" targetId={code.id} about={`the code ${code.name}`} />
          <Tree
            studyId={studyId}
            codes={codes}
            parentId={code.id}
            writer={writer}
            editing={editing}
            onEdit={onEdit}
            renderEditor={renderEditor}
          />
        </li>
      ))}
    </ul>
  );
}

function Codebook({ study }: { study: Study }) {
  const codes = useCodes(study.id);
  const errors = useFormErrors({});
  const create = useCreateCode(study.id);
  const update = useUpdateCode();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** Codes added on this page so far: the add form starts afresh after each. */
  const [added, setAdded] = useState(0);
  const title = 'Codebook';
  usePageTitle(`${title} – ${study.title}`, errors.hasErrors);
  const writer = canWrite(study.myRole);
  const list = codes.data ?? [];
  const tree = codeTree(list);
  const nextColour =
    palette.find((p) => !list.some((c) => c.colour.toUpperCase() === p)) ??
    palette[list.length % palette.length]!;
  const rename = (prefix: string) => (field: string) =>
    ['name', 'parentId', 'definition', 'whenToUse', 'whenNotToUse', 'colour'].includes(field)
      ? `${prefix}${field[0]!.toUpperCase()}${field.slice(1)}`
      : field;

  const said = (message: string) => {
    errors.clear();
    setEditing(null);
    setNotice(message);
  };
  const edit = (next: Editing) => {
    errors.clear();
    setNotice(null);
    setEditing(next);
  };

  const renderEditor = () => {
    if (!editing) return null;
    const code = editing.code;
    if (editing.kind === 'merge') {
      return (
        <MergeForm
          key={code.id}
          code={code}
          codes={list}
          tree={tree}
          errors={errors}
          onDone={said}
          onCancel={() => edit(null)}
        />
      );
    }
    return (
      <CodeForm
        key={code.id}
        prefix="edit"
        heading={`Change or move ${code.name}`}
        initial={code}
        tree={tree}
        leaveOut={branchOf(list, code.id)}
        errors={errors}
        submitLabel="Save changes"
        pending={update.isPending}
        onCancel={() => edit(null)}
        onSubmit={(fields) =>
          update.mutate(
            { id: code.id, body: { ...fields, version: code.version } },
            {
              onSuccess: () => said(`${fields.name} saved.`),
              onError: (error) => showProblem(errors, error, rename('edit')),
            },
          )
        }
      />
    );
  };

  return (
    <>
      <BackLink to={codingPaths.sources(study.id)}>Back to sources</BackLink>
      {notice && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{notice}</p>
        </SuccessBanner>
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{title}</PageHeading>
      <p>
        {study.blindCoding && study.myRole !== 'lead'
          ? 'Counts are of your own codings: coding is blind.'
          : 'Counts are of everyone’s codings.'}{' '}
        <Link to={researchPaths.study(study.id)}>Back to the study</Link>
      </p>
      {codes.isPending && <Loading what="codebook" />}
      {codes.isError && <InlineProblem error={codes.error} />}
      {codes.data && (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h2 className="nhsuk-heading-l">
              {list.length} {list.length === 1 ? 'code' : 'codes'}
            </h2>
            {list.length === 0 && <p>No codes yet.</p>}
            <Tree
              studyId={study.id}
              codes={list}
              parentId={null}
              writer={writer}
              editing={editing}
              onEdit={edit}
              renderEditor={renderEditor}
            />
            {writer && (
              <CodeForm
                key={`new-${added}`}
                prefix="new"
                heading="Add a code"
                initial={{
                  name: '',
                  parentId: null,
                  definition: null,
                  whenToUse: null,
                  whenNotToUse: null,
                  colour: nextColour,
                }}
                tree={tree}
                leaveOut={new Set()}
                errors={errors}
                submitLabel="Add code"
                pending={create.isPending}
                onSubmit={(fields) =>
                  create.mutate(fields, {
                    onSuccess: (code) => {
                      // A fresh form for the next code, now: not when the list next refreshes, which would
                      // wipe what someone has started typing.
                      setAdded((n) => n + 1);
                      said(`${code.name} added to the codebook.`);
                    },
                    onError: (error) => showProblem(errors, error, rename('new')),
                  })
                }
              />
            )}
            <Exchange study={study} writer={writer} errors={errors} said={said} />
          </div>
        </div>
      )}
    </>
  );
}

export function CodebookPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <Codebook study={study} />}</WithStudy>;
}
