import type { ReactNode } from 'react';
import { Link, Outlet } from 'react-router';
import type { Me, Role } from '../../../../src/modules/identity/contract.ts';
import { ApiProblem } from '../../app/api.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Tag } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { type ServiceStatus, serviceStatusColours, serviceStatusLabels } from './labels.ts';
import type { TaxonomyTerm } from './queries.ts';

/** Who may find services, check them and keep the directory: the API's DIRECTORY_READERS, CHECKERS and EDITORS. */
export const directoryReaders: Role[] = [
  'link_worker',
  'lead_link_worker',
  'directory_manager',
  'admin',
  'referrer',
];
export const directoryCheckers: Role[] = ['link_worker', 'lead_link_worker', 'directory_manager', 'admin'];
const directoryEditors: Role[] = ['directory_manager', 'admin'];

const holds = (me: Me, roles: Role[]) => me.acting?.roles.some((role) => roles.includes(role)) ?? false;

/** Confirms services are right and reports those that are not. */
export const canCheckDirectory = (me: Me) => holds(me, directoryCheckers);

/** Adds and changes services: a directory manager or administrator acting for the ICB that owns the directory. */
export const canEditDirectory = (me: Me) =>
  holds(me, directoryEditors) && me.acting?.organisationType === 'icb';

/** Pages for keeping the directory: anyone else is told why not, as the API would. */
export function RequireDirectoryEditor() {
  const me = useSignedIn();
  if (canEditDirectory(me)) return <Outlet />;
  const detail = holds(me, directoryEditors)
    ? 'Services are added and changed by the ICB that owns the directory: act for the ICB to use this page.'
    : 'Only directory managers and administrators acting for the ICB can use this page.';
  return <ProblemPage error={new ApiProblem({ status: 403, title: 'Forbidden', detail })} />;
}

export const servicePath = (id: string, referralId?: string | null) =>
  `/directory/services/${encodeURIComponent(id)}${referralId ? `?referral=${encodeURIComponent(referralId)}` : ''}`;
export const connectPath = (referralId: string, serviceId: string) =>
  `/episodes/${encodeURIComponent(referralId)}/connect/${encodeURIComponent(serviceId)}`;

export function ServiceStatusTag({ status }: { status: string }) {
  const known = status in serviceStatusLabels ? (status as ServiceStatus) : null;
  return known ? (
    <Tag colour={serviceStatusColours[known]}>{serviceStatusLabels[known]}</Tag>
  ) : (
    <Tag colour="grey">{status}</Tag>
  );
}

/** Said when a service has not been checked for longer than the ICB allows. */
export function StaleTag() {
  return <Tag colour="orange">May be out of date</Tag>;
}

