import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import type { z } from 'zod';
import { flagBody, flagKinds, resolveFlagBody } from '../../../../src/modules/pathway/contract.ts';
import { api } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { InsetText, Tag } from '../../components/page-parts.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { flagColours, flagHints, flagLabels } from './labels.ts';
import { type Flag, invalidateCaseloads, peopleKey } from './queries.ts';

type FlagInput = z.infer<typeof flagBody>;

/** A details component that stays open while its form shows errors. */
function FormDetails({
  summary,
  open,
  onToggle,
  children,
}: {
  summary: string;
  open: boolean;
  onToggle: (open: boolean) => void;
  children: ReactNode;
}) {
  return (
    <details className="nhsuk-details" open={open} onToggle={(event) => onToggle(event.currentTarget.open)}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">{summary}</span>
      </summary>
      <div className="nhsuk-details__text">{children}</div>
    </details>
  );
}

function useFlagChanged(personId: string) {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [...peopleKey, personId] }),
      // Caseloads show who is flagged.
      invalidateCaseloads(queryClient),
    ]);
  };
}

function ResolveFlagForm({
  flag,
  pageTitle,
  onResolved,
}: {
  flag: Flag;
  pageTitle: string;
  onResolved: (message: string) => void;
}) {
  const noteId = `resolutionNote-${flag.id}`;
  const errors = useFormErrors({ anchors: { resolutionNote: noteId } });
  usePageTitle(pageTitle, errors.hasErrors);
  const [open, setOpen] = useState(false);
  const changed = useFlagChanged(flag.personId);
  const resolve = useMutation({
    mutationFn: (body: z.infer<typeof resolveFlagBody>) =>
      api.post<Flag>(`/api/flags/${encodeURIComponent(flag.id)}/resolve`, body),
    onSuccess: async () => {
      await changed();
      onResolved(`${flagLabels[flag.kind]} flag resolved`);
    },
    onError: (error) => errors.showError(error),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (resolve.isPending) return;
    const body = {
      resolutionNote: String(new FormData(event.currentTarget).get('resolutionNote') ?? '').trim(),
    };
    const problems = check(resolveFlagBody, body);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    resolve.mutate(body);
  };
  return (
    <FormDetails summary="Resolve this flag" open={open || errors.hasErrors} onToggle={setOpen}>
      <form onSubmit={submit} noValidate>
        <ErrorSummary items={errors.items} attempt={errors.attempt} />
        <Textarea
          id={noteId}
          name="resolutionNote"
          label="Why can this flag be closed?"
          hint="Say what has changed or been done. It stays on the person’s record."
          rows={3}
          error={errors.messageFor('resolutionNote')}
        />
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
          Resolve flag
        </button>
      </form>
    </FormDetails>
  );
}

/** The person's open safeguarding concerns and risks, at the top of their page. */
export function OpenFlags({
  flags,
  canResolve,
  pageTitle,
  onResolved,
}: {
  flags: Flag[];
  canResolve: boolean;
  /** The page's title, marked as showing errors while a form here does. */
  pageTitle: string;
  onResolved: (message: string) => void;
}) {
  if (flags.length === 0) return null;
  return (
    <div className="nhsuk-card nhsuk-card--warning">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {flags.length === 1 ? 'Open flag' : `${flags.length} open flags`}
        </h2>
        <ul className="nhsuk-list">
          {flags.map((flag) => (
            <li key={flag.id} className="nhsuk-u-margin-bottom-4">
              <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">{flagLabels[flag.kind]}</h3>
              <p className="nhsuk-u-margin-bottom-2">{flag.note}</p>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
                Raised by {flag.raisedByName}, {formatDateTime(flag.raisedAt)}
              </p>
              {canResolve && <ResolveFlagForm flag={flag} pageTitle={pageTitle} onResolved={onResolved} />}
            </li>
          ))}
        </ul>
        {!canResolve && (
          <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            A lead link worker closes a flag once it is dealt with.
          </p>
        )}
      </div>
    </div>
  );
}

/** Anyone working with the person can raise a concern; only a lead closes it. */
export function RaiseFlag({
  personId,
  pageTitle,
  onRaised,
}: {
  personId: string;
  pageTitle: string;
  onRaised: (message: string) => void;
}) {
  const errors = useFormErrors();
  usePageTitle(pageTitle, errors.hasErrors);
  const [open, setOpen] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const changed = useFlagChanged(personId);
  const raise = useMutation({
    mutationFn: (body: FlagInput) =>
      api.post<Flag>(`/api/people/${encodeURIComponent(personId)}/flags`, body),
    onSuccess: async (flag) => {
      await changed();
      setOpen(false);
      setAttempt((previous) => previous + 1);
      onRaised(`${flagLabels[flag.kind]} raised`);
    },
    onError: (error) => errors.showError(error),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (raise.isPending) return;
    const form = new FormData(event.currentTarget);
    const body = {
      kind: String(form.get('kind') ?? '') as FlagInput['kind'],
      note: String(form.get('note') ?? '').trim(),
    };
    const problems = check(flagBody, body, { kind: 'Choose whether it is a safeguarding concern or a risk' });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    raise.mutate(body);
  };
  return (
    <FormDetails
      summary="Raise a safeguarding concern or risk"
      open={open || errors.hasErrors}
      onToggle={setOpen}
    >
      <InsetText>
        <p>
          This flag is shown to everyone working with the person. It does not replace your safeguarding
          procedures: follow them too, and tell your safeguarding lead about any concern.
        </p>
      </InsetText>
      <form onSubmit={submit} noValidate key={attempt}>
        <ErrorSummary items={errors.items} attempt={errors.attempt} />
        <Radios
          id="kind"
          legend="What kind of flag is it?"
          error={errors.messageFor('kind')}
          items={flagKinds.map((kind) => ({ value: kind, label: flagLabels[kind], hint: flagHints[kind] }))}
        />
        <Textarea
          id="note"
          label="Describe the concern and what has been done"
          rows={4}
          error={errors.messageFor('note')}
        />
        <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit">
          Raise flag
        </button>
      </form>
    </FormDetails>
  );
}

/** Flags that a lead has closed, with why. */
export function PastFlags({ flags }: { flags: Flag[] }) {
  if (flags.length === 0) return null;
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Past flags ({flags.length})</span>
      </summary>
      <div className="nhsuk-details__text">
        <ul className="nhsuk-list">
          {flags.map((flag) => (
            <li key={flag.id} className="nhsuk-u-margin-bottom-4">
              <p className="nhsuk-u-margin-bottom-1">
                <Tag colour={flagColours[flag.kind]}>{flagLabels[flag.kind]}</Tag>
              </p>
              <p className="nhsuk-u-margin-bottom-1">{flag.note}</p>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                Raised by {flag.raisedByName}, {formatDateTime(flag.raisedAt)}
              </p>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                Resolved {flag.resolvedAt ? formatDateTime(flag.resolvedAt) : ''}
                {flag.resolutionNote ? `: ${flag.resolutionNote}` : ''}
              </p>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
