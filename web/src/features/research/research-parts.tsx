import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import type { StudyRole } from '../../../../src/modules/research/contract.ts';
import { ApiProblem, type FieldProblem } from '../../app/api.ts';
import { formatDate } from '../../app/format.ts';
import type { FormErrors } from '../../components/form-errors.ts';
import { Loading, SuccessBanner } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { type Study, useStudy } from './research-queries.ts';

/** Leads and researchers change a study; coders and read-only members read it. */
export const canWrite = (role: StudyRole | undefined) => role === 'lead' || role === 'researcher';

/**
 * Shows an API refusal in the page's error summary, with each field problem renamed to the id of the field that
 * shows it (the API names `linkWorkerId`, the page has one `linkWorker` list for the person and their PCN).
 */
export function showProblem(
  errors: FormErrors,
  error: unknown,
  rename: (field: string) => string = (field) => field,
): void {
  if (error instanceof ApiProblem && error.errors.length > 0) {
    errors.show(error.errors.map((p: FieldProblem) => ({ field: rename(p.field), message: p.message })));
  } else {
    errors.showError(error);
  }
}

/** A study's page once the study has loaded; a problem page when it cannot be read. */
export function WithStudy({ id, children }: { id: string; children: (study: Study) => ReactNode }) {
  const study = useStudy(id);
  if (study.isPending) return <Loading />;
  if (study.isError) return <ProblemPage error={study.error} />;
  return <>{children(study.data)}</>;
}

/** The green banner for what the previous page just saved, carried in the navigation state. */
export function SavedBanner() {
  const location = useLocation();
  const saved = (location.state as { saved?: string } | null)?.saved;
  if (!saved) return null;
  return (
    <SuccessBanner>
      <p className="nhsuk-notification-banner__heading">{saved}</p>
    </SuccessBanner>
  );
}

/** Text someone wrote, with its line breaks kept. */
export function Written({ children }: { children: ReactNode }) {
  return <div className="nhsuk-body app-research-written">{children}</div>;
}

/** `1 March 2026 to 31 May 2026`. */
export const dateSpan = (from: string, to: string | null) =>
  to ? `${formatDate(from)} to ${formatDate(to)}` : `${formatDate(from)} onwards`;

/** An NHS warning callout (a card with the warning variant) with a heading that says it is important. */
export function WarningCallout({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <div className="nhsuk-card nhsuk-card--warning">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-m">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {heading}
        </h2>
        {children}
      </div>
    </div>
  );
}
