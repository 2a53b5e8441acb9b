import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { describedBy, ErrorMessage, formGroupClass, Hint } from './field-parts.tsx';

interface TextareaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className'> {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
}

export function Textarea({ id, name, label, hint, error, rows = 5, ...rest }: TextareaProps) {
  return (
    <div className={formGroupClass(error)}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id} message={error} />
      <textarea
        className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
        id={id}
        name={name ?? id}
        rows={rows}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      />
    </div>
  );
}
