import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading } from '../../components/page-parts.tsx';
import { AnalysisLinks, evidenceCounts, Statement, StatusTag } from './realist-parts.tsx';
import { realistPaths, type TheoryChange, useTheoryHistory } from './realist-queries.ts';
import { WithStudy } from './research-parts.tsx';
import { researchPaths, type Study } from './research-queries.ts';

/*
 * How the programme theory changed: every version of every configuration in the order it was written — the
 * initial theory, configurations proposed during the study, and each refinement with its reason and the evidence
 * the refined version stood on.
 */

function changeHeading(c: TheoryChange): string {
  if (c.change === 'initial') return `${c.label} in the initial programme theory`;
  if (c.change === 'proposed') return `${c.label} proposed`;
  return `${c.refinedFromLabel ?? `CMOC ${c.number}`} refined into ${c.label}`;
}

function Change({ change, studyId }: { change: TheoryChange; studyId: string }) {
  return (
    <li className="app-realist-timeline__item">
      <p className="nhsuk-body-s app-research-meta nhsuk-u-margin-bottom-1">
        {formatDateTime(change.createdAt)}
      </p>
      <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">
        {changeHeading(change)}:{' '}
        <Link to={realistPaths.cmoc(change.id, studyId)}>
          {change.title}
          <span className="nhsuk-u-visually-hidden"> ({change.label})</span>
        </Link>
      </h2>
      {change.change === 'refined' && (
        <>
          <p>
            <strong>Why:</strong> {change.refineReason}
          </p>
          {change.evidenceBehindChange && (
            <p className="nhsuk-body-s">
              {change.refinedFromLabel} stood on: {evidenceCounts(change.evidenceBehindChange)}
            </p>
          )}
        </>
      )}
      <Statement>{change.statement}</Statement>
      <p className="nhsuk-body-s">
        <StatusTag status={change.status} /> {change.current ? 'Current version' : 'Since refined'}. Evidence
        linked to it: {evidenceCounts(change.evidence)}
      </p>
    </li>
  );
}

function History({ study }: { study: Study }) {
  const history = useTheoryHistory(study.id);
  const title = 'How the programme theory changed';
  usePageTitle(`${title} – ${study.title}`);
  const items = history.data ?? [];
  const refinements = items.filter((c) => c.change === 'refined').length;

  return (
    <>
      <BackLink to={realistPaths.theory(study.id)}>Back to the programme theory</BackLink>
      <PageHeading caption={study.title}>{title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <AnalysisLinks studyId={study.id} current="history" />
          {history.isPending && <Loading what="the history" />}
          {history.isError && <InlineProblem error={history.error} />}
          {history.data && items.length === 0 && (
            <p>
              No configurations yet. <Link to={realistPaths.theory(study.id)}>Propose the first</Link>.
            </p>
          )}
          {items.length > 0 && (
            <>
              <p>
                {items.length} {items.length === 1 ? 'version' : 'versions'} written, oldest first;{' '}
                {refinements} {refinements === 1 ? 'refinement' : 'refinements'}.
              </p>
              <ol className="app-realist-timeline">
                {items.map((c) => (
                  <Change key={c.id} change={c} studyId={study.id} />
                ))}
              </ol>
            </>
          )}
          <p>
            <Link to={researchPaths.study(study.id)}>Back to the study</Link>
          </p>
        </div>
      </div>
    </>
  );
}

export function RealistHistoryPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <History study={study} />}</WithStudy>;
}
