import { type FormEvent, type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiProblem, withQuery } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, InsetText, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import {
  type Agreement,
  codingPaths,
  useAgreement,
  useResolveDisagreement,
  useSources,
} from './coding-queries.ts';
import { formatCount, formatPercent, formatStatistic } from './coding-text.ts';
import { WithStudy } from './research-parts.tsx';
import type { Study } from './research-queries.ts';

/*
 * Agreement between two coders (leads only): per code, character-level Cohen's κ as NVivo computes it (pooled over
 * the sources, and averaged weighted by source length), percentage agreement, and κ and Krippendorff's α on speaker
 * turns; then every disagreement side by side, each with a link to the source at that place and the lead's two ways
 * to settle it: both coders code the stretch, or neither does (the comparison is read again after each).
 */

/** A statistic, or "Not defined" with the reason the API gives. */
function Statistic({
  value,
  why,
  percent,
}: {
  value: number | null;
  why?: string | null;
  percent?: boolean;
}) {
  const shown = percent ? formatPercent(value) : formatStatistic(value);
  if (shown !== null) return <span className="app-coding-numeric">{shown}</span>;
  return (
    <>
      Not defined
      {why && <span className="app-coding-why">{why}</span>}
    </>
  );
}

function Cell({ children, header }: { children: ReactNode; header: string }) {
  return (
    <td className="nhsuk-table__cell">
      <span className="nhsuk-table__heading" aria-hidden="true">
        {header}
      </span>
      <div>{children}</div>
    </td>
  );
}

function RowHeader({ children }: { children: ReactNode }) {
  return (
    <th className="nhsuk-table__header" scope="row">
      <span className="nhsuk-table__heading" aria-hidden="true">
        Code
      </span>
      <div>{children}</div>
    </th>
  );
}

const columns = [
  'κ, characters (pooled)',
  'κ, characters (source-weighted)',
  'Agreement, characters',
  'Characters coded (A / B / both / compared)',
  'κ, turns',
  'α, turns',
];

