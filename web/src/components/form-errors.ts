import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ZodType } from 'zod';
import { ApiProblem, type FieldProblem, isProblem } from '../app/api.ts';

export interface ErrorSummaryItem {
  /** The element id to link to, or null when the problem is not about one field. */
  targetId: string | null;
  text: string;
}

export interface FormErrorsOptions {
  /** Maps the API's dotted field paths to this form's field names, e.g. `roles.0.role` → `role`. */
  aliases?: Record<string, string>;
  /** Maps a field name to the element the summary links to, e.g. a date's `-day` input. */
  anchors?: Record<string, string>;
}

export interface FormErrors {
  items: ErrorSummaryItem[];
  /** Increases every time errors are shown, so the summary takes focus again. */
  attempt: number;
  hasErrors: boolean;
  /** The inline message for a field (or anything nested under it). */
  messageFor: (field: string) => string | undefined;
  show: (problems: FieldProblem[]) => void;
  showError: (error: unknown) => void;
  clear: () => void;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) return error.detail ?? error.title;
  return 'Sorry, something went wrong. Try again.';
}

/**
 * Field problems found by a contract schema, in the API's dotted-path form. `messages` gives plainer words
 * for a field where the contract's suit an API caller better, e.g. "Choose a role" rather than a list of codes.
 */
export function check(
  schema: ZodType,
  value: unknown,
  messages: Record<string, string> = {},
): FieldProblem[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return { field, message: messages[field] ?? issue.message };
  });
}

/** Error state for one form: summary items, inline messages and focus on each failed attempt. */
export function useFormErrors(options: FormErrorsOptions = {}): FormErrors {
  const [state, setState] = useState<{
    problems: { field: string | null; message: string }[];
    attempt: number;
  }>({
    problems: [],
    attempt: 0,
  });
  // Options are usually written inline; reading them through a ref keeps the callbacks stable.
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const anchorFor = useCallback(
    (field: string) => optionsRef.current.anchors?.[field] ?? field.replaceAll('.', '-'),
    [],
  );

  const normalise = useCallback((field: string | null | undefined): string | null => {
    if (!field) return null;
    const aliases = optionsRef.current.aliases ?? {};
    if (aliases[field]) return aliases[field];
    const parent = Object.keys(aliases).find((key) => field.startsWith(`${key}.`));
    return parent ? (aliases[parent] ?? field) : field;
  }, []);

  const show = useCallback(
    (problems: FieldProblem[]) => {
      const normalised = problems.map((p) => ({ field: normalise(p.field), message: p.message }));
      // The summary lists problems in the order their fields appear on the page.
      const position = (field: string | null) => (field ? document.getElementById(anchorFor(field)) : null);
      normalised.sort((a, b) => {
        const first = position(a.field);
        const second = position(b.field);
        if (first && second) {
          if (first === second) return 0;
          return first.compareDocumentPosition(second) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
        }
        return first ? -1 : second ? 1 : 0;
      });
      setState((previous) => ({ problems: normalised, attempt: previous.attempt + 1 }));
    },
    [normalise, anchorFor],
  );

  const showError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiProblem && error.errors.length > 0) show(error.errors);
      else
        setState((previous) => ({
          problems: [{ field: null, message: describeError(error) }],
          attempt: previous.attempt + 1,
        }));
    },
    [show],
  );

  const clear = useCallback(() => setState((previous) => ({ problems: [], attempt: previous.attempt })), []);

  return useMemo(() => {
    const items = state.problems.map((p) => ({
      targetId: p.field === null ? null : anchorFor(p.field),
      text: p.message,
    }));
    const messageFor = (field: string) =>
      state.problems.find((p) => p.field === field || p.field?.startsWith(`${field}.`))?.message;
    return {
      items,
      attempt: state.attempt,
      hasErrors: items.length > 0,
      messageFor,
      show,
      showError,
      clear,
    };
  }, [state, anchorFor, show, showError, clear]);
}

/**
 * A query whose question comes from a form (filters, a period, a report's choices): when it answers 400 or 422 with
 * field problems, they are shown in the form's error summary — in `messages`' plainer words where a field has
 * them — and cleared once the question is valid again. Returns that problem, or null.
 */
export function useQueryProblems(
  error: unknown,
  errors: Pick<FormErrors, 'show' | 'clear'>,
  messages: Record<string, string> = {},
): ApiProblem | null {
  const invalid = (isProblem(error, 400) || isProblem(error, 422)) && error.errors.length > 0 ? error : null;
  const { show, clear } = errors;
  // Messages are usually a module constant or written inline; read through a ref so they never re-run the effect.
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  useEffect(() => {
    if (invalid)
      show(
        invalid.errors.map((problem) => ({
          field: problem.field,
          message: messagesRef.current[problem.field] ?? problem.message,
        })),
      );
    else clear();
  }, [invalid, show, clear]);
  return invalid;
}
