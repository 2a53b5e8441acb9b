import type { FormErrors } from './form-errors.ts';
import { TextInput } from './text-input.tsx';

/**
 * "Choose your own dates": from and to (YYYY-MM-DD), folded away under a period chooser whose "Your own dates
 * (below)" choice makes them count. Open when they are chosen or one of them has an error.
 */
export function OwnDates({
  chosen,
  from,
  to,
  errors,
  note,
}: {
  chosen: boolean;
  from?: string;
  to?: string;
  errors: Pick<FormErrors, 'messageFor'>;
  /** What makes them count, and any limit. */
  note: string;
}) {
  const dateField = (id: 'from' | 'to', label: string, example: string, value?: string) => (
    <TextInput
      id={id}
      label={label}
      hint={`For example, ${example}`}
      width={10}
      autoComplete="off"
      defaultValue={chosen ? (value ?? '') : ''}
      error={errors.messageFor(id)}
    />
  );
  return (
    <details
      className="nhsuk-details"
      open={chosen || !!errors.messageFor('from') || !!errors.messageFor('to')}
    >
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Choose your own dates</span>
      </summary>
      <div className="nhsuk-details__text">
        <p className="nhsuk-body-s">{note}</p>
        {dateField('from', 'From', '2025-04-01', from)}
        {dateField('to', 'To', '2026-03-31', to)}
      </div>
    </details>
  );
}
