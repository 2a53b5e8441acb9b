import type { InputHTMLAttributes, ReactNode } from 'react';
import { describedBy, ErrorMessage, formGroupClass, Hint } from './field-parts.tsx';

type Width = 2 | 3 | 4 | 5 | 10 | 20 | 30;

interface TextInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'width'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  width?: Width;
  labelSize?: 's' | 'm' | 'l';
  code?: boolean;
}

export function TextInput({
  id,
  name,
  label,
  hint,
  error,
  width,
  labelSize,
  code,
  type = 'text',
  ...rest
}: TextInputProps) {
  const inputClass = [
    'nhsuk-input',
    width ? `nhsuk-input--width-${width}` : null,
    code ? 'nhsuk-input--code' : null,
    error ? 'nhsuk-input--error' : null,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={formGroupClass(error)}>
      <label className={`nhsuk-label${labelSize ? ` nhsuk-label--${labelSize}` : ''}`} htmlFor={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id} message={error} />
      <input
        className={inputClass}
        id={id}
        name={name ?? id}
        type={type}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      />
    </div>
  );
}
