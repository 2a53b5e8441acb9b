import { type FormEvent, useId, useState } from 'react';
import { formatDateTime } from '../../app/format.ts';
import { useAddMemo, useMemos } from './coding-queries.ts';
import { Written } from './research-parts.tsx';

/*
 * Memos on the study, a case, a source or a code: what the team thinks as the analysis goes, each with who wrote it
 * and when, oldest first, and a box to add one. Memos on single codings live in the coding page's margin.
 */

type Target = 'study' | 'case' | 'source' | 'code';

export function Memos({
  studyId,
  targetType,
  targetId,
  about,
  open = false,
}: {
  studyId: string;
  targetType: Target;
  /** Not for the study itself. */
  targetId?: string;
  /** What the memos are about, for the summary and label ("the study", "case C1"). */
  about: string;
  open?: boolean;
}) {
  // One read per kind of target, shared by every box on the page (a codebook shows one per code).
  const memos = useMemos(studyId, targetType);
  const mine = memos.data?.filter((m) => targetType === 'study' || m.targetId === targetId);
  const add = useAddMemo(studyId);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const id = `memo-${useId().replace(/:/g, '')}`;
  const count = mine?.length ?? 0;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get(id) ?? '').trim();
    setSaved(false);
    if (!text) return setProblem('Write the memo');
    setProblem(null);
    add.mutate(
      { targetType, targetId: targetId ?? null, text },
      {
        onSuccess: () => {
          form.reset();
          setSaved(true);
        },
        onError: (error) => setProblem(error.message),
      },
    );
  };

  return (
    <details className="nhsuk-details app-research-memos" open={open || undefined}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          Memos on {about} ({memos.isPending ? '…' : count})
        </span>
      </summary>
      <div className="nhsuk-details__text">
        {memos.isError && (
          <p className="nhsuk-error-message">The memos could not be read: try again later.</p>
        )}
        {count > 0 && (
          <ol className="nhsuk-list app-research-memo-list">
            {mine?.map((m) => (
              <li key={m.id}>
                <Written>{m.text}</Written>
                <p className="app-research-meta nhsuk-body-s">
                  {m.authorName}, {formatDateTime(m.createdAt)}
                </p>
              </li>
            ))}
          </ol>
        )}
        <form onSubmit={submit} noValidate>
          <div className={`nhsuk-form-group${problem ? ' nhsuk-form-group--error' : ''}`}>
            <label className="nhsuk-label" htmlFor={id}>
              New memo on {about}
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
              aria-describedby={problem ? `${id}-error` : undefined}
            />
          </div>
          <button
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            type="submit"
            disabled={add.isPending}
          >
            Save memo<span className="nhsuk-u-visually-hidden"> on {about}</span>
          </button>
          <div role="status" className="nhsuk-u-visually-hidden">
            {saved ? `Memo on ${about} saved` : ''}
          </div>
        </form>
      </div>
    </details>
  );
}
