import type { ReactNode } from 'react';

export interface TableColumn<T> {
  header: string;
  cell: (item: T) => ReactNode;
  /** Shown only to screen readers, e.g. for a column of actions. */
  hiddenHeader?: boolean;
  nowrap?: boolean;
}

/**
 * The NHS responsive table: columns on wide screens, and on narrow ones each row becomes a block with the
 * column name beside each value, so nothing has to scroll sideways. Each cell's content sits in one
 * element so the narrow layout keeps it together.
 */
export function ResponsiveTable<T>({
  caption,
  columns,
  items,
  itemKey,
}: {
  caption: ReactNode;
  columns: TableColumn<T>[];
  items: T[];
  itemKey: (item: T) => string;
}) {
  return (
    <table className="nhsuk-table nhsuk-table--responsive">
      <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          {columns.map((column) => (
            <th className="nhsuk-table__header" scope="col" key={column.header}>
              {column.hiddenHeader ? (
                <span className="nhsuk-u-visually-hidden">{column.header}</span>
              ) : (
                column.header
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {items.map((item) => (
          <tr className="nhsuk-table__row" key={itemKey(item)}>
            {columns.map((column) => (
              <td
                className={`nhsuk-table__cell${column.nowrap ? ' app-table-nowrap' : ''}`}
                key={column.header}
              >
                {!column.hiddenHeader && (
                  <span className="nhsuk-table__heading" aria-hidden="true">
                    {column.header}
                  </span>
                )}
                <div>{column.cell(item)}</div>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
