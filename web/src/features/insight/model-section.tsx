import { useSearchParams } from 'react-router';
import { Checkboxes } from '../../components/choices.tsx';
import { FilterForm } from '../../components/filter-form.tsx';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { InsetText, Loading } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { Cell, ColumnHeaders, RowHeader } from './explorer-parts.tsx';
import { explorerPath, questionWithoutModel } from './explorer-values.ts';
import { figure, inSentence, interval, pValue, signed } from './figures.ts';
import type { ExplorerModel, ExplorerTable, ModelAnalysis, ModelCoefficient } from './queries.ts';

/*
 * The adjusted model: change on the chosen factors, adjusting for baseline score, age, sex and IMD quintile,
 * complete cases and all available side by side, each with its coefficients (95% CI and p), reference groups,
 * reading, n and R²; or why it could not be fitted. Its reference groups and interaction are chosen here.
 */

const NOT_RECORDED = 'not_recorded';

/** How the model names the covariates' own reference groups. */
const covariateReferences: Record<string, { label: string; level: (code: string) => string }> = {
  sex: { label: 'Sex', level: (code) => (code === 'female' ? 'Female' : code) },
  imd: { label: 'IMD quintile', level: (code) => (code === '1' ? '1 (most deprived)' : code) },
};

/** Who each analysis takes in (the heading names it). */
const analysisWho: Record<string, string> = {
  complete_case: 'People with their IMD quintile and every chosen factor recorded.',
  all_available:
    'Everyone with measures at both timepoints: where a factor or IMD quintile is not recorded, “not recorded” is a group of its own.',
};

function termName(c: ModelCoefficient): string {
  if (c.interaction) return `${c.termLabel}: ${c.interaction.aLabel} and ${c.interaction.bLabel}`;
  return c.levelLabel ? `${c.termLabel}: ${c.levelLabel}` : c.termLabel;
}

const columns = { term: 'Term', estimate: 'Estimate (points of change)', ci: '95% CI', p: 'p' };

function CoefficientRow({ c }: { c: ModelCoefficient }) {
  const hidden = c.suppressed
    ? 'Not shown: fewer than 5 people'
    : c.aliased
      ? 'Not estimable: the same as other terms together'
      : null;
  return (
    <tr className="nhsuk-table__row">
      <RowHeader column={columns.term}>{termName(c)}</RowHeader>
      <Cell column={columns.estimate}>
        {hidden ? <span className="app-insight-hidden">{hidden}</span> : signed(c.estimate)}
      </Cell>
      <Cell column={columns.ci}>
        {hidden ? '–' : <span className="app-table-nowrap">{interval(c.ci95)}</span>}
      </Cell>
      <Cell column={columns.p}>
        <span className="app-table-nowrap">{hidden ? '–' : pValue(c.pValue)}</span>
      </Cell>
    </tr>
  );
}

function References({ analysis, model }: { analysis: ModelAnalysis; model: ExplorerModel }) {
  const named = analysis.factors.map((f) => {
    const factor = f.term === 'a' ? model.factors[0] : f.term === 'b' ? model.factors[1] : null;
    if (factor) return `${factor.label}: ${f.referenceLabel}`;
    const covariate = covariateReferences[f.term];
    return covariate
      ? `${covariate.label}: ${covariate.level(f.reference)}`
      : `${f.term}: ${f.referenceLabel}`;
  });
  return (
    <p className="nhsuk-body-s">
      <strong>Compared with (the reference groups):</strong> {named.join('; ')}.
    </p>
  );
}

