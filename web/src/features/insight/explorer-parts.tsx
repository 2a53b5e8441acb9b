import type { ReactNode } from 'react';
import { describedBy, ErrorMessage, formGroupClass, Hint } from '../../components/field-parts.tsx';

/*
 * Small pieces the explorer's tables and form share: a responsive table cell with its column's name for narrow
 * screens, a row header, and a select whose options come in labelled groups.
 */

/** A data cell of an NHS responsive table: on a phone each row becomes a block with the column name beside. */
export function Cell({ column, children }: { column: string; children: ReactNode }) {
  return (
    <td className="nhsuk-table__cell">
      <span className="nhsuk-table__heading" aria-hidden="true">
        {column}
      </span>
      <div>{children}</div>
    </td>
  );
}

/** The first cell of a row, naming the group the row is about. */
export function RowHeader({ column, children }: { column: string; children: ReactNode }) {
  return (
    <th className="nhsuk-table__header" scope="row">
      <span className="nhsuk-table__heading" aria-hidden="true">
        {column}
      </span>
      <div>{children}</div>
    </th>
  );
}

export function ColumnHeaders({ columns }: { columns: string[] }) {
  return (
    <thead className="nhsuk-table__head">
      <tr className="nhsuk-table__row">
        {columns.map((column) => (
          <th className="nhsuk-table__header" scope="col" key={column}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export interface OptionGroup {
  label: string;
  options: { value: string; label: string }[];
}

/** A select with `<optgroup>`s, controlled, for choices that change what else the form offers. */
export function GroupedSelect({
  id,
  label,
  hint,
  error,
  groups,
  placeholder,
  value,
  onChange,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  groups: OptionGroup[];
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
}) {
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
        name={id}
        aria-describedby={describedBy(id, hint, error)}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
