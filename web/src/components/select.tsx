import type { ReactNode, SelectHTMLAttributes } from 'react';
import { describedBy, ErrorMessage, formGroupClass, Hint } from './field-parts.tsx';

export interface SelectOption {
  value: string;
  label: string;
}

interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'className'> {
  id: string;
  label: ReactNode;
  options: SelectOption[];
  /** Text of a first, empty option, e.g. "Choose an organisation". */
  placeholder?: string;
  hint?: ReactNode;
  error?: string | undefined;
}

export function Select({ id, name, label, options, placeholder, hint, error, ...rest }: SelectProps) {
  return (
    <div className={formGroupClass(error)}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id} message={error} />
      <select
        className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`}
        id={id}
        name={name ?? id}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
