import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { cmocRefinement, confidenceLevels } from '../../../../src/modules/research/contract.ts';
import { type FieldProblem, isProblem } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import {
  BackLink,
  InfoBanner,
  Loading,
  PageHeading,
  SuccessBanner,
  SummaryList,
} from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { AddEvidence, EvidenceList } from './realist-evidence.tsx';
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
  stanceLabels,
} from './realist-parts.tsx';
import {
  type CmocDetail,
  type JudgementBody,
  realistPaths,
  useCmoc,
  useJudgeCmoc,
  useRefineCmoc,
} from './realist-queries.ts';
import { canWrite, SavedBanner, showProblem, Written } from './research-parts.tsx';
import { researchPaths, useStudy } from './research-queries.ts';

/*
 * One configuration: its statement and parts, its evidence by stance, and — for leads and researchers, on its
 * latest version — adding evidence, judging it (supported, refuted or still proposed, with confidence) and
 * refining it into a new version with the reason. Its history lists every version with what each stood on.
 * The page carries its study (?study=…), as a participant's page does, to link back and know your role.
 */

type Said = (message: string | null) => void;

/** A 409 because someone else saved first (the API's version_conflict), not a rule such as "already refined". */
const isStale = (error: unknown) =>
  isProblem(error, 409) && (error.type?.endsWith('/version_conflict') ?? false);

/** Someone else saved first: say so, and offer to read the configuration afresh. */
function StaleNotice({ onReload }: { onReload: () => void }) {
  return (
    <div className="nhsuk-inset-text" role="alert">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>Reload the configuration to see their change, then make yours again.</p>
      <button
        className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
        type="button"
        onClick={onReload}
      >
        Reload it
      </button>
    </div>
  );
}

const judgements = ['proposed', 'supported', 'refuted'] as const;
const judgementHints: Record<(typeof judgements)[number], string> = {
  proposed: 'Not yet decided: the evidence so far does not settle it',
  supported: 'The evidence shows the mechanism firing in these contexts, with this outcome',
  refuted: 'The evidence shows it does not hold',
};

function JudgeForm({
  cmoc,
  errors,
  said,
  onReload,
}: {
  cmoc: CmocDetail;
  errors: FormErrors;
  said: Said;
  onReload: () => void;
}) {
  const judge = useJudgeCmoc(cmoc.id);
  const [stale, setStale] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (judge.isPending) return;
    const form = new FormData(event.currentTarget);
    const status = String(form.get('judgeStatus') ?? '') as JudgementBody['status'] | '';
    const confidence = String(form.get('judgeConfidence') ?? '') as JudgementBody['confidence'] | '';
    const memo = String(form.get('judgeMemo') ?? '').trim() || null;
    const problems: FieldProblem[] = [];
    if (!status) problems.push({ field: 'judgeStatus', message: 'Choose proposed, supported or refuted' });
    // A judgement either way says how sure the team is; one still proposed may leave it open.
    if ((status === 'supported' || status === 'refuted') && !confidence) {
      problems.push({
        field: 'judgeConfidence',
        message: `Choose how confident the team is that it is ${status}: low, moderate or high`,
      });
    }
    said(null);
    setStale(false);
    if (problems.length > 0 || !status) return errors.show(problems);
    errors.clear();
    judge.mutate(
      { status, confidence: confidence || null, memo, version: cmoc.version },
      {
        onSuccess: (saved) =>
          said(
            `${saved.label} is marked ${saved.status}${saved.confidence ? ` with ${saved.confidence} confidence` : ''}.`,
          ),
        onError: (error) => {
          if (isStale(error)) setStale(true);
          showProblem(errors, error, (field) =>
            field === 'status'
              ? 'judgeStatus'
              : field === 'confidence'
                ? 'judgeConfidence'
                : field === 'memo'
                  ? 'judgeMemo'
                  : field,
          );
        },
      },
    );
  };

  return (
    <section aria-labelledby="judge-heading">
      <h2 className="nhsuk-heading-l" id="judge-heading">
        Judge it
      </h2>
      {stale && (
        <StaleNotice
          onReload={() => {
            setStale(false);
            errors.clear();
            onReload();
          }}
        />
      )}
      <form onSubmit={submit} noValidate key={cmoc.version} className="app-research-group">
        <Radios
          id="judgeStatus"
          legend="On the evidence, the configuration is"
          items={judgements.map((s) => ({
            value: s,
            label: s === 'proposed' ? 'Still proposed' : s === 'supported' ? 'Supported' : 'Refuted',
            hint: judgementHints[s],
          }))}
          defaultValue={cmoc.status}
          error={errors.messageFor('judgeStatus')}
        />
        <Radios
          id="judgeConfidence"
          legend="Confidence"
          hint="How sure the team is, given how much evidence there is and how strong it is"
          inline
          items={confidenceLevels.map((c) => ({ value: c, label: confidenceLabels[c] }))}
          defaultValue={cmoc.confidence}
          error={errors.messageFor('judgeConfidence')}
        />
        <Textarea
          id="judgeMemo"
          label="Memo (optional)"
          hint="The reasoning behind the judgement, for the team and the write-up"
          rows={3}
          defaultValue={cmoc.memo ?? ''}
          error={errors.messageFor('judgeMemo')}
        />
        <button className="nhsuk-button" type="submit" disabled={judge.isPending}>
          Save judgement
        </button>
      </form>
    </section>
  );
}

