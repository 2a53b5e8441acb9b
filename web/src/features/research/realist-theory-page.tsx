import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { cmocInput } from '../../../../src/modules/research/contract.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, SuccessBanner, SummaryList } from '../../components/page-parts.tsx';
import {
  AnalysisLinks,
  CmocFields,
  cmocPartRows,
  confidenceLabels,
  evidenceCounts,
  placeContextProblems,
  readCmocFields,
  Statement,
  StatusTag,
} from './realist-parts.tsx';
import { type CmocSummary, realistPaths, useCmocs, useProposeCmoc } from './realist-queries.ts';
import { canWrite, showProblem, WithStudy } from './research-parts.tsx';
import { researchPaths, type Study } from './research-queries.ts';

/*
 * The programme theory now: each configuration's latest version as a card (its label, title, if–then–because
 * statement, parts, status, confidence and evidence), and for leads and researchers a form to propose another.
 */

function CmocCard({ cmoc, studyId }: { cmoc: CmocSummary; studyId: string }) {
  const headingId = `cmoc-${cmoc.id}`;
  return (
    <section className="nhsuk-card app-realist-card" aria-labelledby={headingId}>
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-m" id={headingId}>
          <Link to={realistPaths.cmoc(cmoc.id, studyId)}>
            {cmoc.label}: {cmoc.title}
          </Link>
        </h2>
        <p className="app-realist-card__status">
          <StatusTag status={cmoc.status} />
          {cmoc.initial && <span className="app-research-meta">From the initial programme theory</span>}
        </p>
        <Statement>{cmoc.statement}</Statement>
        <SummaryList
          rows={[
            ...cmocPartRows(cmoc),
            {
              key: 'Confidence',
              value: cmoc.confidence ? confidenceLabels[cmoc.confidence] : 'Not judged yet',
            },
            {
              key: 'Evidence',
              value: (
                <>
                  <p className="nhsuk-u-margin-bottom-1">This version: {evidenceCounts(cmoc.evidence)}</p>
                  {cmoc.versions > 1 && (
                    <p className="nhsuk-u-margin-bottom-0">
                      All {cmoc.versions} versions: {evidenceCounts(cmoc.evidenceAllVersions)}
                    </p>
                  )}
                </>
              ),
            },
          ]}
        />
        <p className="nhsuk-u-margin-bottom-0">
          <Link to={`${realistPaths.cmoc(cmoc.id, studyId)}#history`}>
            History of {cmoc.label.replace(/ v\d+$/, '')}
            <span className="nhsuk-u-visually-hidden">: {cmoc.title}</span>
          </Link>
          {cmoc.versions > 1 ? ` (${cmoc.versions} versions)` : ''}
        </p>
      </div>
    </section>
  );
}

function ProposeForm({
  study,
  errors,
  onProposed,
}: {
  study: Study;
  errors: FormErrors;
  onProposed: (cmoc: { id: string; label: string; title: string }) => void;
}) {
  const propose = useProposeCmoc(study.id);
  // A new key empties the form (the contexts list too) once a configuration is proposed.
  const [formKey, setFormKey] = useState(0);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (propose.isPending) return;
    const { body, contextField } = readCmocFields(new FormData(event.currentTarget));
    const problems = placeContextProblems(check(cmocInput, body), contextField);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    propose.mutate(body, {
      onSuccess: (cmoc) => {
        setFormKey((k) => k + 1);
        onProposed(cmoc);
      },
      onError: (error) => showProblem(errors, error, contextField),
    });
  };

  return (
    <section aria-labelledby="propose-heading">
      <h2 className="nhsuk-heading-l" id="propose-heading">
        Propose a configuration
      </h2>
      <p>It joins the programme theory as proposed, with the next number. Judge it once it has evidence.</p>
      <form onSubmit={submit} noValidate key={formKey}>
        <CmocFields
          messageFor={errors.messageFor}
          statementHint="Leave it blank and it is written from the parts: “If [contexts], then [outcome], because [resource] leads to [response].”"
        />
        <button className="nhsuk-button" type="submit" disabled={propose.isPending}>
          {propose.isPending ? 'Proposing…' : 'Propose configuration'}
        </button>
      </form>
    </section>
  );
}

function Theory({ study }: { study: Study }) {
  const cmocs = useCmocs(study.id);
  const errors = useFormErrors({});
  const [proposed, setProposed] = useState<{ id: string; label: string; title: string } | null>(null);
  const title = 'Programme theory';
  usePageTitle(`${title} – ${study.title}`, errors.hasErrors);
  const items = cmocs.data ?? [];
  const count = (status: CmocSummary['status']) => items.filter((c) => c.status === status).length;

  return (
    <>
      <BackLink to={researchPaths.study(study.id)}>Back to the study</BackLink>
      {proposed && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">
            {proposed.label} proposed:{' '}
            <Link className="nhsuk-notification-banner__link" to={realistPaths.cmoc(proposed.id, study.id)}>
              {proposed.title}
            </Link>
          </p>
        </SuccessBanner>
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Each context–mechanism–outcome configuration as it stands now, tested against the study’s
            evidence. Earlier versions are kept with the reason each was refined.
          </p>
          <AnalysisLinks studyId={study.id} current="theory" />
          {cmocs.isPending && <Loading what="configurations" />}
          {cmocs.isError && <InlineProblem error={cmocs.error} />}
          {cmocs.data && items.length === 0 && (
            <p>No configurations yet. Propose the first below, or give them when the study is set up.</p>
          )}
          {items.length > 0 && (
            <p>
              {items.length} {items.length === 1 ? 'configuration' : 'configurations'}: {count('supported')}{' '}
              supported, {count('refuted')} refuted, {count('proposed')} proposed.
            </p>
          )}
          {items.map((c) => (
            <CmocCard key={c.id} cmoc={c} studyId={study.id} />
          ))}
          {canWrite(study.myRole) && (
            <ProposeForm
              study={study}
              errors={errors}
              onProposed={(c) => {
                setProposed(c);
                window.scrollTo(0, 0);
              }}
            />
          )}
        </div>
      </div>
    </>
  );
}

export function RealistTheoryPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <Theory study={study} />}</WithStudy>;
}