/** The other directory pages someone can use, shown at the top of Find services. */
export function DirectoryLinks() {
  const me = useSignedIn();
  const links: { to: string; label: string }[] = [];
  if (canCheckDirectory(me)) links.push({ to: '/directory/tasks', label: 'Directory tasks' });
  if (canEditDirectory(me)) {
    links.push(
      { to: '/directory/services/new', label: 'Add a service' },
      { to: '/directory/needs', label: 'Needs and kinds of service' },
      { to: '/directory/settings', label: 'Directory settings' },
    );
  }
  if (links.length === 0) return null;
  return (
    <nav aria-label="Directory">
      <ul className="nhsuk-list app-directory-links">
        {links.map((link) => (
          <li key={link.to}>
            <Link to={link.to}>{link.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Previous and next pages of a list, with where the person is. */
export function Pagination({
  page,
  pages,
  hrefFor,
  what,
}: {
  page: number;
  pages: number;
  hrefFor: (page: number) => string;
  what: string;
}) {
  if (pages <= 1) return null;
  return (
    <nav className="nhsuk-pagination" aria-label={`Pages of ${what}`}>
      <ul className="nhsuk-list nhsuk-pagination__list">
        {page > 1 && (
          <li className="nhsuk-pagination-item--previous">
            <Link
              className="nhsuk-pagination__link nhsuk-pagination__link--prev"
              to={hrefFor(page - 1)}
              rel="prev"
            >
              <span className="nhsuk-pagination__title">
                Previous<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">
                Page {page - 1} of {pages}
              </span>
            </Link>
          </li>
        )}
        {page < pages && (
          <li className="nhsuk-pagination-item--next">
            <Link
              className="nhsuk-pagination__link nhsuk-pagination__link--next"
              to={hrefFor(page + 1)}
              rel="next"
            >
              <span className="nhsuk-pagination__title">
                Next<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">
                Page {page + 1} of {pages}
              </span>
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}

interface TermGroup {
  root: TaxonomyTerm;
  terms: { term: TaxonomyTerm; depth: number }[];
}

/** Terms under their top-level term, depth first, in name order; terms on their own go together at the end. */
export function groupTerms(terms: readonly TaxonomyTerm[]): { groups: TermGroup[]; loose: TaxonomyTerm[] } {
  const byId = new Map(terms.map((term) => [term.id, term]));
  const children = new Map<string, TaxonomyTerm[]>();
  const roots: TaxonomyTerm[] = [];
  for (const term of [...terms].sort((a, b) => a.name.localeCompare(b.name))) {
    if (term.parentId && byId.has(term.parentId)) {
      const list = children.get(term.parentId) ?? [];
      list.push(term);
      children.set(term.parentId, list);
    } else roots.push(term);
  }
  const below = (
    term: TaxonomyTerm,
    depth: number,
    seen: Set<string>,
  ): { term: TaxonomyTerm; depth: number }[] =>
    (children.get(term.id) ?? [])
      .filter((child) => !seen.has(child.id) && seen.add(child.id))
      .flatMap((child) => [{ term: child, depth }, ...below(child, depth + 1, seen)]);
  const groups: TermGroup[] = [];
  const loose: TaxonomyTerm[] = [];
  for (const root of roots) {
    const terms = below(root, 1, new Set([root.id]));
    if (terms.length === 0) loose.push(root);
    else groups.push({ root, terms: [{ term: root, depth: 0 }, ...terms] });
  }
  return { groups, loose };
}

/**
 * Checkboxes for taxonomy terms, one fold-out group per top-level term (open where something is ticked), so a long
 * taxonomy stays short on the page. Every checkbox is named `termIds`.
 */
export function TermCheckboxes({
  id,
  terms,
  checked,
  legend,
  hint,
  error,
}: {
  id: string;
  terms: readonly TaxonomyTerm[];
  checked: readonly string[];
  legend: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
}) {
  const { groups, loose } = groupTerms(terms);
  const ticked = new Set(checked);
  const all: TermGroup[] = [
    ...groups,
    ...(loose.length > 0
      ? [
          {
            root: { id: 'other', name: 'Other kinds', parentId: null, description: '' },
            terms: loose.map((term) => ({ term, depth: 0 })),
          },
        ]
      : []),
  ];
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset
        className="nhsuk-fieldset"
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
      >
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
          <h2 className="nhsuk-fieldset__heading" id={id} tabIndex={-1}>
            {legend}
          </h2>
        </legend>
        {hint && (
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
        {error && (
          <span className="nhsuk-error-message" id={`${id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {error}
          </span>
        )}
        {all.map((group) => {
          const count = group.terms.filter(({ term }) => ticked.has(term.id)).length;
          return (
            <details className="nhsuk-details app-term-group" key={group.root.id} open={count > 0}>
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">
                  {group.root.name}
                  {count > 0 && ` (${count} chosen)`}
                </span>
              </summary>
              <div className="nhsuk-details__text">
                <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                  {group.terms.map(({ term, depth }) => (
                    <div
                      className={`nhsuk-checkboxes__item app-term-depth-${Math.min(depth, 2)}`}
                      key={term.id}
                    >
                      <input
                        className="nhsuk-checkboxes__input"
                        id={`${id}-${term.id}`}
                        name="termIds"
                        type="checkbox"
                        value={term.id}
                        defaultChecked={ticked.has(term.id)}
                        aria-describedby={term.description ? `${id}-${term.id}-hint` : undefined}
                      />
                      <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`${id}-${term.id}`}>
                        {term.name}
                      </label>
                      {term.description && (
                        <div className="nhsuk-hint nhsuk-checkboxes__hint" id={`${id}-${term.id}-hint`}>
                          {term.description}
                        </div>
                      )}
                    </div>
                  ))}
                </div>
              </div>
            </details>
          );
        })}
      </fieldset>
    </div>
  );
}