function RefineForm({
  cmoc,
  studyId,
  errors,
  said,
  onReload,
}: {
  cmoc: CmocDetail;
  studyId: string | null;
  errors: FormErrors;
  said: Said;
  onReload: () => void;
}) {
  const refine = useRefineCmoc(cmoc.id);
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [stale, setStale] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (refine.isPending) return;
    const form = new FormData(event.currentTarget);
    const { body, contextField } = readCmocFields(form);
    const refinement = { ...body, reason: String(form.get('reason') ?? '').trim(), version: cmoc.version };
    const problems = placeContextProblems(check(cmocRefinement, refinement), contextField);
    said(null);
    setStale(false);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    refine.mutate(refinement, {
      onSuccess: (next) =>
        navigate(realistPaths.cmoc(next.id, studyId), {
          state: {
            saved: `${next.label} saved. ${cmoc.label} is kept in its history with the evidence it stood on.`,
          },
        }),
      onError: (error) => {
        if (isStale(error)) setStale(true);
        showProblem(errors, error, contextField);
      },
    });
  };

  return (
    <section aria-labelledby="refine-heading">
      <h2 className="nhsuk-heading-l" id="refine-heading" ref={heading} tabIndex={-1}>
        Refine it
      </h2>
      <p>
        Write its next version when the evidence shows it needs changing. {cmoc.label} and its evidence stay
        in the history; the new version starts as proposed, with no evidence of its own.
      </p>
      {stale && (
        <StaleNotice
          onReload={() => {
            setStale(false);
            errors.clear();
            onReload();
          }}
        />
      )}
      {open ? (
        <form onSubmit={submit} noValidate key={cmoc.version} className="app-research-group">
          <Textarea
            id="reason"
            label="Why it is refined"
            hint="What the evidence showed, with where: for example, a warm handover was not enough where the group did not welcome newcomers (C1-PT-01)"
            rows={3}
            error={errors.messageFor('reason')}
          />
          <CmocFields
            messageFor={errors.messageFor}
            initial={{ ...cmoc, statement: null }}
            statementHint={`Leave it blank and it is written afresh from the parts. It now reads: “${cmoc.statement}”`}
          />
          <div className="app-actions">
            <button className="nhsuk-button" type="submit" disabled={refine.isPending}>
              Save the new version
            </button>
            <button
              className="nhsuk-button nhsuk-button--secondary"
              type="button"
              onClick={() => {
                errors.clear();
                setOpen(false);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={() => setOpen(true)}>
          Refine {cmoc.label}
        </button>
      )}
    </section>
  );
}

function History({ cmoc, studyId }: { cmoc: CmocDetail; studyId: string | null }) {
  return (
    <section aria-labelledby="history">
      <h2 className="nhsuk-heading-l" id="history" tabIndex={-1}>
        History
      </h2>
      <p>
        Every version of CMOC {cmoc.number}, oldest first, with the evidence each stood on when it was
        replaced.
      </p>
      <ol className="app-realist-timeline">
        {cmoc.history.map((v) => (
          <li className="app-realist-timeline__item" key={v.id}>
            <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">
              {v.id === cmoc.id ? (
                <>
                  {v.label} <span className="app-research-meta">(this page)</span>
                </>
              ) : (
                <Link to={realistPaths.cmoc(v.id, studyId)}>{v.label}</Link>
              )}
              : {v.title}
            </h3>
            <p className="nhsuk-body-s app-research-meta">
              <StatusTag status={v.status} /> Written {formatDateTime(v.createdAt)}
              {v.initial && v.lineageVersion === 1 ? ', from the initial programme theory' : ''}
            </p>
            {v.refineReason && (
              <p>
                <strong>Why it was refined:</strong> {v.refineReason}
              </p>
            )}
            <Statement>{v.statement}</Statement>
            <p className="nhsuk-body-s">
              {v.current ? 'Evidence so far' : 'Evidence it stood on'}: {evidenceCounts(v.evidence)}
            </p>
            {v.id !== cmoc.id && v.evidenceItems.length > 0 && (
              <details className="nhsuk-details">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">
                    {v.label}’s evidence ({v.evidenceItems.length})
                  </span>
                </summary>
                <div className="nhsuk-details__text">
                  <ul className="nhsuk-list">
                    {v.evidenceItems.map((e) => (
                      <li key={e.id}>
                        <strong>{stanceLabels[e.stance]}:</strong> “{e.text}” ({e.sourceName}
                        {e.participantCode ? `, ${e.participantCode}` : ''})
                      </li>
                    ))}
                  </ul>
                </div>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function CmocView({
  cmoc,
  studyId,
  onReload,
}: {
  cmoc: CmocDetail;
  studyId: string | null;
  onReload: () => void;
}) {
  const study = useStudy(studyId);
  const errors = useFormErrors({ anchors: {} });
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(`${cmoc.label}: ${cmoc.title}`, errors.hasErrors);
  const writer = !!studyId && !!study.data && canWrite(study.data.myRole);
  const latest = cmoc.history.at(-1);
  // The programme theory links to a configuration's history (#history): go there once the page is drawn.
  const { hash } = useLocation();
  useEffect(() => {
    if (hash === '#history') document.getElementById('history')?.scrollIntoView();
  }, [hash]);
  const said: Said = (message) => {
    errors.clear();
    setNotice(message);
  };

  return (
    <>
      {studyId ? (
        <BackLink to={realistPaths.theory(studyId)}>Back to the programme theory</BackLink>
      ) : (
        <BackLink to={researchPaths.studies}>Back to research studies</BackLink>
      )}
      {notice ? (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{notice}</p>
        </SuccessBanner>
      ) : (
        <SavedBanner />
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {!cmoc.current && latest && (
        <InfoBanner title="An earlier version">
          <p className="nhsuk-notification-banner__heading">
            {cmoc.label} was refined. The programme theory now has{' '}
            <Link className="nhsuk-notification-banner__link" to={realistPaths.cmoc(latest.id, studyId)}>
              {latest.label}
            </Link>
            .
          </p>
        </InfoBanner>
      )}
      <PageHeading caption={study.data?.title ?? 'Configuration'}>
        {cmoc.label}: {cmoc.title}
      </PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {studyId && <AnalysisLinks studyId={studyId} current={null} />}
          <Statement>{cmoc.statement}</Statement>
          <SummaryList
            rows={[
              { key: 'Status', value: <StatusTag status={cmoc.status} /> },
              {
                key: 'Confidence',
                value: cmoc.confidence ? confidenceLabels[cmoc.confidence] : 'Not judged yet',
              },
              ...(cmoc.memo ? [{ key: 'Memo', value: <Written>{cmoc.memo}</Written> }] : []),
              ...cmocPartRows(cmoc),
              {
                key: 'Version',
                value: `${cmoc.lineageVersion} of ${cmoc.history.length}${cmoc.initial ? `; CMOC ${cmoc.number} was in the initial programme theory` : ''}`,
              },
              ...(cmoc.refineReason
                ? [{ key: 'Why it was refined', value: <Written>{cmoc.refineReason}</Written> }]
                : []),
            ]}
          />
          <EvidenceList cmoc={cmoc} canRemove={writer && cmoc.current} errors={errors} said={said} />
          {writer && cmoc.current && studyId && (
            <>
              <AddEvidence cmoc={cmoc} studyId={studyId} errors={errors} said={said} />
              <JudgeForm cmoc={cmoc} errors={errors} said={said} onReload={onReload} />
              <RefineForm cmoc={cmoc} studyId={studyId} errors={errors} said={said} onReload={onReload} />
            </>
          )}
          <History cmoc={cmoc} studyId={studyId} />
        </div>
      </div>
    </>
  );
}

export function RealistCmocPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const cmoc = useCmoc(id);
  if (cmoc.isPending) return <Loading />;
  if (cmoc.isError) return <ProblemPage error={cmoc.error} />;
  return (
    <CmocView
      key={cmoc.data.id}
      cmoc={cmoc.data}
      studyId={params.get('study')}
      onReload={() => cmoc.refetch()}
    />
  );
}
