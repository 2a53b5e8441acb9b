import { type FormEvent, memo, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { BackLink, InsetText, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { selectionIn, WithSourceStudy } from './coding-parts.tsx';
import {
  type Candidate,
  codingPaths,
  type Source,
  useAcceptRedactions,
  useSource,
} from './coding-queries.ts';
import { type Converter, createOffsetConverter, cutText } from './coding-text.ts';
import { canWrite, SavedBanner } from './research-parts.tsx';
import type { Study } from './research-queries.ts';

/*
 * De-identifying a source before anyone codes it: the text with everything that may identify someone marked, a list
 * of those candidates (each accepted by default, its replacement editable), and redactions the researcher adds —
 * by selecting text, or by typing the words, which adds every place they appear. Accepting sends the ticked ones.
 */

const kindLabels: Record<Candidate['kind'] | 'added', string> = {
  name: 'Name',
  place: 'Place',
  organisation: 'Organisation',
  date_of_birth: 'Date of birth',
  nhs_number: 'NHS number',
  phone: 'Phone number',
  email: 'Email address',
  postcode: 'Postcode',
  added: 'Added by you',
};

interface Item {
  key: string;
  start: number;
  end: number;
  kind: Candidate['kind'] | 'added';
  text: string;
  replacement: string;
  accepted: boolean;
}

const keyOf = (s: { start: number; end: number }) => `${s.start}-${s.end}`;
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

/** The transcript with each candidate marked; a mark is focusable so "Show in the text" can take you there. */
const MarkedText = memo(function MarkedText({
  text,
  converter,
  marks,
  onSelect,
}: {
  text: string;
  converter: Converter;
  marks: readonly { key: string; start: number; end: number; accepted: boolean; label: string }[];
  onSelect: (container: HTMLElement) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const segments = useMemo(() => {
    const bounds: number[] = [];
    for (const m of marks) bounds.push(m.start, m.end);
    const length = converter.codePointLength;
    return cutText(text, converter, 0, length, bounds).map((s) => ({
      ...s,
      mark: marks.find((m) => m.start <= s.start && m.end >= s.end) ?? null,
    }));
  }, [text, converter, marks]);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: reading a mouse or keyboard selection of the text
    <div
      className="app-deidentify-text"
      ref={ref}
      onPointerUp={() => ref.current && onSelect(ref.current)}
      onKeyUp={() => ref.current && onSelect(ref.current)}
    >
      {segments.map((s) =>
        s.mark ? (
          <mark
            key={s.start}
            data-s={s.start}
            id={s.mark.start === s.start ? `mark-${s.mark.key}` : undefined}
            tabIndex={s.mark.start === s.start ? -1 : undefined}
            data-accepted={s.mark.accepted ? 'true' : 'false'}
            title={s.mark.label}
          >
            {s.text}
          </mark>
        ) : (
          <span key={s.start} data-s={s.start}>
            {s.text}
          </span>
        ),
      )}
    </div>
  );
});

/** A few words either side of a candidate, cut at spaces. */
function contextOf(text: string, converter: Converter, item: { start: number; end: number }) {
  const from = converter.toUtf16(item.start);
  const to = converter.toUtf16(item.end);
  let before = text.slice(Math.max(0, from - 50), from);
  let after = text.slice(to, to + 50);
  if (from > 50) before = `…${before.replace(/^\S*\s/, '')}`;
  if (to + 50 < text.length) after = `${after.replace(/\s\S*$/, '')}…`;
  return { before: before.replace(/\s+/g, ' '), after: after.replace(/\s+/g, ' ') };
}

function DeidentifyView({ study, source }: { study: Study; source: Source & { text: string } }) {
  const navigate = useNavigate();
  const text = source.text;
  const converter = useMemo(() => createOffsetConverter(text), [text]);
  const [items, setItems] = useState<Item[]>(() =>
    source.candidates.map((c) => ({
      key: keyOf(c),
      start: c.start,
      end: c.end,
      kind: c.kind,
      text: c.text,
      replacement: c.suggestion,
      accepted: true,
    })),
  );
  const [find, setFind] = useState('');
  const [findReplacement, setFindReplacement] = useState('[redacted]');
  const [added, setAdded] = useState<string | null>(null);
  const errors = useFormErrors({});
  const accept = useAcceptRedactions(source.id);
  const accepted = items.filter((i) => i.accepted);
  const ready = source.status === 'ready';
  usePageTitle(`De-identify ${source.name}`, errors.hasErrors);

  const marks = useMemo(
    () =>
      items.map((i) => ({
        key: i.key,
        start: i.start,
        end: i.end,
        accepted: i.accepted,
        label: `${kindLabels[i.kind]}${i.accepted ? `: becomes ${i.replacement}` : ': not redacted'}`,
      })),
    [items],
  );

  const change = (key: string, patch: Partial<Item>) =>
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  const onSelect = (container: HTMLElement) => {
    const selected = selectionIn(container);
    if (!selected) return;
    setFind(text.slice(converter.toUtf16(selected.start), converter.toUtf16(selected.end)).trim());
  };

  /** Adds every place the words appear (whole words, any case) that is not redacted already. */
  const addFound = (event: FormEvent) => {
    event.preventDefault();
    const words = find.trim();
    setAdded(null);
    if (!words)
      return errors.show([
        { field: 'find', message: 'Enter the words to redact, or select them in the text' },
      ]);
    const escaped = words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu');
    const turns = source.turns;
    const found = [...text.matchAll(pattern)].map((m) => ({
      start: converter.toCodePoint(m.index),
      end: converter.toCodePoint(m.index + m[0].length),
      text: m[0],
    }));
    if (found.length === 0)
      return errors.show([{ field: 'find', message: `“${words}” does not appear in the text` }]);
    const fresh = found.filter(
      (f) =>
        !items.some((i) => i.accepted && overlaps(i, f)) &&
        // A redaction stays inside one speaker turn.
        !turns.some((t) => (f.start < t.start && f.end > t.start) || (f.start < t.end && f.end > t.end)),
    );
    const replacement = findReplacement.trim() || '[redacted]';
    errors.clear();
    setItems((list) => {
      const kept = list.filter((i) => !fresh.some((f) => keyOf(f) === i.key));
      return [
        ...kept,
        ...fresh.map((f) => ({ key: keyOf(f), ...f, kind: 'added' as const, replacement, accepted: true })),
      ].sort((a, b) => a.start - b.start);
    });
    const skipped = found.length - fresh.length;
    setAdded(
      `Added ${fresh.length} ${fresh.length === 1 ? 'place' : 'places'} where “${words}” appears.` +
        (skipped ? ` ${skipped} already redacted or across two speakers’ turns.` : ''),
    );
    setFind('');
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (accept.isPending) return;
    setAdded(null);
    const empty = accepted.find((i) => !i.replacement.trim());
    if (empty)
      return errors.show([
        { field: `replacement-${empty.key}`, message: `Say what replaces “${empty.text}”, like [name]` },
      ]);
    if (ready && accepted.length === 0) {
      return errors.show([
        { field: 'find', message: 'Add at least one more redaction, or leave the source as it is' },
      ]);
    }
    const sent = [...accepted].sort((a, b) => a.start - b.start);
    accept.mutate(
      {
        redactions: sent.map((i) => ({ start: i.start, end: i.end, replacement: i.replacement.trim() })),
        version: source.version,
      },
      {
        onSuccess: () =>
          navigate(codingPaths.source(source.id, study.id), {
            state: {
              saved:
                `${sent.length} ${sent.length === 1 ? 'redaction' : 'redactions'} accepted. ` +
                'The source is de-identified and ready to code.',
            },
          }),
        onError: (error) => {
          if (error instanceof ApiProblem && error.errors.length > 0) {
            // The API names redactions by their place in what was sent: point at each one's checkbox.
            errors.show(
              error.errors.map((p) => {
                const n = /^redactions\.(\d+)/.exec(p.field);
                const item = n ? sent[Number(n[1])] : undefined;
                return { field: item ? `redact-${item.key}` : p.field, message: p.message };
              }),
            );
          } else errors.showError(error);
        },
      },
    );
  };

  const show = (key: string) => {
    const mark = document.getElementById(`mark-${key}`);
    mark?.scrollIntoView({ block: 'center' });
    mark?.focus({ preventScroll: true });
  };

  return (
    <>
      <BackLink to={codingPaths.sources(study.id)}>Back to sources</BackLink>
      <SavedBanner />
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>De-identify {source.name}</PageHeading>
      <InsetText>
        <p>
          {ready
            ? 'This source is de-identified. If you find something else that identifies someone, add it here and accept it.'
            : 'Nobody codes this source until its redactions are accepted. Check each thing found below, and add anything it missed.'}{' '}
          {study.keepUnredactedText
            ? 'The study keeps the text as uploaded, for its leads.'
            : 'The text as uploaded is not kept once you accept.'}
        </p>
      </InsetText>
      <div className="app-coding-layout app-coding-layout--flow">
        <div className="app-coding-layout__panel">
          <div className="app-coding-panel">
            <form onSubmit={addFound} noValidate aria-labelledby="add-heading">
              <h2 className="nhsuk-heading-s" id="add-heading">
                Add a redaction
              </h2>
              <div
                className={`nhsuk-form-group${errors.messageFor('find') ? ' nhsuk-form-group--error' : ''}`}
              >
                <label className="nhsuk-label" htmlFor="find">
                  Words to redact
                </label>
                <div className="nhsuk-hint" id="find-hint">
                  Select them in the text, or type them: every place they appear is added.
                </div>
                {errors.messageFor('find') && (
                  <span className="nhsuk-error-message" id="find-error">
                    <span className="nhsuk-u-visually-hidden">Error: </span>
                    {errors.messageFor('find')}
                  </span>
                )}
                <input
                  className={`nhsuk-input${errors.messageFor('find') ? ' nhsuk-input--error' : ''}`}
                  id="find"
                  value={find}
                  autoComplete="off"
                  aria-describedby={`find-hint${errors.messageFor('find') ? ' find-error' : ''}`}
                  onChange={(event) => setFind(event.currentTarget.value)}
                />
              </div>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label" htmlFor="findReplacement">
                  Replace with
                </label>
                <input
                  className="nhsuk-input nhsuk-input--width-10"
                  id="findReplacement"
                  value={findReplacement}
                  onChange={(event) => setFindReplacement(event.currentTarget.value)}
                />
              </div>
              <button className="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
                Add redaction
              </button>
              <p className="nhsuk-body-s" role="status">
                {added ?? ''}
              </p>
            </form>
            <form onSubmit={submit} noValidate aria-labelledby="found-heading">
              <h2 className="nhsuk-heading-s" id="found-heading">
                {items.length === 0
                  ? 'Nothing found that may identify someone'
                  : `${items.length} ${items.length === 1 ? 'thing' : 'things'} that may identify someone`}
              </h2>
              {items.length > 0 && (
                <ul className="app-deidentify-list">
                  {items.map((item) => {
                    const context = contextOf(text, converter, item);
                    const replacementId = `replacement-${item.key}`;
                    const replacementError = errors.messageFor(replacementId);
                    const itemError = errors.messageFor(`redact-${item.key}`);
                    return (
                      <li key={item.key}>
                        <div className={`nhsuk-form-group${itemError ? ' nhsuk-form-group--error' : ''}`}>
                          {itemError && (
                            <span className="nhsuk-error-message" id={`redact-${item.key}-error`}>
                              <span className="nhsuk-u-visually-hidden">Error: </span>
                              {itemError}
                            </span>
                          )}
                          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                            <div className="nhsuk-checkboxes__item">
                              <input
                                className="nhsuk-checkboxes__input"
                                id={`redact-${item.key}`}
                                type="checkbox"
                                checked={item.accepted}
                                aria-describedby={`context-${item.key}${itemError ? ` redact-${item.key}-error` : ''}`}
                                onChange={(event) =>
                                  change(item.key, { accepted: event.currentTarget.checked })
                                }
                              />
                              <label
                                className="nhsuk-label nhsuk-checkboxes__label"
                                htmlFor={`redact-${item.key}`}
                              >
                                Redact “{item.text}”
                                <span className="nhsuk-u-display-block nhsuk-body-s app-research-meta nhsuk-u-margin-bottom-0">
                                  {kindLabels[item.kind]}
                                </span>
                              </label>
                            </div>
                          </div>
                        </div>
                        <p className="app-deidentify-context nhsuk-body-s" id={`context-${item.key}`}>
                          <span className="nhsuk-u-visually-hidden">In the text: </span>
                          {context.before}
                          <mark>{item.text}</mark>
                          {context.after}
                        </p>
                        {item.accepted && (
                          <div
                            className={`nhsuk-form-group${replacementError ? ' nhsuk-form-group--error' : ''}`}
                          >
                            <label className="nhsuk-label nhsuk-body-s" htmlFor={replacementId}>
                              Replace with
                              <span className="nhsuk-u-visually-hidden"> (for “{item.text}”)</span>
                            </label>
                            {replacementError && (
                              <span className="nhsuk-error-message" id={`${replacementId}-error`}>
                                <span className="nhsuk-u-visually-hidden">Error: </span>
                                {replacementError}
                              </span>
                            )}
                            <input
                              className={`nhsuk-input nhsuk-input--width-10${replacementError ? ' nhsuk-input--error' : ''}`}
                              id={replacementId}
                              value={item.replacement}
                              aria-describedby={replacementError ? `${replacementId}-error` : undefined}
                              onChange={(event) =>
                                change(item.key, { replacement: event.currentTarget.value })
                              }
                            />
                          </div>
                        )}
                        <button
                          className="app-link-button nhsuk-body-s"
                          type="button"
                          onClick={() => show(item.key)}
                        >
                          Show in the text<span className="nhsuk-u-visually-hidden">: “{item.text}”</span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
              <button
                className="nhsuk-button nhsuk-u-margin-bottom-0"
                type="submit"
                disabled={accept.isPending}
              >
                {accepted.length === 0
                  ? 'Accept: nothing to redact'
                  : `Accept ${accepted.length} ${accepted.length === 1 ? 'redaction' : 'redactions'}`}
              </button>
            </form>
          </div>
        </div>
        <section className="app-coding-layout__text" aria-labelledby="text-heading">
          <h2 className="nhsuk-heading-m" id="text-heading">
            The text as uploaded
          </h2>
          <MarkedText text={text} converter={converter} marks={marks} onSelect={onSelect} />
        </section>
      </div>
    </>
  );
}

function DeidentifyLoader({ study, sourceId }: { study: Study; sourceId: string }) {
  const source = useSource(sourceId);
  const text = source.data?.text ?? null;
  const withText = useMemo(
    () => (source.data && text !== null ? { ...source.data, text } : null),
    [source.data, text],
  );
  if (source.isPending) return <Loading what="transcript" />;
  if (source.isError) return <ProblemPage error={source.error} />;
  if (!canWrite(study.myRole) || !withText) {
    return (
      <ProblemPage
        error={
          new ApiProblem({
            status: 403,
            title: 'Forbidden',
            detail: 'Only the study’s leads and researchers de-identify sources.',
          })
        }
      />
    );
  }
  return <DeidentifyView study={study} source={withText} key={`${withText.id}-${withText.version}`} />;
}

export function DeidentifyPage() {
  const { id = '' } = useParams();
  return (
    <WithSourceStudy sourceId={id}>
      {(study) => <DeidentifyLoader study={study} sourceId={id} />}
    </WithSourceStudy>
  );
}
