import { type MouseEvent, useEffect, useRef } from 'react';
import type { ErrorSummaryItem } from './form-errors.ts';

interface ErrorSummaryProps {
  items: ErrorSummaryItem[];
  /** Changes on each failed attempt so the summary is focused and announced again. */
  attempt: number;
  title?: string;
}

function focusTarget(event: MouseEvent<HTMLAnchorElement>, id: string): void {
  const target = document.getElementById(id);
  if (!target) return;
  // A fragment link would count as a navigation for the router; move focus ourselves instead.
  event.preventDefault();
  const legendOrLabel =
    target.closest('fieldset')?.querySelector('legend') ??
    document.querySelector(`label[for="${CSS.escape(id)}"]`) ??
    target;
  legendOrLabel.scrollIntoView();
  target.focus({ preventScroll: true });
}

export function ErrorSummary({ items, attempt, title = 'There is a problem' }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0 && ref.current) {
      ref.current.focus();
      ref.current.scrollIntoView();
    }
  }, [attempt]);

  if (items.length === 0) return null;
  return (
    <div className="nhsuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading" id="error-summary-title">
          {title}
        </h2>
        <div className="nhsuk-error-summary__body">
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {items.map((item, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: messages can repeat and have no id
              <li key={index}>
                {item.targetId ? (
                  <a
                    href={`#${item.targetId}`}
                    onClick={(event) => focusTarget(event, item.targetId as string)}
                  >
                    {item.text}
                  </a>
                ) : (
                  item.text
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
