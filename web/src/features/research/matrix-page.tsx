import { useParams, useSearchParams } from 'react-router';
import { participantRoleLabels, participantRoles } from '../../../../src/modules/research/contract.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { FilterForm } from '../../components/filter-form.tsx';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { codingDownloads, codingPaths, type Matrix, type MatrixCount, useMatrix } from './coding-queries.ts';
import { treeOrder } from './coding-text.ts';
import { WithStudy } from './research-parts.tsx';
import type { Study } from './research-queries.ts';

/*
 * The case × code matrix: cases down, codes across, counting codings, sources with the code, or the percentage of
 * the case's text coded; filtered by participant role and work package; downloadable as CSV and XLSX.
 */

const counts: { value: MatrixCount; label: string; hint: string }[] = [
  { value: 'codings', label: 'Codings', hint: 'How many times the code was applied' },
  { value: 'sources', label: 'Sources', hint: 'How many of the case’s sources have the code' },
  { value: 'coverage', label: 'Coverage', hint: 'The percentage of the case’s text coded with it' },
];

const captionOf = (count: MatrixCount) =>
  ({
    codings: 'Codings of each code in each case',
    sources: 'Sources with each code in each case',
    coverage: 'Percentage of each case’s text coded with each code',
  })[count];

/**
 * The matrix with codes down and cases across: a study has a handful of cases and many codes, so the table fits a
 * screen this way round (the downloads keep cases down, as the API gives them).
 */
function Table({ matrix }: { matrix: Matrix }) {
  const unit = matrix.count === 'coverage' ? '%' : '';
  const codes = treeOrder(matrix.codes.map((c, index) => ({ ...c, index })));
  return (
    // A table wider than a phone scrolls in its own box, which keyboard users reach with Tab to scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable (WCAG 2.1.1)
    <section className="app-coding-scroll" aria-labelledby="matrix-caption" tabIndex={0}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m" id="matrix-caption">
          {captionOf(matrix.count)}
        </caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th className="nhsuk-table__header" scope="col">
              Code
            </th>
            {matrix.rows.map((r) => (
              <th className="nhsuk-table__header app-coding-numeric" scope="col" key={r.caseId ?? 'none'}>
                {r.label}
                {r.siteName && <span className="nhsuk-u-display-block app-research-meta">{r.siteName}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="row">
              Sources
            </th>
            {matrix.rows.map((r) => (
              <td className="nhsuk-table__cell app-coding-numeric" key={r.caseId ?? 'none'}>
                {r.sources}
              </td>
            ))}
          </tr>
          {codes.map((code) => (
            <tr className="nhsuk-table__row" key={code.id}>
              <th
                className="nhsuk-table__header app-coding-code-cell"
                scope="row"
                style={{ paddingLeft: code.depth * 16 }}
              >
                {code.name}
              </th>
              {matrix.rows.map((r) => (
                <td className="nhsuk-table__cell app-coding-numeric" key={r.caseId ?? 'none'}>
                  {r.cells[code.index]}
                  {unit}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MatrixView({ study }: { study: Study }) {
  const [params] = useSearchParams();
  const count =
    (['codings', 'sources', 'coverage'] as const).find((c) => c === params.get('count')) ?? 'codings';
  const query: Record<string, string> = { count };
  for (const key of ['role', 'workPackage']) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  const matrix = useMatrix(study.id, query);
  const title = 'Case × code matrix';
  usePageTitle(`${title} – ${study.title}`);

  return (
    <>
      <BackLink to={codingPaths.sources(study.id)}>Back to sources</BackLink>
      <PageHeading caption={study.title}>{title}</PageHeading>
      <FilterForm action={codingPaths.matrix(study.id)} label="What the matrix counts">
        <Radios id="count" legend="Count" items={counts} defaultValue={count} key={count} />
        <div className="app-actions">
          <Select
            id="role"
            label="Participant role"
            placeholder="All roles"
            options={participantRoles.map((r) => ({ value: r, label: participantRoleLabels[r] }))}
            defaultValue={query.role ?? ''}
            key={`r${query.role}`}
          />
          <Select
            id="workPackage"
            label="Work package"
            placeholder="All work packages"
            options={study.workPackages.map((w) => ({ value: w.code, label: w.code }))}
            defaultValue={query.workPackage ?? ''}
            key={`w${query.workPackage}`}
          />
        </div>
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Show
        </button>
      </FilterForm>
      {matrix.isPending && <Loading what="matrix" />}
      {matrix.isError && <InlineProblem error={matrix.error} />}
      {matrix.data && (
        <>
          <p>
            {study.blindCoding && study.myRole !== 'lead'
              ? 'Your own codings only, as coding is blind.'
              : 'Everyone’s codings.'}
          </p>
          <ul className="nhsuk-list app-research-links">
            <li>
              <a href={codingDownloads.matrix(study.id, 'csv', query)} download>
                Download as CSV
              </a>
            </li>
            <li>
              <a href={codingDownloads.matrix(study.id, 'xlsx', query)} download>
                Download as Excel (XLSX)
              </a>
            </li>
          </ul>
          {matrix.data.codes.length === 0 ? <p>The codebook is empty.</p> : <Table matrix={matrix.data} />}
        </>
      )}
    </>
  );
}

export function MatrixPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <MatrixView study={study} />}</WithStudy>;
}
