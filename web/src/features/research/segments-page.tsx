import type { FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { participantRoleLabels, participantRoles } from '../../../../src/modules/research/contract.ts';
import { withQuery } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { Select } from '../../components/select.tsx';
import { Swatch } from './coding-parts.tsx';
import { codingDownloads, codingPaths, type Segments, useCodes, useSegments } from './coding-queries.ts';
import { type CodeInTree, codeTree, formatCount } from './coding-text.ts';
import { WithStudy } from './research-parts.tsx';
import type { Study } from './research-queries.ts';

/*
 * Retrieving coded text: the segments coded with all of some codes, any of others and none of a third set, in the
 * sources a case, site, participant role or work package leaves; with the coverage of the whole and of each
 * source, and each segment's text with a link to it in its source.
 */

const groups = [
  { name: 'all', legend: 'All of these codes', hint: 'Text coded with every one of them' },
  { name: 'any', legend: 'Any of these codes', hint: 'Text coded with at least one of them' },
  { name: 'not', legend: 'None of these codes', hint: 'Leaving out text coded with any of them' },
] as const;
const filters = ['caseId', 'siteId', 'role', 'workPackage'] as const;

function CodeChoices({
  name,
  legend,
  hint,
  tree,
  chosen,
}: {
  name: string;
  legend: string;
  hint: string;
  tree: CodeInTree[];
  chosen: string[];
}) {
  // Long codebooks make three lists long: each opens when it has choices ("any of" always).
  return (
    <details className="nhsuk-details" open={chosen.length > 0 || name === 'any'}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          {legend}
          {chosen.length > 0 ? ` (${chosen.length} chosen)` : ''}
        </span>
      </summary>
      <div className="nhsuk-details__text">
        <fieldset className="nhsuk-fieldset" aria-describedby={`${name}-hint`}>
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
          <div className="nhsuk-hint" id={`${name}-hint`}>
            {hint}
          </div>
          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
            {tree.map((code) => (
              <div className="nhsuk-checkboxes__item" key={code.id} style={{ marginLeft: code.depth * 20 }}>
                <input
                  className="nhsuk-checkboxes__input"
                  id={`${name}-${code.id}`}
                  name={name}
                  type="checkbox"
                  value={code.id}
                  defaultChecked={chosen.includes(code.id)}
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`${name}-${code.id}`}>
                  <Swatch colour={code.colour} />
                  {code.name}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
    </details>
  );
}

function Results({
  result,
  study,
  query,
}: {
  result: Segments;
  study: Study;
  query: Record<string, string>;
}) {
  return (
    <>
      <h2 className="nhsuk-heading-l">
        {formatCount(result.segments.total)} {result.segments.total === 1 ? 'segment' : 'segments'}
      </h2>
      <p>
        They cover {result.coverage.percent}% of the text searched ({formatCount(result.coverage.characters)}{' '}
        of {formatCount(result.coverage.ofCharacters)} characters in {result.sourcesSearched}{' '}
        {result.sourcesSearched === 1 ? 'source' : 'sources'}).{' '}
        {result.codingsOf === 'you' ? 'Your own codings only, as coding is blind.' : 'Everyone’s codings.'}
      </p>
      {result.segments.total > 0 && (
        <p>
          <a href={codingDownloads.quotes(study.id, query)} download>
            Download these segments as quotes (CSV)
          </a>
          <span className="nhsuk-u-display-block nhsuk-body-s app-research-meta">
            Only from participants who agreed to anonymised quotes and have not withdrawn, named by study ID.
          </span>
        </p>
      )}
      {result.sources.length > 0 && (
        <ResponsiveTable
          caption="Segments by source"
          items={result.sources}
          itemKey={(s) => s.sourceId}
          columns={[
            {
              header: 'Source',
              cell: (s) => <Link to={codingPaths.source(s.sourceId, study.id)}>{s.sourceName}</Link>,
            },
            { header: 'Participant', cell: (s) => s.participantCode ?? 'None' },
            {
              header: 'Role',
              cell: (s) =>
                s.role
                  ? (participantRoleLabels[s.role as keyof typeof participantRoleLabels] ?? s.role)
                  : 'None',
            },
            {
              header: 'Case',
              cell: (s) => (s.caseLabel ? `${s.caseLabel}${s.siteName ? `, ${s.siteName}` : ''}` : 'None'),
            },
            { header: 'Segments', cell: (s) => String(s.segments) },
            { header: 'Coverage', cell: (s) => `${s.coveragePercent}%` },
          ]}
        />
      )}
      {result.segments.listed.length > 0 && (
        <section aria-labelledby="segments-heading">
          <h2 className="nhsuk-heading-m" id="segments-heading">
            The text
            {result.segments.listed.length < result.segments.total
              ? ` (the first ${formatCount(result.segments.listed.length)})`
              : ''}
          </h2>
          {result.segments.listed.map((s) => (
            <figure className="app-coding-segment" key={`${s.sourceId}-${s.start}`}>
              <blockquote>{s.text}</blockquote>
              <figcaption className="nhsuk-body-s">
                <Link to={codingPaths.source(s.sourceId, study.id, { start: s.start, end: s.end })}>
                  {s.sourceName}, characters {s.start}–{s.end}
                </Link>
                {s.participantCode ? ` · ${s.participantCode}` : ''}
                {s.caseLabel ? ` · case ${s.caseLabel}` : ''}
              </figcaption>
            </figure>
          ))}
        </section>
      )}
    </>
  );
}

function SegmentsView({ study }: { study: Study }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const codes = useCodes(study.id);
  const list = (name: string) => (params.get(name) ?? '').split(',').filter(Boolean);
  const query: Record<string, string> = {};
  for (const key of [...groups.map((g) => g.name), ...filters]) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  const complete = !!query.all || !!query.any;
  const result = useSegments(study.id, query, complete);
  const title = 'Retrieve coded text';
  usePageTitle(`${title} – ${study.title}`);
  const tree = codeTree(codes.data ?? []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values: Record<string, string> = {};
    for (const g of groups) values[g.name] = form.getAll(g.name).map(String).join(',');
    for (const f of filters) values[f] = String(form.get(f) ?? '');
    navigate(withQuery(codingPaths.segments(study.id), values));
  };

  return (
    <>
      <BackLink to={codingPaths.sources(study.id)}>Back to sources</BackLink>
      <PageHeading caption={study.title}>{title}</PageHeading>
      {codes.isPending && <Loading what="codebook" />}
      {codes.isError && <InlineProblem error={codes.error} />}
      {codes.data && (
        <search aria-label="Codes and filters">
          <form onSubmit={submit} noValidate key={params.toString()}>
            <div className="app-coding-fieldsets">
              {groups.map((g) => (
                <CodeChoices key={g.name} {...g} tree={tree} chosen={list(g.name)} />
              ))}
            </div>
            <div className="app-actions">
              <Select
                id="caseId"
                label="Case"
                placeholder="All cases"
                options={study.cases.map((c) => ({ value: c.id, label: c.label }))}
                defaultValue={query.caseId ?? ''}
              />
              <Select
                id="siteId"
                label="Site"
                placeholder="All sites"
                options={study.sites.map((s) => ({ value: s.id, label: s.name }))}
                defaultValue={query.siteId ?? ''}
              />
              <Select
                id="role"
                label="Participant role"
                placeholder="All roles"
                options={participantRoles.map((r) => ({ value: r, label: participantRoleLabels[r] }))}
                defaultValue={query.role ?? ''}
              />
              <Select
                id="workPackage"
                label="Work package"
                placeholder="All work packages"
                options={study.workPackages.map((w) => ({ value: w.code, label: w.code }))}
                defaultValue={query.workPackage ?? ''}
              />
            </div>
            <button className="nhsuk-button nhsuk-button--secondary" type="submit">
              Find coded text
            </button>
          </form>
        </search>
      )}
      {!complete && <p>Choose at least one code under “All of these codes” or “Any of these codes”.</p>}
      {complete && result.isPending && <Loading what="segments" />}
      {complete && result.isError && <InlineProblem error={result.error} />}
      {complete && result.data && <Results result={result.data} study={study} query={query} />}
    </>
  );
}

export function SegmentsPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <SegmentsView study={study} />}</WithStudy>;
}
