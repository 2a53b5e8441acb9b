import type { ReactNode } from 'react';

/** `aria-describedby` for a field with an optional hint and error, or undefined when it has neither. */
export function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function Hint({ id, children }: { id: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="nhsuk-hint" id={`${id}-hint`}>
      {children}
    </div>
  );
}

export function ErrorMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="nhsuk-error-message" id={`${id}-error`}>
      <span className="nhsuk-u-visually-hidden">Error: </span>
      {message}
    </span>
  );
}

export function formGroupClass(error: string | undefined, extra?: string): string {
  return ['nhsuk-form-group', error ? 'nhsuk-form-group--error' : null, extra].filter(Boolean).join(' ');
}

export type LegendSize = 's' | 'm' | 'l' | 'xl';

export function Legend({
  children,
  size,
  isPageHeading,
}: {
  children: ReactNode;
  size?: LegendSize;
  isPageHeading?: boolean;
}) {
  const className = ['nhsuk-fieldset__legend', size ? `nhsuk-fieldset__legend--${size}` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <legend className={className}>
      {isPageHeading ? (
        <h1 className="nhsuk-fieldset__heading" tabIndex={-1}>
          {children}
        </h1>
      ) : (
        children
      )}
    </legend>
  );
}
