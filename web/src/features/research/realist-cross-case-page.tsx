import { Link, useParams, useSearchParams } from 'react-router';
import {
  type ParticipantRole,
  participantRoleLabels,
  participantRoles,
  type WorkPackageCode,
  workPackageCodes,
} from '../../../../src/modules/research/contract.ts';
import { usePageTitle } from '../../app/page.ts';
import { FilterForm } from '../../components/filter-form.tsx';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, InsetText, Loading, PageHeading } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { CaseContext } from './case-context.tsx';
import { AnalysisLinks, cmocStatusLabels, stanceLabels } from './realist-parts.tsx';
import { type CrossCase, type CrossCaseRow, realistPaths, useCrossCase } from './realist-queries.ts';
import { dateSpan, WithStudy } from './research-parts.tsx';
import type { Study } from './research-queries.ts';

/*
 * Cases × the programme theory's configurations: in each cell the evidence from that case's sources that
 * supports, refutes or refines the configuration (over all its versions), with a few of the pieces to read;
 * filtered by the informants' role and the work package. Below, each case's implementation context at its start
 * and end and its link worker's pathway figures for the case period, small numbers suppressed.
 */

const isRole = (v: string | null): v is ParticipantRole => participantRoles.includes(v as ParticipantRole);
const isWorkPackage = (v: string | null): v is WorkPackageCode =>
  workPackageCodes.includes(v as WorkPackageCode);

type Cell = CrossCaseRow['cells'][number];

function CellContent({ cell, caseLabel, cmocLabel }: { cell: Cell; caseLabel: string; cmocLabel: string }) {
  const total = cell.supports + cell.refutes + cell.refines;
  if (total === 0) return <span className="app-research-meta">No evidence</span>;
  return (
    <>
      <ul className="nhsuk-list app-realist-counts">
        <li>Supports {cell.supports}</li>
        <li>Refutes {cell.refutes}</li>
        <li>Refines {cell.refines}</li>
      </ul>
      {cell.summaries.length > 0 && (
        <details className="nhsuk-details app-realist-cell-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              {total > cell.summaries.length ? `The first ${cell.summaries.length}` : 'What it says'}
              <span className="nhsuk-u-visually-hidden">
                {' '}
                ({caseLabel}, {cmocLabel})
              </span>
            </span>
          </summary>
          <div className="nhsuk-details__text">
            <ul className="nhsuk-list">
              {cell.summaries.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: summaries have no id; their order is fixed
                <li key={i}>
                  <strong>{stanceLabels[s.stance]}</strong>
                  {s.participantCode ? `, ${s.participantCode}` : ''}
                  {s.role
                    ? ` (${participantRoleLabels[s.role]}${s.workPackage ? `, ${s.workPackage}` : ''})`
                    : ''}
                  : {s.text}
                </li>
              ))}
            </ul>
          </div>
        </details>
      )}
    </>
  );
}

