import type { FieldProblem } from '../../app/api.ts';
import { DateInput, readDate } from '../../components/date-input.tsx';
import type { FormErrors } from '../../components/form-errors.ts';
import { TextInput } from '../../components/text-input.tsx';

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock time in London at an instant, as parts. */
function wallClockInLondon(instant: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const parts = londonParts.formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

/** How far London is ahead of UTC at an instant, in milliseconds (an hour in summer time). */
function londonOffset(instant: number): number {
  const wall = wallClockInLondon(instant);
  const asUtc = Date.UTC(
    Number(wall.year),
    Number(wall.month) - 1,
    Number(wall.day),
    Number(wall.hour),
    Number(wall.minute),
  );
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/** A date (`YYYY-MM-DD`) and time (`HH:MM`) on a clock in England, as an ISO timestamp in UTC. */
export function londonToIso(date: string, time: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0);
  // The offset at the guess is right except in the hour the clocks change; a second look settles it.
  const first = wall - londonOffset(wall);
  const second = wall - londonOffset(first);
  return new Date(second).toISOString();
}

/** An ISO timestamp as the date (`YYYY-MM-DD`) and time (`HH:MM`) on a clock in England. */
export function isoToLondon(iso: string): { date: string; time: string } {
  const wall = wallClockInLondon(new Date(iso).getTime());
  return { date: `${wall.year}-${wall.month}-${wall.day}`, time: `${wall.hour}:${wall.minute}` };
}

/** The time now in England, to the minute, for a form recording something that just happened. */
export function nowInLondon(): { date: string; time: string } {
  return isoToLondon(new Date().toISOString());
}

/** Reads "14:30", "14.30", "1430" or "9:05" as `HH:MM`. */
export function parseTime(text: string): string | null {
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The time input's id and field name: its problems are told apart from the date's. */
export const timeField = (id: string) => `${id}Time`;

/** The summary links a date-and-time problem to the day input. */
export const dateAnchor = (id: string) => ({ [id]: `${id}-day` });

/**
 * A date and a time, as the API's one timestamp field. Problems with the date, and the API's problems
 * with the timestamp, show on the date; problems with the time on the time.
 */
export function DateTimeFields({
  id,
  legend,
  errors,
  defaultValue,
  dateHint = 'For example, 26 11 2026',
}: {
  id: string;
  legend: string;
  errors: FormErrors;
  defaultValue?: { date: string; time: string } | null | undefined;
  dateHint?: string;
}) {
  return (
    <>
      <DateInput
        id={id}
        legend={legend}
        hint={dateHint}
        defaultValue={defaultValue?.date}
        error={errors.messageFor(id)}
      />
      <TextInput
        id={timeField(id)}
        label="Time"
        hint="Use the 24-hour clock, for example 14:30"
        width={5}
        inputMode="numeric"
        autoComplete="off"
        defaultValue={defaultValue?.time}
        error={errors.messageFor(timeField(id))}
      />
    </>
  );
}

/** Reads a date and time as an ISO timestamp, or the problems with them. */
export function readDateTime(
  form: FormData,
  id: string,
  what: string,
): { value: string | null; problems: FieldProblem[] } {
  const date = readDate(form, id, `The date ${what}`, '26 11 2026');
  const timeText = String(form.get(timeField(id)) ?? '').trim();
  const time = timeText ? parseTime(timeText) : null;
  const problems: FieldProblem[] = [];
  if (date.kind === 'empty') problems.push({ field: id, message: `Enter the date ${what}` });
  if (date.kind === 'invalid') problems.push({ field: id, message: date.message });
  if (!timeText) problems.push({ field: timeField(id), message: `Enter the time ${what}` });
  else if (!time) {
    problems.push({ field: timeField(id), message: 'Enter a real time using the 24-hour clock, like 14:30' });
  }
  if (date.kind !== 'date' || !time) return { value: null, problems };
  return { value: londonToIso(date.value, time), problems };
}
