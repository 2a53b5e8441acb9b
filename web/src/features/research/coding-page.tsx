import {
  type FormEvent,
  type KeyboardEvent,
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { describeError, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, InsetText, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Swatch, selectionIn, WithSourceStudy } from './coding-parts.tsx';
import {
  type Code,
  type Coding,
  codingPaths,
  type Memo,
  type Source,
  type SourceSummary,
  useAddCodings,
  useAddMemo,
  useCodes,
  useCodingMemos,
  useRemoveCoding,
  useSource,
  useSources,
} from './coding-queries.ts';
import {
  type CodeInTree,
  type Converter,
  codeTree,
  createOffsetConverter,
  cutText,
  formatCount,
  initials,
  type TranscriptRow,
  tint,
  transcriptRows,
} from './coding-text.ts';
import { Memos } from './memos.tsx';
import { canWrite, SavedBanner } from './research-parts.tsx';
import type { Study } from './research-queries.ts';

/*
 * Coding a source: its text by speaker turn, codings as highlights with a margin beside each turn (code colour,
 * coder initials where several coders show), and a panel to code the selection with one or more codes. Text is
 * selected with the mouse, or with the keyboard: the turns are one tab stop, arrows move between them, Enter selects
 * one and Shift+arrows extend the selection turn by turn, and the panel's character numbers narrow it.
 *
 * A long transcript renders fast: each turn is cut into segments only where a coding (or the selection) begins or
 * ends, and a turn re-renders only when its own codings or the selection within it change.
 */

interface Span {
  start: number;
  end: number;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max).trimEnd()}…` : s);

interface TurnProps {
  row: TranscriptRow;
  text: string;
  converter: Converter;
  codings: readonly Coding[];
  codeById: ReadonlyMap<string, Code>;
  pending: Span | null;
  focusable: boolean;
  target: boolean;
}

/** One turn's text, cut at the boundaries of its codings and of the selection. */
const Turn = memo(function Turn({
  row,
  text,
  converter,
  codings,
  codeById,
  pending,
  focusable,
  target,
}: TurnProps) {
  const segments = useMemo(() => {
    const bounds = [row.contentStart];
    for (const c of codings) bounds.push(c.start, c.end);
    if (pending) bounds.push(pending.start, pending.end);
    return cutText(text, converter, row.start, row.end, bounds).map((segment) => ({
      ...segment,
      covering: codings.filter((c) => c.start <= segment.start && c.end >= segment.end),
      isPending: !!pending && pending.start <= segment.start && pending.end >= segment.end,
      isLabel: segment.end <= row.contentStart && row.contentStart > row.start,
    }));
  }, [row, text, converter, codings, pending]);
  return (
    // A turn is a named group the arrows move between; a fieldset would imply form controls inside.
    // biome-ignore lint/a11y/useSemanticElements: see above
    <div
      className="app-coding-turn"
      role="group"
      aria-label={`Turn ${row.index + 1}${row.speaker ? `, ${row.speaker}` : ''}`}
      tabIndex={focusable ? 0 : -1}
      data-turn={row.index}
      data-target={target ? 'true' : undefined}
      id={`turn-${row.index + 1}`}
    >
      {segments.map((s) => {
        if (s.isPending) {
          return (
            <mark key={s.start} data-s={s.start} className="app-coding-pending">
              {s.text}
            </mark>
          );
        }
        if (s.covering.length === 0) {
          return (
            <span key={s.start} data-s={s.start} className={s.isLabel ? 'app-coding-speaker' : undefined}>
              {s.text}
            </span>
          );
        }
        const colours = s.covering.map((c) => codeById.get(c.codeId)?.colour ?? '#425563');
        const names = [...new Set(s.covering.map((c) => codeById.get(c.codeId)?.name ?? 'A code'))];
        return (
          <mark
            key={s.start}
            data-s={s.start}
            className={`app-coding-mark${s.isLabel ? ' app-coding-speaker' : ''}`}
            title={names.join(', ')}
            style={{
              backgroundColor: tint(colours[0]!),
              boxShadow: colours.length > 1 ? `inset 0 -3px 0 ${colours[1]}` : undefined,
            }}
          >
            {s.text}
          </mark>
        );
      })}
    </div>
  );
});

interface MarginProps {
  codings: readonly Coding[];
  turnNumber: number;
  codeById: ReadonlyMap<string, Code>;
  coderName: ReadonlyMap<string, string> | null;
  memosByCoding: ReadonlyMap<string, Memo[]>;
  canRemove: (coding: Coding) => boolean;
  onRemove: (coding: Coding) => void;
  onMemo: (coding: Coding, text: string) => Promise<string | null>;
}

function MemoForm({
  coding,
  label,
  onMemo,
  onDone,
}: {
  coding: Coding;
  label: string;
  onMemo: MarginProps['onMemo'];
  onDone: () => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const id = `memo-${coding.id}`;
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get(id) ?? '').trim();
    if (!text) return setProblem('Write the memo');
    setSaving(true);
    const failed = await onMemo(coding, text);
    setSaving(false);
    if (failed) setProblem(failed);
    else onDone();
  };
  return (
    <form onSubmit={submit} noValidate className="nhsuk-u-margin-top-2">
      <div className={`nhsuk-form-group${problem ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label nhsuk-body-s" htmlFor={id}>
          Memo on {label}
        </label>
        {problem && (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {problem}
          </span>
        )}
        <textarea
          className={`nhsuk-textarea${problem ? ' nhsuk-textarea--error' : ''}`}
          id={id}
          name={id}
          rows={3}
          ref={ref}
          aria-describedby={problem ? `${id}-error` : undefined}
        />
      </div>
      <div className="app-coding-margin__actions">
        <button
          className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
          type="submit"
          disabled={saving}
        >
          Save memo
        </button>
        <button className="app-link-button" type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The codings that begin in a turn, beside it: code, coder, memos, and what may be done with each. */
const Margin = memo(function Margin({
  codings,
  turnNumber,
  codeById,
  coderName,
  memosByCoding,
  canRemove,
  onRemove,
  onMemo,
}: MarginProps) {
  const [writing, setWriting] = useState<string | null>(null);
  if (codings.length === 0) return <div />;
  return (
    <ul className="app-coding-margin" aria-label={`Codings starting in turn ${turnNumber}`}>
      {codings.map((c) => {
        const code = codeById.get(c.codeId);
        const name = code?.name ?? 'A code no longer in the codebook';
        const coder = coderName?.get(c.coderId);
        const label = `${name}, characters ${c.start}–${c.end}`;
        return (
          <li key={c.id} style={{ borderLeftColor: code?.colour }}>
            <Swatch colour={code?.colour ?? '#425563'} />
            <strong>{name}</strong>
            {coder && (
              <>
                {' '}
                <abbr title={coder}>{initials(coder)}</abbr>
                <span className="nhsuk-u-visually-hidden"> ({coder})</span>
              </>
            )}
            <span className="nhsuk-u-display-block app-research-meta">
              {c.start}–{c.end}
            </span>
            {(memosByCoding.get(c.id) ?? []).map((m) => (
              <p className="app-coding-memo" key={m.id}>
                <span className="nhsuk-u-visually-hidden">Memo by </span>
                {initials(m.authorName)}: {m.text}
              </p>
            ))}
            {writing === c.id ? (
              <MemoForm coding={c} label={label} onMemo={onMemo} onDone={() => setWriting(null)} />
            ) : (
              <span className="app-coding-margin__actions">
                <button className="app-link-button" type="button" onClick={() => setWriting(c.id)}>
                  Memo<span className="nhsuk-u-visually-hidden"> on {label}</span>
                </button>
                {canRemove(c) && (
                  <button className="app-link-button" type="button" onClick={() => onRemove(c)}>
                    Remove<span className="nhsuk-u-visually-hidden"> the coding {label}</span>
                  </button>
                )}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
});

function CodePanel({
  study,
  source,
  text,
  converter,
  tree,
  range,
  setRange,
  searchRef,
}: {
  study: Study;
  source: Source;
  text: string;
  converter: Converter;
  tree: CodeInTree[];
  range: Span | null;
  setRange: (range: Span | null) => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
}) {
  const errors = useFormErrors({ aliases: { start: 'rangeStart', end: 'rangeEnd', codeIds: 'codeSearch' } });
  const addCodings = useAddCodings(source.id);
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  // The numbers typed, until the selection changes from elsewhere (the transcript, or a typed range taking effect).
  const [typed, setTyped] = useState<{ start: string; end: string } | null>(null);
  const [typedFor, setTypedFor] = useState(range);
  if (typedFor !== range) {
    setTypedFor(range);
    setTyped(null);
  }
  const draft =
    typed ?? (range ? { start: String(range.start), end: String(range.end) } : { start: '', end: '' });

  const shown = search.trim()
    ? tree.filter((c) => c.path.toLowerCase().includes(search.trim().toLowerCase()))
    : tree;
  const quote = range ? text.slice(converter.toUtf16(range.start), converter.toUtf16(range.end)) : '';

  const changeDraft = (which: 'start' | 'end', value: string) => {
    const next = { ...draft, [which]: value };
    setTyped(next);
    const start = Number(next.start);
    const end = Number(next.end);
    if (
      next.start !== '' &&
      next.end !== '' &&
      Number.isInteger(start) &&
      Number.isInteger(end) &&
      start >= 0 &&
      end <= source.length &&
      start < end
    ) {
      setRange({ start, end });
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (addCodings.isPending) return;
    setNotice(null);
    const problems = [
      ...(range
        ? []
        : [
            {
              field: 'rangeStart',
              message: 'Select the text to code: in the transcript, or by its characters',
            },
          ]),
      ...(chosen.size ? [] : [{ field: 'codeSearch', message: 'Choose at least one code' }]),
    ];
    if (problems.length || !range) return errors.show(problems);
    const names = tree.filter((c) => chosen.has(c.id)).map((c) => c.name);
    addCodings.mutate(
      { codeIds: [...chosen], start: range.start, end: range.end },
      {
        onSuccess: () => {
          errors.clear();
          setNotice(`Coded characters ${range.start}–${range.end} as ${names.join(', ')}.`);
          setChosen(new Set());
          setRange(null);
          window.getSelection()?.removeAllRanges();
        },
        onError: (error) => errors.showError(error),
      },
    );
  };

  return (
    <details open className="app-coding-panel app-coding-drawer">
      <summary>Code the selection</summary>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <p className="nhsuk-u-visually-hidden" role="status">
        {notice ?? ''}
      </p>
      {notice && (
        <p className="nhsuk-body-s">
          <strong>{notice}</strong>
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {range ? (
          <>
            <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
              Selected: {formatCount(range.end - range.start)} characters
            </p>
            <blockquote className="app-coding-quote nhsuk-body-s">{clip(quote, 400)}</blockquote>
          </>
        ) : (
          <p className="nhsuk-body-s">Select text in the transcript, or give its characters below.</p>
        )}
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Characters</legend>
          <div className="app-coding-range">
            {(['start', 'end'] as const).map((which) => {
              const id = which === 'start' ? 'rangeStart' : 'rangeEnd';
              const error = errors.messageFor(id);
              return (
                <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`} key={which}>
                  <label className="nhsuk-label nhsuk-body-s" htmlFor={id}>
                    {which === 'start' ? 'From' : 'To'}
                  </label>
                  {error && (
                    <span className="nhsuk-error-message" id={`${id}-error`}>
                      <span className="nhsuk-u-visually-hidden">Error: </span>
                      {error}
                    </span>
                  )}
                  <input
                    className={`nhsuk-input nhsuk-input--width-5${error ? ' nhsuk-input--error' : ''}`}
                    id={id}
                    name={id}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={source.length}
                    value={draft[which]}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(event) => changeDraft(which, event.currentTarget.value)}
                  />
                </div>
              );
            })}
          </div>
        </fieldset>
        {tree.length === 0 ? (
          <p className="nhsuk-body-s">
            The codebook is empty.{' '}
            {canWrite(study.myRole) ? 'Add codes in the ' : 'The study’s researchers add codes in the '}
            <Link to={codingPaths.codebook(study.id)}>codebook</Link>.
          </p>
        ) : (
          <>
            <div
              className={`nhsuk-form-group${errors.messageFor('codeSearch') ? ' nhsuk-form-group--error' : ''}`}
            >
              <label className="nhsuk-label nhsuk-label--s" htmlFor="codeSearch">
                Find a code
              </label>
              {errors.messageFor('codeSearch') && (
                <span className="nhsuk-error-message" id="codeSearch-error">
                  <span className="nhsuk-u-visually-hidden">Error: </span>
                  {errors.messageFor('codeSearch')}
                </span>
              )}
              <input
                className="nhsuk-input"
                id="codeSearch"
                type="search"
                ref={searchRef}
                value={search}
                autoComplete="off"
                aria-describedby={`codeSearch-count${errors.messageFor('codeSearch') ? ' codeSearch-error' : ''}`}
                onChange={(event) => setSearch(event.currentTarget.value)}
              />
              <span className="nhsuk-u-visually-hidden" id="codeSearch-count" aria-live="polite">
                {shown.length} {shown.length === 1 ? 'code' : 'codes'} shown
              </span>
            </div>
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-u-visually-hidden">Codes to apply</legend>
              <div className="app-coding-codes nhsuk-checkboxes nhsuk-checkboxes--small">
                {shown.length === 0 && <p className="nhsuk-body-s">No code matches “{search}”.</p>}
                {shown.map((code) => (
                  <div
                    className="nhsuk-checkboxes__item"
                    key={code.id}
                    style={{ marginLeft: code.depth * 20 }}
                  >
                    <input
                      className="nhsuk-checkboxes__input"
                      id={`apply-${code.id}`}
                      type="checkbox"
                      checked={chosen.has(code.id)}
                      onChange={(event) => {
                        const next = new Set(chosen);
                        if (event.currentTarget.checked) next.add(code.id);
                        else next.delete(code.id);
                        setChosen(next);
                      }}
                    />
                    <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`apply-${code.id}`}>
                      <Swatch colour={code.colour} />
                      {code.name}
                      {code.depth > 0 && (
                        <span className="nhsuk-u-visually-hidden"> (under {code.path})</span>
                      )}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            <button
              className="nhsuk-button nhsuk-u-margin-bottom-0"
              type="submit"
              disabled={addCodings.isPending}
            >
              Apply {chosen.size > 1 ? `${chosen.size} codes` : 'code'}
            </button>
          </>
        )}
      </form>
    </details>
  );
}

function CodingView({
  study,
  source,
  codes,
  memos,
  summary,
}: {
  study: Study;
  source: Source & { text: string };
  codes: Code[];
  memos: Memo[];
  summary: SourceSummary | undefined;
}) {
  const me = useSignedIn();
  const location = useLocation();
  const text = source.text;
  const converter = useMemo(() => createOffsetConverter(text), [text]);
  const rows = useMemo(() => transcriptRows(source.turns, text, converter), [source.turns, text, converter]);
  const tree = useMemo(() => codeTree(codes), [codes]);
  const codeById = useMemo(() => new Map(codes.map((c) => [c.id, c])), [codes]);
  const showCoders = source.codingsShown === 'all';
  const coderName = useMemo(
    () => (showCoders ? new Map(study.members.map((m) => [m.userId, m.name])) : null),
    [showCoders, study.members],
  );
  const memosByCoding = useMemo(() => {
    const map = new Map<string, Memo[]>();
    for (const m of memos) map.set(m.targetId, [...(map.get(m.targetId) ?? []), m]);
    return map;
  }, [memos]);
  // Each turn's codings (those overlapping it) and the codings that begin in it, in stable arrays.
  const byTurn = useMemo(() => {
    const overlapping: Coding[][] = rows.map(() => []);
    const starting: Coding[][] = rows.map(() => []);
    for (const c of source.codings) {
      let first = -1;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        if (c.start < r.end && c.end > r.start) {
          overlapping[i]!.push(c);
          if (first < 0) first = i;
        }
      }
      starting[
        first < 0
          ? Math.max(
              0,
              rows.findIndex((r) => r.start >= c.start),
            )
          : first
      ]?.push(c);
    }
    return { overlapping, starting };
  }, [rows, source.codings]);

  const [range, setRange] = useState<Span | null>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const [target, setTarget] = useState<number | null>(null);
  const [said, setSaid] = useState('');
  const anchor = useRef<number | null>(null);
  const transcript = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const errors = useFormErrors({});
  const removeCoding = useRemoveCoding();
  const addMemo = useAddMemo(study.id);
  usePageTitle(`${source.name} – coding`, errors.hasErrors);

  // Opened at a place (#c120-245, from the agreement or retrieval pages): select it and bring its turn into view.
  useEffect(() => {
    const match = /^#c(\d+)(?:-(\d+))?$/.exec(location.hash);
    if (!match) return;
    const start = Number(match[1]);
    const end = match[2] ? Number(match[2]) : start + 1;
    const index = rows.findIndex((r) => r.end > start);
    if (index < 0) return;
    setFocusIndex(index);
    setTarget(index);
    if (end > start && end <= source.length) setRange({ start, end });
    document.getElementById(`turn-${index + 1}`)?.scrollIntoView({ block: 'center' });
  }, [location.hash, rows, source.length]);

  const focusTurn = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setFocusIndex(next);
    transcript.current?.querySelector<HTMLElement>(`[data-turn="${next}"]`)?.focus();
    return next;
  };

  const selectTurns = (from: number, to: number) => {
    const first = rows[Math.min(from, to)]!;
    const last = rows[Math.max(from, to)]!;
    const selected = {
      start: first.contentStart < first.end ? first.contentStart : first.start,
      end: last.end,
    };
    setRange(selected);
    const turns =
      from === to ? `turn ${from + 1}` : `turns ${Math.min(from, to) + 1} to ${Math.max(from, to) + 1}`;
    setSaid(`Selected ${turns}, characters ${selected.start} to ${selected.end}. Press C to choose codes.`);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const turn = (event.target as HTMLElement).closest<HTMLElement>('[data-turn]');
    if (!turn || event.target !== turn || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = Number(turn.dataset.turn);
    const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (move !== undefined) {
      event.preventDefault();
      if (event.shiftKey) {
        if (anchor.current === null) anchor.current = index;
        selectTurns(anchor.current, focusTurn(index + move));
      } else {
        focusTurn(index + move);
      }
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      focusTurn(event.key === 'Home' ? 0 : rows.length - 1);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      anchor.current = index;
      selectTurns(index, index);
    } else if (event.key === 'c' || event.key === 'C') {
      event.preventDefault();
      searchRef.current?.focus();
    }
  };

  const takeSelection = () => {
    const selected = selectionIn(transcript.current);
    if (selected) {
      anchor.current = null;
      setRange(selected);
      setSaid(`Selected characters ${selected.start} to ${selected.end}.`);
    }
  };

  const canRemove = useCallback(
    (c: Coding) => c.coderId === me.user.id || study.myRole === 'lead',
    [me.user.id, study.myRole],
  );
  const onRemove = useCallback(
    (c: Coding) => {
      const name = codeById.get(c.codeId)?.name ?? 'the code';
      removeCoding.mutate(c.id, {
        onSuccess: () => setSaid(`Removed the coding ${name}, characters ${c.start}–${c.end}.`),
        onError: (error) => errors.showError(error),
      });
    },
    [codeById, removeCoding.mutate, errors.showError],
  );
  const onMemo = useCallback(
    async (c: Coding, memoText: string) => {
      try {
        await addMemo.mutateAsync({ targetType: 'coding', targetId: c.id, text: memoText });
        setSaid('Memo saved.');
        return null;
      } catch (error) {
        return describeError(error);
      }
    },
    [addMemo.mutateAsync],
  );

  const meta = [
    summary?.participantCode ? `Participant ${summary.participantCode}` : null,
    summary?.caseLabel ? `Case ${summary.caseLabel}` : null,
    source.workPackage,
    `${formatCount(source.length)} characters`,
    `${source.codings.length} ${source.codings.length === 1 ? 'coding' : 'codings'} shown`,
  ].filter(Boolean);

  return (
    <>
      <BackLink to={codingPaths.sources(study.id)}>Back to sources</BackLink>
      <SavedBanner />
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{source.name}</PageHeading>
      <p className="app-research-meta">{meta.join(' · ')}</p>
      <InsetText>
        <p>
          {source.codingsShown === 'own'
            ? 'You see your own codings only: coding is blind, so each coder codes without seeing the others. The study lead compares them.'
            : 'You see everyone’s codings: the initials beside each say who coded it.'}
        </p>
      </InsetText>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">How to code with the keyboard</span>
        </summary>
        <div className="nhsuk-details__text">
          <ol>
            <li>Tab to the transcript: the first turn takes focus. Up and down arrows move between turns.</li>
            <li>Enter or Space selects the turn you are on (its words, without the speaker’s name).</li>
            <li>Shift with the up or down arrow extends the selection turn by turn.</li>
            <li>
              To code part of a turn, change the “From” and “To” characters in the panel: the quote above them
              shows what is selected.
            </li>
            <li>Press C to go to the codes, tick one or more, and choose Apply.</li>
          </ol>
        </div>
      </details>
      <Memos
        studyId={study.id}
        targetType="source"
        targetId={source.id}
        about={`the source ${source.name}`}
      />
      <p className="nhsuk-u-visually-hidden" role="status">
        {said}
      </p>
      <div className="app-coding-layout">
        <div className="app-coding-layout__panel">
          {study.myRole === 'read_only' ? (
            <p className="app-coding-panel">
              Read-only members of a study read its coding; they do not code.
            </p>
          ) : (
            <CodePanel
              study={study}
              source={source}
              text={text}
              converter={converter}
              tree={tree}
              range={range}
              setRange={setRange}
              searchRef={searchRef}
            />
          )}
        </div>
        <section className="app-coding-layout__text" aria-labelledby="transcript-heading">
          <h2 className="nhsuk-heading-m" id="transcript-heading">
            Transcript
          </h2>
          {rows.length === 0 && <p>This source has no text.</p>}
          {/* biome-ignore lint/a11y/noStaticElementInteractions: the turns inside are focusable groups; keys move between them */}
          <div
            className="app-coding-transcript"
            ref={transcript}
            onKeyDown={onKeyDown}
            onPointerUp={takeSelection}
            onKeyUp={takeSelection}
          >
            {rows.map((row, i) => (
              <div className="app-coding-row" key={row.start}>
                <Turn
                  row={row}
                  text={text}
                  converter={converter}
                  codings={byTurn.overlapping[i]!}
                  codeById={codeById}
                  pending={range && range.start < row.end && range.end > row.start ? range : null}
                  focusable={i === focusIndex}
                  target={i === target}
                />
                <Margin
                  codings={byTurn.starting[i]!}
                  turnNumber={i + 1}
                  codeById={codeById}
                  coderName={coderName}
                  memosByCoding={memosByCoding}
                  canRemove={canRemove}
                  onRemove={onRemove}
                  onMemo={onMemo}
                />
              </div>
            ))}
          </div>
        </section>
      </div>
    </>
  );
}

function NotReady({ study, source }: { study: Study; source: Source }) {
  usePageTitle(source.name);
  return (
    <>
      <BackLink to={codingPaths.sources(study.id)}>Back to sources</BackLink>
      <PageHeading caption={study.title}>{source.name}</PageHeading>
      <p>This source is waiting for its redactions to be accepted: it is coded once it is de-identified.</p>
      {canWrite(study.myRole) && (
        <p>
          <Link to={codingPaths.deidentify(source.id, study.id)}>De-identify {source.name}</Link>
        </p>
      )}
    </>
  );
}

function CodingLoader({ study, sourceId }: { study: Study; sourceId: string }) {
  const source = useSource(sourceId);
  const codes = useCodes(study.id);
  const memos = useCodingMemos(study.id);
  const list = useSources(study.id);
  const text = source.data?.text ?? null;
  const withText = useMemo(
    () => (source.data && text !== null ? { ...source.data, text } : null),
    [source.data, text],
  );
  if (source.isPending || codes.isPending || memos.isPending) return <Loading what="transcript" />;
  if (source.isError) return <ProblemPage error={source.error} />;
  if (codes.isError) return <ProblemPage error={codes.error} />;
  if (memos.isError) return <ProblemPage error={memos.error} />;
  if (source.data.status !== 'ready' || !withText) return <NotReady study={study} source={source.data} />;
  return (
    <CodingView
      study={study}
      source={withText}
      codes={codes.data}
      memos={memos.data}
      summary={list.data?.find((s) => s.id === sourceId)}
    />
  );
}

/** Starts the source's and codebook's requests with the study's, rather than after it. */
function Prefetch({ sourceId, studyId }: { sourceId: string; studyId: string }) {
  useSource(sourceId);
  useCodes(studyId);
  useCodingMemos(studyId);
  useSources(studyId);
  return null;
}

export function CodingPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const studyId = params.get('study');
  return (
    <>
      {studyId && <Prefetch sourceId={id} studyId={studyId} />}
      <WithSourceStudy sourceId={id}>
        {(study) => <CodingLoader study={study} sourceId={id} />}
      </WithSourceStudy>
    </>
  );
}