/** What the matrix on screen was filtered by (the API's echo: a new filter's matrix may still be loading). */
function filtersOf(matrix: CrossCase): string {
  const { role, workPackage } = matrix.filters;
  return [
    role ? `${participantRoleLabels[role]} informants` : null,
    workPackage ? `${workPackage} sources` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

function Matrix({ matrix, studyId }: { matrix: CrossCase; studyId: string }) {
  const filtersSaid = filtersOf(matrix);
  if (matrix.cmocs.length === 0) {
    return (
      <p>
        The programme theory has no configurations yet.{' '}
        <Link to={realistPaths.theory(studyId)}>Propose the first</Link>.
      </p>
    );
  }
  if (matrix.rows.length === 0) return <p>The study has no cases yet.</p>;
  return (
    <table className="nhsuk-table nhsuk-table--responsive app-realist-matrix">
      <caption className="nhsuk-table__caption nhsuk-table__caption--m">
        Evidence by case and configuration{filtersSaid ? `: ${filtersSaid}` : ''}
      </caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th className="nhsuk-table__header" scope="col">
            Case
          </th>
          {matrix.cmocs.map((c) => (
            <th className="nhsuk-table__header" scope="col" key={c.id}>
              <Link to={realistPaths.cmoc(c.id, studyId)}>{c.label}</Link>
              <span className="app-realist-matrix__title">
                {c.title} ({cmocStatusLabels[c.status].toLowerCase()})
              </span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {matrix.rows.map((row) => (
          <tr className="nhsuk-table__row" key={row.caseId ?? 'none'}>
            <th className="nhsuk-table__header" scope="row">
              {row.label}
              {row.context?.linkWorkerName && (
                <span className="app-realist-matrix__title">{row.context.linkWorkerName}</span>
              )}
            </th>
            {row.cells.map((cell, i) => {
              const cmoc = matrix.cmocs[i];
              const label = cmoc?.label ?? '';
              return (
                <td className="nhsuk-table__cell" key={cell.cmocId}>
                  <span className="nhsuk-table__heading" aria-hidden="true">
                    {label}
                  </span>
                  <div>
                    <CellContent cell={cell} caseLabel={row.label} cmocLabel={label} />
                  </div>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Figure = { value: number | null; suppressed: boolean };

function figureText(f: Figure): string {
  return f.suppressed || f.value === null ? 'suppressed (fewer than 5)' : f.value.toLocaleString('en-GB');
}

function PathwayFigures({ row }: { row: CrossCaseRow }) {
  const p = row.pathway;
  if (!p) {
    return (
      <p>
        No pathway figures: {row.label} has no link worker in Linkwork, so there are no referrals or contacts
        to count.
      </p>
    );
  }
  const who = row.context?.linkWorkerName ?? 'the link worker';
  const figures: [string, Figure][] = [
    [`Referrals allocated to ${who} that arrived in the period`, p.referrals],
    ['Contacts (not counting failed attempts)', p.contacts],
    ['First contacts', p.firstContacts],
    ['Discharges', p.discharges],
    ['Median days from referral to first contact', p.medianDaysToFirstContact],
  ];
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">
        {row.label}: pathway figures for the case period
      </caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th className="nhsuk-table__header" scope="col">
            Figure
          </th>
          <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
            Value
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {figures.map(([label, f]) => (
          <tr className="nhsuk-table__row" key={label}>
            <th className="nhsuk-table__header" scope="row">
              {label}
            </th>
            <td
              className={`nhsuk-table__cell nhsuk-table__cell--numeric${f.suppressed ? ' app-research-meta' : ''}`}
            >
              {figureText(f)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const oneDecimal = (x: number) => (Math.abs(x) < 0.05 ? '0.0' : x.toFixed(1));

/** The outcome change of the case's link worker's people over the case period, as the what-works explorer shows it. */
function OutcomeFigures({ row }: { row: CrossCaseRow }) {
  const outcomes = row.outcomes;
  if (!outcomes || outcomes.length === 0) {
    return row.pathway ? (
      <p>
        No outcome measures: nobody on this link worker’s caseload had a baseline measure in the case period.
      </p>
    ) : null;
  }
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">
        {row.label}: outcome change of people whose baseline fell in the case period
      </caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th className="nhsuk-table__header" scope="col">
            Measure
          </th>
          <th className="nhsuk-table__header" scope="col">
            Change
          </th>
          <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
            n
          </th>
          <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
            Mean change (95% CI)
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {outcomes.map((o) => (
          <tr className="nhsuk-table__row" key={`${o.measure}-${o.comparison}`}>
            <th className="nhsuk-table__header" scope="row">
              {o.measure}
              <span className="nhsuk-u-display-block app-research-meta">
                {o.higherIsBetter ? 'Higher is better' : 'Lower is better'}
              </span>
            </th>
            <td className="nhsuk-table__cell">{o.comparisonLabel}</td>
            <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
              {o.suppressed ? (o.n === 0 ? '0' : 'fewer than 5') : o.n}
            </td>
            <td
              className={`nhsuk-table__cell nhsuk-table__cell--numeric${o.suppressed ? ' app-research-meta' : ''}`}
            >
              {o.suppressed || o.meanChange === null
                ? o.n === 0
                  ? 'No pairs yet'
                  : 'suppressed (fewer than 5)'
                : `${oneDecimal(o.meanChange)}${o.ci95 ? ` (${oneDecimal(o.ci95.lower)} to ${oneDecimal(o.ci95.upper)})` : ''}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CaseSide({ row, study }: { row: CrossCaseRow; study: Study }) {
  const studyCase = study.cases.find((c) => c.id === row.caseId);
  if (!studyCase || !row.context) return null;
  const headingId = `case-${studyCase.id}`;
  return (
    <section className="app-research-case" aria-labelledby={headingId}>
      <h3 className="nhsuk-heading-m" id={headingId}>
        {row.label}
        {row.context.linkWorkerName ? `: ${row.context.linkWorkerName}` : ''}
      </h3>
      <p>
        Studied {dateSpan(row.context.startsOn, row.context.endsOn)}
        {row.context.pcnName ? `, at ${row.context.pcnName}` : ''}.
      </p>
      <CaseContext studyCase={studyCase} />
      <PathwayFigures row={row} />
      <OutcomeFigures row={row} />
    </section>
  );
}

function CrossCaseView({ study }: { study: Study }) {
  const [params] = useSearchParams();
  const roleParam = params.get('role');
  const wpParam = params.get('workPackage');
  const role = isRole(roleParam) ? roleParam : null;
  const workPackage = isWorkPackage(wpParam) ? wpParam : null;
  const matrix = useCrossCase(study.id, { role, workPackage });
  const title = 'Cross-case matrix';
  usePageTitle(`${title} – ${study.title}`);
  const cases = (matrix.data?.rows ?? []).filter((r) => r.caseId !== null);

  return (
    <>
      <BackLink to={realistPaths.theory(study.id)}>Back to the programme theory</BackLink>
      <PageHeading caption={study.title}>{title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <AnalysisLinks studyId={study.id} current="crossCase" />
          <p>
            Each cell counts the evidence from the case’s sources that supports, refutes or refines the
            configuration, over all its versions. Open a cell to read some of it.
          </p>
        </div>
      </div>
      <FilterForm action={realistPaths.crossCase(study.id)} label="Filter the cross-case matrix">
        <div className="app-actions">
          <Select
            id="role"
            label="Informants"
            placeholder="Every role"
            options={participantRoles.map((r) => ({ value: r, label: participantRoleLabels[r] }))}
            defaultValue={role ?? ''}
            key={`role-${role ?? ''}`}
          />
          <Select
            id="workPackage"
            label="Work package"
            placeholder="All work packages"
            options={study.workPackages.map((w) => ({ value: w.code, label: `${w.code}: ${w.title}` }))}
            defaultValue={workPackage ?? ''}
            key={`wp-${workPackage ?? ''}`}
          />
          <button className="nhsuk-button nhsuk-button--secondary app-research-filter-button" type="submit">
            Show
          </button>
        </div>
      </FilterForm>
      {matrix.isPending && <Loading what="the matrix" />}
      {matrix.isError && <InlineProblem error={matrix.error} />}
      {matrix.data && (
        <>
          <Matrix matrix={matrix.data} studyId={study.id} />
          {cases.length > 0 && (
            <div className="nhsuk-grid-row">
              <div className="nhsuk-grid-column-two-thirds">
                <h2 className="nhsuk-heading-l">The cases side by side</h2>
                <p>
                  How each case’s link worker role was set up, and what the pathway records show for the case
                  period. These are patterns to test against the configurations, not proof of what caused
                  what.
                </p>
                <InsetText>
                  <p>
                    Disclosure control: pathway counts under {matrix.data.minimumCell} are not shown, and nor
                    is the median wait when fewer than {matrix.data.minimumCell} people had a first contact,
                    so that no one can be picked out. The figures count records, never name anyone.
                  </p>
                </InsetText>
                {cases.map((row) => (
                  <CaseSide key={row.caseId} row={row} study={study} />
                ))}
              </div>
            </div>
          )}
        </>
      )}
    </>
  );
}

export function RealistCrossCasePage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <CrossCaseView study={study} />}</WithStudy>;
}
