import type { ReactNode } from 'react';
import { describedBy, ErrorMessage, formGroupClass, Hint, Legend, type LegendSize } from './field-parts.tsx';

interface DateInputProps {
  /** Prefix of the three inputs' ids (`<id>-day`, `<id>-month`, `<id>-year`). */
  id: string;
  legend: ReactNode;
  legendSize?: LegendSize;
  hint?: ReactNode;
  error?: string | undefined;
  /** A `YYYY-MM-DD` date to start with. */
  defaultValue?: string | null | undefined;
  /** For someone entering their own date of birth, so the browser can fill in the three parts. */
  autoComplete?: 'bday';
}

const parts = [
  { key: 'day', label: 'Day', width: 2 },
  { key: 'month', label: 'Month', width: 2 },
  { key: 'year', label: 'Year', width: 4 },
] as const;

function split(value: string | null | undefined): Record<'day' | 'month' | 'year', string> {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return { day: '', month: '', year: '' };
  return { year: match[1] ?? '', month: String(Number(match[2])), day: String(Number(match[3])) };
}

export function DateInput({
  id,
  legend,
  legendSize = 's',
  hint,
  error,
  defaultValue,
  autoComplete,
}: DateInputProps) {
  const initial = split(defaultValue);
  return (
    <div className={formGroupClass(error)}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <Legend size={legendSize}>{legend}</Legend>
        <Hint id={id}>{hint}</Hint>
        <ErrorMessage id={id} message={error} />
        <div className="nhsuk-date-input" id={id}>
          {parts.map((part) => (
            <div className="nhsuk-date-input__item" key={part.key}>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`${id}-${part.key}`}>
                  {part.label}
                </label>
                <input
                  className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${part.width}${error ? ' nhsuk-input--error' : ''}`}
                  id={`${id}-${part.key}`}
                  name={`${id}-${part.key}`}
                  type="text"
                  inputMode="numeric"
                  defaultValue={initial[part.key]}
                  autoComplete={autoComplete ? `${autoComplete}-${part.key}` : undefined}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export type DateReading =
  | { kind: 'empty' }
  | { kind: 'invalid'; message: string }
  | { kind: 'date'; value: string };

/**
 * Reads a date input's three fields from a form as `YYYY-MM-DD`, or says what is wrong, with `example` as a
 * real date in the same form as the field's hint.
 */
export function readDate(form: FormData, id: string, what: string, example = '1 11 2026'): DateReading {
  const value = (key: string) => String(form.get(`${id}-${key}`) ?? '').trim();
  const day = value('day');
  const month = value('month');
  const year = value('year');
  if (!day && !month && !year) return { kind: 'empty' };
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length > 0)
    return { kind: 'invalid', message: `${what} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { kind: 'invalid', message: `${what} must be a real date, like ${example}` };
  }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    return { kind: 'invalid', message: `${what} must be a real date, like ${example}` };
  }
  return { kind: 'date', value: iso };
}
