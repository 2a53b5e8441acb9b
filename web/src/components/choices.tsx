import type { ReactNode } from 'react';
import { describedBy, ErrorMessage, formGroupClass, Hint, Legend, type LegendSize } from './field-parts.tsx';

export interface Choice {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
}

interface ChoicesProps {
  /** Id of the first input, which error summary links point at; later inputs get `-2`, `-3`… */
  id: string;
  name?: string;
  legend: ReactNode;
  legendSize?: LegendSize;
  isPageHeading?: boolean;
  hint?: ReactNode;
  error?: string | undefined;
  items: Choice[];
  inline?: boolean;
  small?: boolean;
}

interface RadiosProps extends ChoicesProps {
  defaultValue?: string | null | undefined;
}

interface CheckboxesProps extends ChoicesProps {
  defaultValues?: readonly string[] | null | undefined;
}

function itemId(id: string, index: number): string {
  return index === 0 ? id : `${id}-${index + 1}`;
}

function ChoiceGroup({
  kind,
  id,
  name,
  legend,
  legendSize = 's',
  isPageHeading,
  hint,
  error,
  items,
  inline,
  small,
  isChecked,
}: ChoicesProps & { kind: 'radios' | 'checkboxes'; isChecked: (value: string) => boolean }) {
  const groupClass = [
    `nhsuk-${kind}`,
    inline ? `nhsuk-${kind}--inline` : null,
    small ? `nhsuk-${kind}--small` : null,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={formGroupClass(error)}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <Legend size={legendSize} isPageHeading={isPageHeading}>
          {legend}
        </Legend>
        <Hint id={id}>{hint}</Hint>
        <ErrorMessage id={id} message={error} />
        <div className={groupClass}>
          {items.map((item, index) => {
            const inputId = itemId(id, index);
            return (
              <div className={`nhsuk-${kind}__item`} key={item.value}>
                <input
                  className={`nhsuk-${kind}__input`}
                  id={inputId}
                  name={name ?? id}
                  type={kind === 'radios' ? 'radio' : 'checkbox'}
                  value={item.value}
                  defaultChecked={isChecked(item.value)}
                  aria-describedby={item.hint ? `${inputId}-item-hint` : undefined}
                />
                <label className={`nhsuk-label nhsuk-${kind}__label`} htmlFor={inputId}>
                  {item.label}
                </label>
                {item.hint && (
                  <div className={`nhsuk-hint nhsuk-${kind}__hint`} id={`${inputId}-item-hint`}>
                    {item.hint}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Radios({ defaultValue, ...props }: RadiosProps) {
  return <ChoiceGroup kind="radios" {...props} isChecked={(value) => value === defaultValue} />;
}

export function Checkboxes({ defaultValues, ...props }: CheckboxesProps) {
  return (
    <ChoiceGroup
      kind="checkboxes"
      {...props}
      isChecked={(value) => defaultValues?.includes(value) ?? false}
    />
  );
}

/** A list of choices from an enum and its labels, in the enum's order. */
export function choicesFrom<T extends string>(values: readonly T[], labels: Record<T, string>): Choice[] {
  return values.map((value) => ({ value, label: labels[value] }));
}