function PerCode({ report }: { report: Agreement }) {
  const turnsOf = new Map((report.turns?.codes ?? []).map((c) => [c.codeId, c]));
  const noTurns = report.turns ? 'No speaker turns to compare' : 'These sources have no speaker turns';
  const overall = report.characters.overall;
  return (
    <table className="nhsuk-table nhsuk-table--responsive">
      <caption className="nhsuk-table__caption nhsuk-table__caption--m">
        Agreement per code between {report.coderA.name} (A) and {report.coderB.name} (B)
      </caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th className="nhsuk-table__header" scope="col">
            Code
          </th>
          {columns.map((c) => (
            <th className="nhsuk-table__header" scope="col" key={c}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {report.characters.codes.map((code) => {
          const turns = turnsOf.get(code.codeId);
          const p = code.pooled;
          return (
            <tr className="nhsuk-table__row" key={code.codeId}>
              <RowHeader>{code.codeName ?? 'A code no longer in the codebook'}</RowHeader>
              <Cell header={columns[0]!}>
                <Statistic value={p.kappa} why={p.kappaNotDefined} />
              </Cell>
              <Cell header={columns[1]!}>
                <Statistic
                  value={code.sourceWeighted.kappa}
                  why={
                    code.sourceWeighted.cells === 0
                      ? 'No source to average'
                      : 'κ is undefined in every source'
                  }
                />
              </Cell>
              <Cell header={columns[2]!}>
                <Statistic value={p.percentages?.agreement ?? null} why="Nothing compared" percent />
              </Cell>
              <Cell header={columns[3]!}>
                <span className="app-coding-numeric">
                  {formatCount(p.codedByA)} / {formatCount(p.codedByB)} / {formatCount(p.codedByBoth)} /{' '}
                  {formatCount(p.n)}
                </span>
              </Cell>
              <Cell header={columns[4]!}>
                <Statistic
                  value={turns?.cohensKappa?.kappa ?? null}
                  why={turns?.cohensKappa?.kappaNotDefined ?? noTurns}
                />
              </Cell>
              <Cell header={columns[5]!}>
                <Statistic
                  value={turns?.krippendorffAlpha.alpha ?? null}
                  why={turns?.krippendorffAlpha.alphaNotDefined ?? noTurns}
                />
              </Cell>
            </tr>
          );
        })}
        <tr className="nhsuk-table__row">
          <RowHeader>All codes</RowHeader>
          <Cell header={columns[0]!}>
            <Statistic value={overall.pooled.kappa} why={overall.pooled.kappaNotDefined} />
          </Cell>
          <Cell header={columns[1]!}>
            <Statistic value={overall.sourceWeighted.kappa} why="κ is undefined in every source" />
          </Cell>
          <Cell header={columns[2]!}>
            <Statistic value={overall.pooled.percentages?.agreement ?? null} why="Nothing compared" percent />
          </Cell>
          <Cell header={columns[3]!}>
            <span className="app-coding-numeric">
              {formatCount(overall.pooled.codedByA)} / {formatCount(overall.pooled.codedByB)} /{' '}
              {formatCount(overall.pooled.codedByBoth)} / {formatCount(overall.pooled.n)}
            </span>
          </Cell>
          <Cell header={columns[4]!}>Per code only</Cell>
          <Cell header={columns[5]!}>Per code only</Cell>
        </tr>
      </tbody>
    </table>
  );
}

type Listed = Agreement['disagreements']['listed'][number];

function Disagreements({ report, study }: { report: Agreement; study: Study }) {
  const { total, listed } = report.disagreements;
  const resolve = useResolveDisagreement(study.id);
  const [settled, setSettled] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const coders = [report.coderA, report.coderB];
  const nameOf = (id: string) => coders.find((c) => c.id === id)?.name ?? 'The other coder';
  const keyOf = (d: Listed) => `${d.sourceId}-${d.codeId}-${d.start}-${d.codedBy}`;
  const settle = (d: Listed, decision: 'code_both' | 'code_neither') => {
    setBusy(keyOf(d));
    setSettled(null);
    resolve.mutate(
      {
        sourceId: d.sourceId,
        codeId: d.codeId,
        start: d.start,
        end: d.end,
        codedBy: d.codedBy,
        notCodedBy: d.notCodedBy,
        decision,
      },
      {
        onSuccess: () =>
          setSettled(
            decision === 'code_both'
              ? `Settled: ${nameOf(d.notCodedBy)} now codes characters ${d.start}–${d.end} of ${d.sourceName ?? 'the source'} as ${d.codeName ?? 'the code'} too.`
              : `Settled: ${nameOf(d.codedBy)} no longer codes characters ${d.start}–${d.end} of ${d.sourceName ?? 'the source'} as ${d.codeName ?? 'the code'}.`,
          ),
        onSettled: () => setBusy(null),
      },
    );
  };
  const status = (
    <div role="status" className="app-research-status">
      {settled && <p className="nhsuk-body">{settled}</p>}
    </div>
  );
  if (total === 0) {
    return (
      <>
        <h2 className="nhsuk-heading-m">Disagreements</h2>
        {status}
        <p>None: wherever one coded a code, so did the other.</p>
      </>
    );
  }
  return (
    <>
      {status}
      {resolve.isError && <InlineProblem error={resolve.error} />}
      <table className="nhsuk-table nhsuk-table--responsive">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          Disagreements: {formatCount(total)}
          {listed.length < total ? ` (the first ${formatCount(listed.length)} listed)` : ''}
        </caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th className="nhsuk-table__header" scope="col">
              Source
            </th>
            <th className="nhsuk-table__header" scope="col">
              Code
            </th>
            {coders.map((c) => (
              <th className="nhsuk-table__header" scope="col" key={c.id}>
                Coded by {c.name}
              </th>
            ))}
            <th className="nhsuk-table__header" scope="col">
              Settle
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {listed.map((d) => {
            const where = `${d.codeName ?? 'the code'} at ${d.sourceName ?? 'the source'} ${d.start}–${d.end}`;
            return (
              <tr className="nhsuk-table__row" key={keyOf(d)}>
                <Cell header="Source">
                  <Link to={codingPaths.source(d.sourceId, study.id, { start: d.start, end: d.end })}>
                    {d.sourceName ?? 'Source'}
                    <span className="nhsuk-u-visually-hidden"> at characters</span> {d.start}–{d.end}
                  </Link>
                </Cell>
                <Cell header="Code">{d.codeName ?? 'A code no longer in the codebook'}</Cell>
                {coders.map((c) => (
                  <Cell header={`Coded by ${c.name}`} key={c.id}>
                    {d.codedBy === c.id ? (
                      <blockquote className="app-coding-quote nhsuk-body-s">{d.text}</blockquote>
                    ) : (
                      <span className="app-research-meta">Not coded</span>
                    )}
                  </Cell>
                ))}
                <Cell header="Settle">
                  <div className="app-research-settle">
                    <button
                      type="button"
                      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                      disabled={busy !== null}
                      onClick={() => settle(d, 'code_both')}
                    >
                      Both code it<span className="nhsuk-u-visually-hidden">: {where}</span>
                    </button>
                    <button
                      type="button"
                      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                      disabled={busy !== null}
                      onClick={() => settle(d, 'code_neither')}
                    >
                      Neither codes it<span className="nhsuk-u-visually-hidden">: {where}</span>
                    </button>
                  </div>
                </Cell>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function AgreementView({ study }: { study: Study }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const sources = useSources(study.id);
  const query = Object.fromEntries(
    ['coderA', 'coderB', 'excludeUncoded', 'minimumOverlapPercent', 'sourceIds']
      .map((k) => [k, params.get(k) ?? ''] as const)
      .filter(([, v]) => v),
  );
  const complete = !!query.coderA && !!query.coderB;
  const report = useAgreement(study.id, query, complete);
  const title = 'Agreement between coders';
  usePageTitle(`${title} – ${study.title}`);
  const people = study.members.map((m) => ({ value: m.userId, label: m.name }));
  const chosenSources = (query.sourceIds ?? '').split(',').filter(Boolean);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim();
    navigate(
      withQuery(codingPaths.agreement(study.id), {
        coderA: value('coderA'),
        coderB: value('coderB'),
        minimumOverlapPercent: value('minimumOverlapPercent'),
        excludeUncoded: value('excludeUncoded'),
        sourceIds: form.getAll('sourceIds').map(String).join(','),
      }),
    );
  };

  return (
    <>
      <BackLink to={codingPaths.sources(study.id)}>Back to sources</BackLink>
      <PageHeading caption={study.title}>{title}</PageHeading>
      <search aria-label="Coders to compare">
        <form onSubmit={submit} noValidate key={params.toString()}>
          <div className="app-actions">
            <Select
              id="coderA"
              label="Coder A"
              placeholder="Choose a coder"
              options={people}
              defaultValue={query.coderA ?? ''}
              key={`a${query.coderA}`}
            />
            <Select
              id="coderB"
              label="Coder B"
              placeholder="Choose a coder"
              options={people}
              defaultValue={query.coderB ?? ''}
              key={`b${query.coderB}`}
            />
            <TextInput
              id="minimumOverlapPercent"
              label="Minimum overlap for a turn (%)"
              hint="Leave blank for any overlap"
              inputMode="numeric"
              width={3}
              defaultValue={query.minimumOverlapPercent ?? ''}
              key={`m${query.minimumOverlapPercent}`}
            />
          </div>
          <div className="nhsuk-form-group">
            <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
              <div className="nhsuk-checkboxes__item">
                <input
                  className="nhsuk-checkboxes__input"
                  id="excludeUncoded"
                  name="excludeUncoded"
                  type="checkbox"
                  value="true"
                  defaultChecked={query.excludeUncoded === 'true'}
                  key={`x${query.excludeUncoded}`}
                  aria-describedby="excludeUncoded-hint"
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="excludeUncoded">
                  Leave out text neither coder coded
                </label>
                <div className="nhsuk-hint nhsuk-checkboxes__hint" id="excludeUncoded-hint">
                  Greetings and small talk nobody coded otherwise count as agreement on every code
                </div>
              </div>
            </div>
          </div>
          {sources.data?.some((s) => s.status === 'ready') && (
            <details className="nhsuk-details" open={chosenSources.length > 0}>
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">Compare some sources only</span>
              </summary>
              <div className="nhsuk-details__text">
                <fieldset className="nhsuk-fieldset">
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Sources</legend>
                  <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                    {sources.data
                      .filter((s) => s.status === 'ready')
                      .map((s) => (
                        <div className="nhsuk-checkboxes__item" key={s.id}>
                          <input
                            className="nhsuk-checkboxes__input"
                            id={`source-${s.id}`}
                            name="sourceIds"
                            type="checkbox"
                            value={s.id}
                            defaultChecked={chosenSources.includes(s.id)}
                          />
                          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`source-${s.id}`}>
                            {s.name}
                          </label>
                        </div>
                      ))}
                  </div>
                </fieldset>
              </div>
            </details>
          )}
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Compare
          </button>
        </form>
      </search>
      {!complete && (
        <p>
          Choose two coders to compare their coding of the sources either of them coded, or of those you
          choose.
        </p>
      )}
      {complete && report.isPending && <Loading what="agreement" />}
      {complete && report.isError && <InlineProblem error={report.error} />}
      {complete && report.data && (
        <>
          <InsetText>
            <p>
              {report.data.sources.length === 0
                ? 'Neither coder has coded a de-identified source yet.'
                : `Compared over ${report.data.sources.length} ${report.data.sources.length === 1 ? 'source' : 'sources'} (${formatCount(report.data.sources.reduce((n, s) => n + s.length, 0))} characters, ${formatCount(report.data.turns?.units ?? 0)} speaker turns)${report.data.characters.excludeUncoded ? ', leaving out text neither coded' : ''}.`}{' '}
              κ on characters is computed as NVivo’s coding comparison does, so it can be set beside NVivo’s;
              on turns, a turn counts as coded when{' '}
              {report.data.turns?.minimumOverlapPercent
                ? `at least ${report.data.turns.minimumOverlapPercent}% of it`
                : 'any of it'}{' '}
              is.
            </p>
          </InsetText>
          {report.data.characters.codes.length > 0 && <PerCode report={report.data} />}
          <Disagreements report={report.data} study={study} />
        </>
      )}
    </>
  );
}

export function AgreementPage() {
  const { id = '' } = useParams();
  return (
    <WithStudy id={id}>
      {(study) =>
        study.myRole === 'lead' ? (
          <AgreementView study={study} />
        ) : (
          <ProblemPage
            error={
              new ApiProblem({
                status: 403,
                title: 'Forbidden',
                detail:
                  'Only the study’s leads compare coders: while coding is blind, coders see their own work only.',
              })
            }
          />
        )
      }
    </WithStudy>
  );
}
