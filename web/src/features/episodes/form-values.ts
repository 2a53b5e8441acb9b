import type { FieldProblem } from '../../app/api.ts';
import type { DateReading } from '../../components/date-input.tsx';

/** A text field's value, trimmed. */
export function textOf(form: FormData, name: string): string {
  return String(form.get(name) ?? '').trim();
}

/** An optional text field: null when left empty. */
export function optionalText(form: FormData, name: string): string | null {
  return textOf(form, name) || null;
}

export const durationMessage = 'Enter how long it lasted as a whole number of minutes, up to 600';

/**
 * A whole number of minutes: null when left empty, NaN when it is not a number (the contract then says
 * what is wrong).
 */
export function minutesOf(form: FormData, name: string): number | null {
  const text = textOf(form, name);
  if (!text) return null;
  return /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
}

/** Replaces a contract's message about a date field with what the date input found wrong. */
export function dateProblems(
  problems: FieldProblem[],
  field: string,
  reading: DateReading,
  emptyMessage: string,
): FieldProblem[] {
  return problems.map((problem) => {
    if (problem.field !== field) return problem;
    if (reading.kind === 'invalid') return { field, message: reading.message };
    if (reading.kind === 'empty') return { field, message: emptyMessage };
    return problem;
  });
}

/** A date input's value for the body: the date, null when empty, or '' when invalid (so the contract objects). */
export function dateValue(reading: DateReading): string | null {
  if (reading.kind === 'date') return reading.value;
  return reading.kind === 'empty' ? null : '';
}
