import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function BackLink({ to, children = 'Back' }: { to: string; children?: ReactNode }) {
  return (
    <Link className="nhsuk-back-link" to={to}>
      {children}
    </Link>
  );
}

/** The page's one h1; it takes focus on navigation so screen readers announce the page. */
export function PageHeading({
  children,
  caption,
  size = 'l',
}: {
  children: ReactNode;
  caption?: ReactNode;
  size?: 'l' | 'xl';
}) {
  return (
    <h1 className={`nhsuk-heading-${size}`} tabIndex={-1}>
      {caption && (
        <span className="nhsuk-caption-l">
          {caption}
          <span className="nhsuk-u-visually-hidden"> – </span>
        </span>
      )}
      {children}
    </h1>
  );
}

export type TagColour =
  | 'white'
  | 'grey'
  | 'green'
  | 'aqua-green'
  | 'blue'
  | 'purple'
  | 'pink'
  | 'red'
  | 'orange'
  | 'yellow';

export function Tag({ children, colour }: { children: ReactNode; colour?: TagColour }) {
  return <strong className={`nhsuk-tag${colour ? ` nhsuk-tag--${colour}` : ''}`}>{children}</strong>;
}

export interface SummaryRow {
  key: ReactNode;
  value: ReactNode;
  action?: ReactNode;
}

export function SummaryList({ rows, noBorder }: { rows: SummaryRow[]; noBorder?: boolean }) {
  const anyActions = rows.some((row) => row.action);
  return (
    <dl className={`nhsuk-summary-list${noBorder ? ' nhsuk-summary-list--no-border' : ''}`}>
      {rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are fixed per page
        <div className="nhsuk-summary-list__row" key={index}>
          <dt className="nhsuk-summary-list__key">{row.key}</dt>
          <dd className="nhsuk-summary-list__value">{row.value}</dd>
          {anyActions && <dd className="nhsuk-summary-list__actions">{row.action}</dd>}
        </div>
      ))}
    </dl>
  );
}

export function InsetText({ children }: { children: ReactNode }) {
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      {children}
    </div>
  );
}

/** A green banner confirming that something worked. */
export function SuccessBanner({ children, title = 'Success' }: { children: ReactNode; title?: string }) {
  return (
    <div
      className="nhsuk-notification-banner nhsuk-notification-banner--success"
      role="alert"
      aria-labelledby="success-banner-title"
    >
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id="success-banner-title">
          {title}
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">{children}</div>
    </div>
  );
}

/** An important-information banner (blue), e.g. why someone was signed out. */
export function InfoBanner({ children, title = 'Important' }: { children: ReactNode; title?: string }) {
  return (
    <section className="nhsuk-notification-banner" aria-labelledby="info-banner-title">
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id="info-banner-title">
          {title}
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">{children}</div>
    </section>
  );
}

export function Loading({ what = 'page' }: { what?: string }) {
  return (
    <p className="nhsuk-body" role="status">
      Loading {what}…
    </p>
  );
}

export function ButtonLink({
  to,
  children,
  secondary,
}: {
  to: string;
  children: ReactNode;
  secondary?: boolean;
}) {
  return (
    <Link className={`nhsuk-button${secondary ? ' nhsuk-button--secondary' : ''}`} to={to}>
      {children}
    </Link>
  );
}

/** Two columns on wide screens, with the content in the first two thirds. */
export function TwoThirds({ children }: { children: ReactNode }) {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">{children}</div>
    </div>
  );
}
