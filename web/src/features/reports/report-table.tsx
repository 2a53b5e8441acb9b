import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { ReportCell, ReportTable } from '../../../../src/modules/reporting/contract.ts';
import { cellText, columnHeading } from './cells.ts';
import { isMonth } from './report-values.ts';

/*
 * One table of the report as it reads on the page: its title as the caption, the row and column headings scoped,
 * each column heading with its unit, suppressed figures in words, the table's own figures (a median) and notes
 * under it. On a phone each row becomes a block with the column names beside the figures (the NHS responsive
 * table); on a wider screen a table wider than the page scrolls sideways, its row headings staying in view.
 */

export function CellValue({
  cell,
  unit,
}: {
  cell: ReportCell;
  unit: ReportTable['columns'][number]['unit'];
}) {
  const read = cellText(cell, unit);
  if (read.kind === 'suppressed') {
    // It breaks, if it must, before the bracket only.
    const [word, bracket] = read.text.split(' (');
    return (
      <span className="app-report-suppressed">
        {word} <span className="app-report-nowrap">({bracket}</span>
      </span>
    );
  }
  if (read.kind === 'none') {
    return (
      <>
        <span aria-hidden="true">–</span>
        <span className="nhsuk-u-visually-hidden">{read.text}</span>
      </>
    );
  }
  return <>{read.text}</>;
}

/** A box that scrolls sideways when the table in it is wider than the page, and then can be scrolled by keyboard. */
function Scroller({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const check = () => setOverflows(element.scrollWidth > element.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // Only a table wider than its box makes it a region to scroll, reachable by keyboard (WCAG 2.1.1).
  const scrolls = overflows
    ? { role: 'region', 'aria-label': `${label} (scrolls sideways)`, tabIndex: 0 }
    : {};
  return (
    <div ref={ref} className="app-report-scroll" {...scrolls}>
      {children}
    </div>
  );
}

export function ReportTableView({
  table,
  responsive = true,
}: {
  table: ReportTable;
  /** Rows as blocks on a phone; off where the table is printed (a page is narrower than a desktop). */
  responsive?: boolean;
}) {
  if (table.rows.length === 0) {
    return (
      <div className="app-report-table">
        <h3 className="nhsuk-heading-s">{table.title}</h3>
        <TableNotes table={table} />
      </div>
    );
  }
  const headings = table.columns.map(columnHeading);
  const heading = (text: string) =>
    responsive ? (
      <span className="nhsuk-table__heading" aria-hidden="true">
        {text}
      </span>
    ) : null;
  return (
    <div className="app-report-table">
      <Scroller label={table.title}>
        <table
          className={`nhsuk-table${responsive ? ' nhsuk-table--responsive' : ''} app-report-table__table`}
          data-table={table.key}
        >
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">{table.title}</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">
                {table.rowHeading}
              </th>
              {headings.map((h, i) => (
                <th
                  className={`nhsuk-table__header app-report-table__figure${isMonth(table.columns[i]!.key) ? ' app-report-nowrap' : ''}`}
                  scope="col"
                  key={table.columns[i]!.key}
                >
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {table.rows.map((row) => (
              <tr className={`nhsuk-table__row${row.total ? ' app-report-table__total' : ''}`} key={row.key}>
                <th className="nhsuk-table__header app-report-table__row-heading" scope="row">
                  {heading(table.rowHeading)}
                  <div>{row.label}</div>
                </th>
                {row.cells.map((cell, i) => (
                  <td className="nhsuk-table__cell app-report-table__figure" key={table.columns[i]!.key}>
                    {heading(headings[i]!)}
                    <div>
                      <CellValue cell={cell} unit={table.columns[i]!.unit} />
                    </div>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </Scroller>
      {table.summary.length > 0 && (
        <ul className="nhsuk-list app-report-table__summary">
          {table.summary.map((s) => (
            <li key={s.key}>
              {s.label}:{' '}
              <strong>
                <CellValue cell={s.cell} unit={s.unit} />
              </strong>
            </li>
          ))}
        </ul>
      )}
      <TableNotes table={table} />
    </div>
  );
}

function TableNotes({ table }: { table: ReportTable }) {
  if (table.notes.length === 0) return null;
  return (
    <ul className="nhsuk-list nhsuk-body-s app-report-table__notes">
      {table.notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}

/** The period's key figures as large numbers, for the printed summary. */
export function KeyFigures({ table }: { table: ReportTable }) {
  return (
    <dl className="app-key-figures">
      {table.rows.map((row) => (
        <div className="app-key-figures__item" key={row.key}>
          <dt className="app-key-figures__label">{row.label}</dt>
          <dd className="app-key-figures__value">
            <CellValue cell={row.cells[0]!} unit={table.columns[0]!.unit} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
