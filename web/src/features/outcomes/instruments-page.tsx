import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { scoreRange } from '../../../../src/modules/outcomes/scoring.ts';
import { type FieldProblem, isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { formGroupClass, Hint } from '../../components/field-parts.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import {
  BackLink,
  ButtonLink,
  InsetText,
  Loading,
  PageHeading,
  SuccessBanner,
  Tag,
  TwoThirds,
} from '../../components/page-parts.tsx';
import { NotFoundPage, ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { FieldProblems, FileUpload } from './admin-fields.tsx';
import {
  type ConversionRow,
  definitionProblem,
  type FileProblem,
  parseConversionCsv,
  readDefinition,
} from './admin-files.ts';
import { questionnairePath, useAddInstrument, useRecordLicence } from './admin-queries.ts';
import { useInstruments } from './queries.ts';
import './admin-pages.scss';
import type { InstrumentSummary } from './types.ts';

/*
 * The questionnaires an organisation can use, for its administrators: the list (with each one's FHIR
 * Questionnaire), recording the licence an instrument needs with its conversion tables, and adding the
 * organisation's own questionnaire in the definition format.
 */

const listPath = '/outcomes/instruments';
const licencePath = (code: string) => `${listPath}/${encodeURIComponent(code)}/licence`;
/** How many of a file's row problems the error summary lists before saying how many more there are. */
const SHOWN_ROW_PROBLEMS = 10;

function LicenceCell({ instrument, isAdmin }: { instrument: InstrumentSummary; isAdmin: boolean }) {
  if (!instrument.requiresLicence) return <>Not needed</>;
  return (
    <>
      {instrument.enabled ? 'Recorded' : 'Needed, not recorded yet'}
      {isAdmin && (
        <>
          <br />
          <Link to={licencePath(instrument.code)}>
            {instrument.enabled ? 'Update the licence' : 'Record a licence'}
            <span className="nhsuk-u-visually-hidden"> for {instrument.title}</span>
          </Link>
        </>
      )}
    </>
  );
}

/** Every questionnaire usable here or waiting for a licence, with its FHIR Questionnaire. */
export function InstrumentsPage() {
  const title = 'Questionnaires';
  usePageTitle(title);
  const me = useSignedIn();
  const location = useLocation();
  const saved = (location.state as { saved?: string } | null)?.saved;
  const instruments = useInstruments();
  const isAdmin = me.acting?.roles.includes('admin') ?? false;
  return (
    <>
      {saved && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{saved}</p>
        </SuccessBanner>
      )}
      <PageHeading caption={me.acting?.organisationName}>{title}</PageHeading>
      <TwoThirds>
        <p>
          The outcome questionnaires your organisation can use: Linkwork’s own, and those your organisation or
          one above it has added. A questionnaire that needs a licence can be used once an administrator
          records it. Each PCN chooses the ones its link workers ask in{' '}
          <Link to="/outcomes/settings">outcome settings</Link>.
        </p>
      </TwoThirds>
      {isAdmin && <ButtonLink to={`${listPath}/new`}>Add your own questionnaire</ButtonLink>}
      {instruments.isPending && <Loading what="questionnaires" />}
      {instruments.isError && <InlineProblem error={instruments.error} />}
      {instruments.isSuccess && (
        <ResponsiveTable
          caption="Questionnaires available here"
          items={instruments.data.items}
          itemKey={(i) => i.code}
          columns={[
            {
              header: 'Questionnaire',
              cell: (i) => (
                <>
                  {i.title}
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">Code: {i.code}</p>
                  {i.licenceNotice && (
                    <p className="nhsuk-body-s nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0 app-questionnaire__notice">
                      {i.licenceNotice}
                    </p>
                  )}
                </>
              ),
            },
            { header: 'Version', cell: (i) => i.version },
            {
              header: 'From',
              cell: (i) => (i.owner === 'shipped' ? 'Linkwork' : 'Your organisation'),
            },
            {
              header: 'Can be used',
              cell: (i) => (i.enabled ? <Tag colour="green">Yes</Tag> : <Tag colour="grey">No</Tag>),
            },
            { header: 'Licence', cell: (i) => <LicenceCell instrument={i} isAdmin={isAdmin} /> },
            {
              header: 'FHIR Questionnaire',
              cell: (i) => (
                <a href={questionnairePath(i.code)} download={`${i.code}-questionnaire.json`}>
                  Download (JSON)<span className="nhsuk-u-visually-hidden"> for {i.title}</span>
                </a>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

interface TableFile {
  fileName: string;
  table: ConversionRow[];
  problems: FileProblem[];
}

/** The conversion tables an instrument's converted scores need, each with the raw scores it must cover. */
function conversionsNeeded(instrument: InstrumentSummary) {
  const d = instrument.definition;
  const needed = new Map<string, { label: string; min: number; max: number }>();
  for (const score of d.scores) {
    if (score.kind !== 'converted' || !score.conversion || needed.has(score.conversion)) continue;
    const [min, max] = scoreRange(d, { ...score, kind: 'sum' });
    needed.set(score.conversion, { label: score.label, min, max });
  }
  return [...needed.entries()].map(([name, need]) => ({ name, ...need }));
}

/** The summary lists a file's first few problems, then how many more the field shows. */
function rowProblems(field: string, problems: FileProblem[]): FieldProblem[] {
  const shown = problems.slice(0, SHOWN_ROW_PROBLEMS).map((p) => ({ field, message: p.message }));
  const more = problems.length - shown.length;
  return more > 0
    ? [
        ...shown,
        { field, message: `${more} more problems in the same file: correct them and upload it again` },
      ]
    : shown;
}

function LicenceForm({ instrument }: { instrument: InstrumentSummary }) {
  const navigate = useNavigate();
  const record = useRecordLicence(instrument.code);
  const errors = useFormErrors();
  const [files, setFiles] = useState<Record<string, TableFile>>({});
  const title = 'Record a licence';
  usePageTitle(title, errors.hasErrors);
  const needed = conversionsNeeded(instrument);
  const problemsFor = (id: string) => errors.items.filter((i) => i.targetId === id).map((i) => i.text);

  const readFile = async (name: string, file: File | null) => {
    if (!file) {
      setFiles(({ [name]: _gone, ...rest }) => rest);
      return;
    }
    const parsed = parseConversionCsv(await file.text());
    setFiles((current) => ({ ...current, [name]: { fileName: file.name, ...parsed } }));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (record.isPending) return;
    const licenceReference = String(new FormData(event.currentTarget).get('licenceReference') ?? '');
    // A file that could not be read stops here, row by row; a table that is missing or incomplete is the
    // server's to say (it knows the raw scores each table must cover).
    const fileProblems = needed.flatMap((n) =>
      files[n.name] ? rowProblems(`conversions.${n.name}`, files[n.name]!.problems) : [],
    );
    if (fileProblems.length > 0) return errors.show(fileProblems);
    errors.clear();
    const conversions = Object.fromEntries(
      needed.flatMap((n) => (files[n.name] ? [[n.name, files[n.name]!.table]] : [])),
    );
    record.mutate(
      { licenceReference, conversions },
      {
        onSuccess: () =>
          navigate(listPath, {
            state: {
              saved: `Licence recorded for ${instrument.title}: PCNs can now choose it in their outcome settings.`,
            },
          }),
        onError: (error) => {
          if (isProblem(error) && error.errors.length > 0) {
            // A problem deep in a table (conversions.<name>.3.raw) belongs to that table's file.
            return errors.show(
              error.errors.map((p) => ({
                field: p.field.startsWith('conversions.')
                  ? p.field.split('.').slice(0, 2).join('.')
                  : p.field,
                message: p.message,
              })),
            );
          }
          errors.showError(error);
        },
      },
    );
  };

  return (
    <TwoThirds>
      <BackLink to={listPath}>Back to questionnaires</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={instrument.title}>{title}</PageHeading>
      <p>
        {instrument.title} can be used once your organisation records its licence
        {needed.length > 0 ? ', with the conversion tables that came with it' : ''}. PCNs in your organisation
        can then choose it in their outcome settings.
      </p>
      {instrument.licenceNotice && (
        <InsetText>
          <p>{instrument.licenceNotice}</p>
        </InsetText>
      )}
      <form onSubmit={submit} noValidate>
        <TextInput
          id="licenceReference"
          label="Licence reference"
          labelSize="s"
          hint="The reference or registration number the licence holder gave you."
          width={20}
          autoComplete="off"
          spellCheck={false}
          error={errors.messageFor('licenceReference')}
        />
        {needed.map((n) => {
          const id = `conversions-${n.name}`;
          const file = files[n.name];
          return (
            <FileUpload
              key={n.name}
              id={id}
              label={`Conversion table for ${n.label}`}
              hint={
                <>
                  A CSV file with two columns, the raw score and the converted score, and one row for each raw
                  score from {n.min} to {n.max}. A first row of column names is fine. Use the table exactly as
                  your licence supplied it.
                </>
              }
              accept=".csv,text/csv"
              problems={problemsFor(id)}
              status={
                file && file.problems.length === 0
                  ? `${file.table.length} rows read from ${file.fileName}`
                  : undefined
              }
              onFile={(chosen) => void readFile(n.name, chosen)}
            />
          );
        })}
        <button className="nhsuk-button" type="submit" disabled={record.isPending}>
          {record.isPending ? 'Recording…' : 'Record the licence'}
        </button>
      </form>
    </TwoThirds>
  );
}

/** Recording an instrument's licence (administrators). */
export function LicencePage() {
  const { code = '' } = useParams();
  const instruments = useInstruments();
  if (instruments.isPending) return <Loading what="questionnaire" />;
  if (instruments.isError) return <ProblemPage error={instruments.error} />;
  const instrument = instruments.data.items.find((i) => i.code === code);
  if (!instrument) return <NotFoundPage detail={`There is no questionnaire with the code ${code} here.`} />;
  if (!instrument.requiresLicence) {
    return <NoLicenceNeeded instrument={instrument} />;
  }
  return <LicenceForm instrument={instrument} />;
}

function NoLicenceNeeded({ instrument }: { instrument: InstrumentSummary }) {
  usePageTitle('No licence needed');
  return (
    <TwoThirds>
      <BackLink to={listPath}>Back to questionnaires</BackLink>
      <PageHeading caption={instrument.title}>No licence needed</PageHeading>
      <p>{instrument.title} needs no licence: PCNs can choose it in their outcome settings.</p>
    </TwoThirds>
  );
}

/** A small, made-up example of the definition format, shown to people writing their own. */
const exampleDefinition = `{
  "code": "our_confidence",
  "version": "1",
  "title": "Confidence to manage day to day",
  "instructions": "Choose the answer closest to how you feel now.",
  "items": [
    {
      "linkId": "confidence",
      "text": "How confident do you feel about managing day to day?",
      "options": [
        { "value": 1, "label": "Not at all confident" },
        { "value": 2, "label": "A little confident" },
        { "value": 3, "label": "Quite confident" },
        { "value": 4, "label": "Very confident" }
      ]
    }
  ],
  "scores": [
    {
      "code": "confidence",
      "label": "Confidence",
      "kind": "item",
      "items": ["confidence"],
      "higherIsBetter": true
    }
  ]
}`;

/** An administrator adds their organisation's own questionnaire, uploaded or pasted in the definition format. */
export function InstrumentNewPage() {
  const navigate = useNavigate();
  const add = useAddInstrument();
  const errors = useFormErrors();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const title = 'Add your own questionnaire';
  usePageTitle(title, errors.hasErrors);
  const problems = errors.items.filter((i) => i.targetId === 'definition').map((i) => i.text);

  const readFile = async (file: File | null) => {
    if (!file) return;
    setText(await file.text());
    setFileName(file.name);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (add.isPending) return;
    const read = readDefinition(text);
    if (read.kind === 'problem') return errors.show([{ field: 'definition', message: read.message }]);
    errors.clear();
    add.mutate(read.definition, {
      onSuccess: (added) =>
        navigate(listPath, {
          state: {
            saved: `${added.title} (version ${added.version}) added. Choose it in outcome settings for link workers to use it.`,
          },
        }),
      onError: (error) => {
        // Every problem is with the definition: each names where in it, as the JSON path.
        if (isProblem(error) && error.errors.length > 0) {
          return errors.show(
            error.errors.map((p) => ({
              field: 'definition',
              message: definitionProblem(p.field, p.message),
            })),
          );
        }
        if (isProblem(error, 409) || isProblem(error, 422)) {
          return errors.show([{ field: 'definition', message: error.detail ?? error.title }]);
        }
        errors.showError(error);
      },
    });
  };

  const error = problems.length > 0 ? problems.join(' ') : undefined;
  return (
    <TwoThirds>
      <BackLink to={listPath}>Back to questionnaires</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{title}</PageHeading>
      <p>
        Write the questionnaire in Linkwork’s definition format: its code, version and title, the questions
        (items) with their answer options, and the scores made from them. Link workers then record it like any
        other, people can answer it through a questionnaire link, and it is scored and reported the same way.
      </p>
      <p>
        To change a questionnaire already added, add it again with the same code and a new version: answers
        already recorded keep the version they were given in.
      </p>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">An example definition</span>
        </summary>
        <div className="nhsuk-details__text">
          <p className="nhsuk-body-s">
            A score’s kind is <code>item</code> (one answer on its own), <code>sum</code> (answers added) or{' '}
            <code>converted</code> (a sum looked up in a licensed conversion table). Scores can have bands,
            such as <code>{'{ "from": 0, "to": 4, "label": "Low" }'}</code>.
          </p>
          <pre className="nhsuk-body-s app-admin-example">
            <code>{exampleDefinition}</code>
          </pre>
        </div>
      </details>
      <form onSubmit={submit} noValidate>
        <FileUpload
          id="definitionFile"
          label="Upload a JSON file"
          hint="It fills in the definition below, where you can check it before adding."
          accept=".json,application/json"
          problems={[]}
          status={fileName ? `Read from ${fileName}` : undefined}
          onFile={(file) => void readFile(file)}
        />
        <div className={formGroupClass(error)}>
          <label className="nhsuk-label nhsuk-label--s" htmlFor="definition">
            Definition (JSON)
          </label>
          <Hint id="definition">Or paste it here.</Hint>
          <FieldProblems id="definition" problems={problems} />
          <textarea
            className={`nhsuk-textarea nhsuk-input--code${error ? ' nhsuk-textarea--error' : ''}`}
            id="definition"
            name="definition"
            rows={16}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={`definition-hint${error ? ' definition-error' : ''}`}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <button className="nhsuk-button" type="submit" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add questionnaire'}
        </button>
      </form>
    </TwoThirds>
  );
}