function Analysis({ analysis, model }: { analysis: ModelAnalysis; model: ExplorerModel }) {
  const heading = analysis.analysis === 'complete_case' ? 'Complete cases' : 'All available';
  const id = `model-${analysis.analysis}`;
  return (
    <section className="app-insight-model__analysis" aria-labelledby={id}>
      <h3 className="nhsuk-heading-s" id={id}>
        {heading}
      </h3>
      <p className="nhsuk-body-s">{analysisWho[analysis.analysis] ?? analysis.label}</p>
      {!analysis.fitted ? (
        <InsetText>
          <p>
            <strong>The model cannot be fitted:</strong> {analysis.reason}
          </p>
        </InsetText>
      ) : (
        <>
          <p className="nhsuk-body-s">
            n = {analysis.n ?? 'fewer than 5'}
            {analysis.dropped > 0 && ` (${analysis.dropped} left out for a missing value)`}; R² ={' '}
            {figure(analysis.rSquared, 3)} (adjusted {figure(analysis.adjustedRSquared, 3)}); residual degrees
            of freedom {analysis.residualDf}.
          </p>
          <References analysis={analysis} model={model} />
          {analysis.reading.length > 0 && (
            <ul className="nhsuk-list nhsuk-list--bullet nhsuk-body-s">
              {analysis.reading.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          <table className="nhsuk-table nhsuk-table--responsive app-insight-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              Coefficients: {heading.toLowerCase()}
            </caption>
            <ColumnHeaders columns={Object.values(columns)} />
            <tbody className="nhsuk-table__body">
              {analysis.coefficients.map((c) => (
                <CoefficientRow key={`${c.term}:${c.level}`} c={c} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** The model's own choices: reference groups from the levels the table shows, and the interaction. */
function ModelForm({ table, model }: { table: ExplorerTable; model: ExplorerModel | undefined }) {
  const [params] = useSearchParams();
  const [fa, fb] = table.factors;
  const shown = (cells: ExplorerTable['aMargins'], key: 'a' | 'b') =>
    cells
      .filter((c) => !c.change.suppressed && c[key] !== NOT_RECORDED)
      .map((c) => ({ value: c[key]!, label: key === 'a' ? c.aLabel : (c.bLabel ?? '') }));
  const current = (term: string) => model?.models[0]?.factors.find((f) => f.term === term)?.reference ?? '';
  return (
    <FilterForm action={explorerPath} label="The adjusted model’s reference groups">
      {questionWithoutModel(params).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <Select
            id="reference"
            label={`Compare each group of ${inSentence(fa!.label)} with`}
            placeholder="The largest group"
            options={shown(table.aMargins, 'a')}
            defaultValue={params.get('reference') ?? current('a')}
          />
        </div>
        {fb && (
          <div className="nhsuk-grid-column-one-half">
            <Select
              id="byReference"
              label={`Compare each group of ${inSentence(fb.label)} with`}
              placeholder="The largest group"
              options={shown(table.bMargins, 'b')}
              defaultValue={params.get('byReference') ?? current('b')}
            />
          </div>
        )}
      </div>
      {fb && (
        <Checkboxes
          id="interaction"
          legend="Interaction"
          items={[
            {
              value: 'true',
              label: 'Include the interaction',
              hint: `Whether the difference between groups of ${inSentence(fa!.label)} depends on ${inSentence(fb.label)}`,
            },
          ]}
          defaultValues={params.get('interaction') === 'true' ? ['true'] : []}
          small
        />
      )}
      <button className="nhsuk-button nhsuk-button--secondary" type="submit">
        Fit the model again
      </button>
    </FilterForm>
  );
}

export function ModelSection({
  table,
  model,
}: {
  table: ExplorerTable;
  model: { data: ExplorerModel | undefined; isPending: boolean; error: unknown };
}) {
  const m = model.data;
  return (
    <section className="app-insight-model" aria-labelledby="model-heading">
      <h2 className="nhsuk-heading-m" id="model-heading">
        Adjusted model
      </h2>
      <p>
        The change in {table.measure.label} on {table.factors.map((f) => inSentence(f.label)).join(' and ')},
        adjusting for the baseline score, age, sex and IMD quintile (those not chosen above). Each estimate is
        the difference in change from the reference group, in points, for people alike in the rest.{' '}
        <strong>
          {table.measure.higherIsBetter
            ? 'Higher scores are better, so a positive estimate means more improvement than the reference group.'
            : 'Lower scores are better, so a negative estimate means more improvement than the reference group.'}
        </strong>
      </p>
      {/* Drawn afresh once the model is back, so the lists start at the reference groups it used. */}
      <ModelForm
        key={m ? m.models[0]?.factors.map((f) => f.reference).join('|') : ''}
        table={table}
        model={m}
      />
      {model.isPending && <Loading what="the model" />}
      {model.error !== null && model.error !== undefined && <InlineProblem error={model.error} />}
      {m && (
        <>
          {m.interaction && <p className="nhsuk-body-s">With the interaction of the two factors.</p>}
          <div className="app-insight-model__side-by-side">
            {m.models.map((analysis) => (
              <Analysis key={analysis.analysis} analysis={analysis} model={m} />
            ))}
          </div>
          <p className="nhsuk-body-s">{m.method}</p>
        </>
      )}
    </section>
  );
}
