import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { FilterForm } from '../../components/filter-form.tsx';
import { type FormErrors, useFormErrors, useQueryProblems } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { OwnDates } from '../../components/own-dates.tsx';
import { InsetText, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { CandidateSection } from './candidate-form.tsx';
import { GroupedSelect, type OptionGroup } from './explorer-parts.tsx';
import { ExplorerResults } from './explorer-results.tsx';
import {
  type AddressValues,
  DEFAULT_FACTOR,
  explorerPath,
  type PeriodOption,
  periodOptions,
  valuesFromAddress,
} from './explorer-values.ts';
import { ModelSection } from './model-section.tsx';
import { type ExplorerOptions, useExplorerModel, useExplorerOptions, useExplorerTable } from './queries.ts';

const title = 'What works, for whom, in what circumstances';

const typeNames: Record<string, string> = { icb: 'ICB', pcn: 'PCN', gp_practice: 'GP practice' };

/** Plainer words than the API's for a value edited into the address by hand. */
const fieldMessages: Record<string, string> = {
  from: 'Enter the start of the period like 2025-04-01',
  to: 'Enter the end of the period like 2026-03-31, on or after its start',
};

function factorGroups(options: ExplorerOptions): OptionGroup[] {
  return options.factorGroups.map((g) => ({
    label: g.label,
    options: options.factors.filter((f) => f.group === g.code).map((f) => ({ value: f.key, label: f.label })),
  }));
}

function ExplorerForm({
  options,
  values,
  periods,
  errors,
}: {
  options: ExplorerOptions;
  values: AddressValues;
  periods: PeriodOption[];
  errors: FormErrors;
}) {
  const { form } = values;
  const [instrument, setInstrument] = useState(form.instrument ?? '');
  const measures = options.instruments.find((i) => i.code === instrument)?.measures ?? [];
  const [measure, setMeasure] = useState(form.measure ?? '');
  const [factor, setFactor] = useState(form.factor ?? DEFAULT_FACTOR);
  const [by, setBy] = useState(form.by ?? '');
  const about = (key: string) => options.factors.find((f) => f.key === key)?.about;
  const groups = factorGroups(options);
  const measureGroups: OptionGroup[] = [
    {
      label: 'Scores',
      options: measures.filter((m) => m.kind === 'score').map((m) => ({ value: m.key, label: m.label })),
    },
    {
      label: 'Single questions',
      options: measures.filter((m) => m.kind === 'item').map((m) => ({ value: m.key, label: m.label })),
    },
  ].filter((g) => g.options.length > 0);
  const chosenMeasure = measures.find((m) => m.key === measure) ?? measures[0];

  return (
    <FilterForm action={explorerPath} label="What to explore">
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <Select
            id="instrument"
            label="Outcome measure"
            options={options.instruments.map((i) => ({ value: i.code, label: i.title }))}
            value={instrument}
            onChange={(event) => {
              setInstrument(event.currentTarget.value);
              setMeasure('');
            }}
            error={errors.messageFor('instrument')}
          />
        </div>
        <div className="nhsuk-grid-column-one-half">
          <GroupedSelect
            id="measure"
            label="Score or question"
            hint={
              chosenMeasure &&
              (chosenMeasure.higherIsBetter ? 'Higher is better on this one' : 'Lower is better on this one')
            }
            groups={measureGroups}
            value={chosenMeasure?.key ?? ''}
            onChange={setMeasure}
            error={errors.messageFor('measure')}
          />
        </div>
      </div>
      <Radios
        id="comparison"
        legend="Change window"
        hint="From the baseline measure to the later one"
        items={options.comparisons.map((c) => ({ value: c.code, label: c.label }))}
        defaultValue={form.comparison}
        error={errors.messageFor('comparison')}
        small
      />
      <Select
        id="organisationId"
        label="Organisation"
        hint="An ICB, one of its PCNs, or a GP practice"
        options={options.organisations.map((o) => ({
          value: o.id,
          label: `${o.type === 'gp_practice' ? '— ' : ''}${o.name} (${typeNames[o.type] ?? o.type})`,
        }))}
        defaultValue={form.organisationId ?? options.actingOrganisationId}
        error={errors.messageFor('organisationId')}
      />
      <Select
        id="period"
        label="Baselines completed in"
        hint="The episodes whose baseline measure was completed in this period"
        placeholder="Your own dates (below)"
        options={periods}
        defaultValue={form.period}
      />
      <OwnDates
        chosen={values.ownDates}
        from={form.from}
        to={form.to}
        errors={errors}
        note="Choose “Your own dates (below)” above for these to be used."
      />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <GroupedSelect
            id="factor"
            label="Break the change down by"
            hint={about(factor)}
            groups={groups}
            value={factor}
            onChange={setFactor}
            error={errors.messageFor('factor')}
          />
        </div>
        <div className="nhsuk-grid-column-one-half">
          <GroupedSelect
            id="by"
            label="And by (optional)"
            hint={about(by) ?? 'A second factor crosses the first: a grid of the two'}
            placeholder="Nothing else"
            groups={groups}
            value={by}
            onChange={setBy}
            error={errors.messageFor('by')}
          />
        </div>
      </div>
      <button className="nhsuk-button" type="submit">
        Show what works
      </button>
    </FilterForm>
  );
}

/** The explorer: its question in the address, the table and chart, the adjusted model, and candidate CMOCs. */
export function ExplorerPage() {
  const [params] = useSearchParams();
  const me = useSignedIn();
  const options = useExplorerOptions();
  const errors = useFormErrors();
  const periods = useMemo(() => periodOptions(new Date()), []);
  // Loneliness (UCLA-3) is the outcome social prescribing is most often asked about; otherwise the first listed.
  const instruments = options.data?.instruments ?? [];
  const firstInstrument = (instruments.find((i) => i.code === 'ucla3') ?? instruments[0])?.code;
  const values = valuesFromAddress(params, { instrument: firstInstrument, periods });
  const query = options.isSuccess ? values.query : null;
  const table = useExplorerTable(query);
  const model = useExplorerModel(table.isSuccess ? query : null);

  const invalid = useQueryProblems(table.error, errors, fieldMessages);
  usePageTitle('What works', invalid !== null);

  if (options.isPending) return <Loading />;
  if (options.isError) return <ProblemPage error={options.error} />;
  const o = options.data;
  // A period kept in an address from another day is still offered, so the form shows what the table covers.
  const period = params.get('period');
  const offered =
    period && !periods.some((p) => p.value === period)
      ? [...periods, { value: period, label: period.replace('|', ' to ') }]
      : periods;
  const researcher = me.acting?.roles.includes('researcher') ?? false;

  return (
    <>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{title}</PageHeading>
      <p>
        How people’s outcomes changed, broken down by who they are (person context), how their link worker
        worked at the time (implementation context) and what happened in their support (mechanism proxies).
        Totals only, never a person’s answers; groups of fewer than 5 people are not shown.
      </p>
      {o.instruments.length === 0 ? (
        <p>No outcome instruments are in use here yet.</p>
      ) : (
        <ExplorerForm key={params.toString()} options={o} values={values} periods={offered} errors={errors} />
      )}
      {params.size > 0 && (
        <p>
          <Link to={explorerPath}>Start again</Link>
        </p>
      )}
      {!query && o.instruments.length > 0 && (
        <InsetText>
          <p>Choose what to look at, then select “Show what works”.</p>
        </InsetText>
      )}
      {query && table.isPending && <Loading what="the table" />}
      {table.isError && !invalid && <InlineProblem error={table.error} />}
      {query && table.isSuccess && (
        <>
          <ExplorerResults table={table.data} query={query} />
          <ModelSection
            table={table.data}
            model={{ data: model.data, isPending: model.isPending, error: model.error }}
          />
          {researcher && <CandidateSection table={table.data} query={query} studies={o.studies} />}
        </>
      )}
    </>
  );
}
