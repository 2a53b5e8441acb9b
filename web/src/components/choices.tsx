import { Fragment, type ReactNode, useState } from 'react';
import { describedBy, ErrorMessage, formGroupClass, Hint, Legend, type LegendSize } from './field-parts.tsx';

export interface Choice {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Fields revealed below the choice while it is selected (the NHS conditional reveal pattern). */
  conditional?: ReactNode;
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
  // Inputs stay uncontrolled; only which conditional reveals are open is tracked here.
  const hasConditionals = items.some((item) => item.conditional);
  const [selected, setSelected] = useState(
    () => new Set(items.filter((item) => isChecked(item.value)).map((item) => item.value)),
  );
  const select = (value: string, checked: boolean) =>
    setSelected((previous) => {
      if (kind === 'radios') return new Set([value]);
      const next = new Set(previous);
      if (checked) next.add(value);
      else next.delete(value);
      return next;
    });
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
            const conditionalId = `conditional-${inputId}`;
            return (
              <Fragment key={item.value}>
                <div className={`nhsuk-${kind}__item`}>
                  <input
                    className={`nhsuk-${kind}__input`}
                    id={inputId}
                    name={name ?? id}
                    type={kind === 'radios' ? 'radio' : 'checkbox'}
                    value={item.value}
                    defaultChecked={isChecked(item.value)}
                    aria-describedby={item.hint ? `${inputId}-item-hint` : undefined}
                    aria-controls={item.conditional ? conditionalId : undefined}
                    onChange={
                      hasConditionals ? (event) => select(item.value, event.currentTarget.checked) : undefined
                    }
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
                {item.conditional && (
                  <div
                    className={`nhsuk-${kind}__conditional${selected.has(item.value) ? '' : ` nhsuk-${kind}__conditional--hidden`}`}
                    id={conditionalId}
                  >
                    {item.conditional}
                  </div>
                )}
              </Fragment>
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
