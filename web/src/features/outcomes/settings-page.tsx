import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type FieldProblem, isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { describedBy, ErrorMessage, formGroupClass, Hint, Legend } from '../../components/field-parts.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { InsetText, Loading, PageHeading, SuccessBanner, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { TextInput } from '../../components/text-input.tsx';
import {
  type OutcomeSettings,
  type SettingsInput,
  useOutcomeSettings,
  useSaveOutcomeSettings,
} from './admin-queries.ts';
import { useInstruments } from './queries.ts';
import './admin-pages.scss';
import type { InstrumentSummary } from './types.ts';

/*
 * A PCN's outcome settings: which questionnaires its link workers ask at each timepoint, and the two follow-up
 * windows after discharge. Whole numbers and their ranges are checked here; the rules between the windows are
 * the server's (outcomeSettingsBody), and its messages appear beside the fields.
 */

const title = 'Outcome settings';

type WindowField =
  | 'shortFollowUpFromMonths'
  | 'shortFollowUpToMonths'
  | 'longFollowUpFromMonths'
  | 'longFollowUpToMonths';

const windowFields: { field: WindowField; words: string; max: number }[] = [
  { field: 'shortFollowUpFromMonths', words: 'the short-term follow-up opens', max: 24 },
  { field: 'shortFollowUpToMonths', words: 'the short-term follow-up closes', max: 24 },
  { field: 'longFollowUpFromMonths', words: 'the long-term follow-up opens', max: 36 },
  { field: 'longFollowUpToMonths', words: 'the long-term follow-up closes', max: 36 },
];

/** The server says "The window must end after it opens" for either window: say which one. */
function namedWindow(problem: FieldProblem): FieldProblem {
  const which = problem.field.startsWith('short')
    ? 'short-term'
    : problem.field.startsWith('long')
      ? 'long-term'
      : null;
  return which && problem.message.startsWith('The window ')
    ? { ...problem, message: problem.message.replace('The window ', `The ${which} follow-up window `) }
    : problem;
}

function readSettings(form: FormData, version: number): { body: SettingsInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const instrumentCodes = form.getAll('instrumentCodes').map(String);
  if (instrumentCodes.length === 0) {
    problems.push({ field: 'instrumentCodes', message: 'Choose at least one questionnaire' });
  }
  const months = {} as Record<WindowField, number>;
  for (const { field, words, max } of windowFields) {
    const text = String(form.get(field) ?? '').trim();
    const value = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= 1 && value <= max)) {
      problems.push({
        field,
        message:
          text === ''
            ? `Enter how many months after discharge ${words}`
            : `Enter how many months after discharge ${words} as a whole number from 1 to ${max}`,
      });
    }
    months[field] = value;
  }
  return { body: { instrumentCodes, ...months, version }, problems };
}

function licenceHint(instrument: InstrumentSummary, isAdmin: boolean) {
  if (instrument.enabled) return instrument.owner === 'organisation' ? 'Your organisation’s own' : null;
  return isAdmin ? (
    <>
      Needs a licence, not recorded yet:{' '}
      <Link to={`/outcomes/instruments/${instrument.code}/licence`}>
        record the licence<span className="nhsuk-u-visually-hidden"> for {instrument.title}</span>
      </Link>{' '}
      to use it
    </>
  ) : (
    'Needs a licence, not recorded yet: an administrator records it on the Questionnaires page'
  );
}

/** Checkboxes whose questionnaires without a licence cannot be ticked, each saying why. */
function InstrumentChoices({
  instruments,
  chosen,
  error,
  isAdmin,
}: {
  instruments: InstrumentSummary[];
  chosen: readonly string[];
  error: string | undefined;
  isAdmin: boolean;
}) {
  const id = 'instrumentCodes';
  // Usable ones first, so the error summary's link lands on a box that can take focus.
  const ordered = [...instruments].sort((a, b) => Number(b.enabled) - Number(a.enabled));
  const hint = 'Link workers ask these at the baseline, at discharge and at each follow-up.';
  return (
    <div className={formGroupClass(error)}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, hint, error)}>
        <Legend size="m">Questionnaires your link workers use</Legend>
        <Hint id={id}>{hint}</Hint>
        <ErrorMessage id={id} message={error} />
        <div className="nhsuk-checkboxes app-admin-choices">
          {ordered.map((instrument, index) => {
            const inputId = index === 0 ? id : `${id}-${index + 1}`;
            const itemHint = licenceHint(instrument, isAdmin);
            return (
              <div className="nhsuk-checkboxes__item" key={instrument.code}>
                <input
                  className="nhsuk-checkboxes__input"
                  id={inputId}
                  name={id}
                  type="checkbox"
                  value={instrument.code}
                  disabled={!instrument.enabled}
                  defaultChecked={instrument.enabled && chosen.includes(instrument.code)}
                  aria-describedby={itemHint ? `${inputId}-item-hint` : undefined}
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={inputId}>
                  {instrument.title}
                </label>
                {itemHint && (
                  <div className="nhsuk-hint nhsuk-checkboxes__hint" id={`${inputId}-item-hint`}>
                    {itemHint}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

function MonthsInput({
  field,
  label,
  value,
  error,
}: {
  field: WindowField;
  label: string;
  value: number;
  error: string | undefined;
}) {
  return (
    <TextInput
      id={field}
      label={label}
      width={2}
      inputMode="numeric"
      spellCheck={false}
      autoComplete="off"
      defaultValue={String(value)}
      error={error}
    />
  );
}

function WindowFieldset({
  which,
  legend,
  hint,
  settings,
  messageFor,
}: {
  which: 'short' | 'long';
  legend: string;
  hint: string;
  settings: OutcomeSettings;
  messageFor: (field: string) => string | undefined;
}) {
  const from = `${which}FollowUpFromMonths` as const;
  const to = `${which}FollowUpToMonths` as const;
  return (
    <fieldset className="nhsuk-fieldset" aria-describedby={`${which}-window-hint`}>
      <Legend size="m">{legend}</Legend>
      <Hint id={`${which}-window`}>{hint}</Hint>
      <MonthsInput
        field={from}
        label="Opens, in months after discharge"
        value={settings[from]}
        error={messageFor(from)}
      />
      <MonthsInput
        field={to}
        label="Closes, in months after discharge"
        value={settings[to]}
        error={messageFor(to)}
      />
    </fieldset>
  );
}

function SettingsForm({
  settings,
  instruments,
}: {
  settings: OutcomeSettings;
  instruments: InstrumentSummary[];
}) {
  const me = useSignedIn();
  const save = useSaveOutcomeSettings();
  const errors = useFormErrors({ aliases: { instrumentCodes: 'instrumentCodes' } });
  const [saved, setSaved] = useState(false);
  usePageTitle(title, errors.hasErrors);
  const acting = me.acting;
  const isAdmin = acting?.roles.includes('admin') ?? false;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    setSaved(false);
    const { body, problems } = readSettings(new FormData(event.currentTarget), settings.version);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    save.mutate(body, {
      onSuccess: () => {
        setSaved(true);
        window.scrollTo(0, 0);
      },
      onError: (error) => {
        if (isProblem(error, 409)) {
          // The settings are read again, and the form (keyed by their version) shows what is stored now.
          errors.show([
            {
              field: '',
              message:
                'Someone else changed these settings while you were editing them. The form now shows the settings as they are: check them and make your change again.',
            },
          ]);
          return;
        }
        if (isProblem(error) && error.errors.length > 0) return errors.show(error.errors.map(namedWindow));
        errors.showError(error);
      },
    });
  };

  return (
    <TwoThirds>
      {saved && !errors.hasErrors && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">Outcome settings saved</p>
          <p>Measures due from now on follow these settings.</p>
        </SuccessBanner>
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={acting?.organisationName}>{title}</PageHeading>
      <p>
        Which questionnaires the PCN’s link workers use, and when people who agreed at discharge to be
        contacted are asked again. By default the short-term follow-up is 3 to 4 months after discharge and
        the long-term one 9 to 12 months.
      </p>
      {acting && acting.organisationType !== 'pcn' && (
        <InsetText>
          <p>
            These settings apply to a PCN’s link workers. You are acting for {acting.organisationName}: to set
            a PCN’s, act for that PCN.
          </p>
        </InsetText>
      )}
      <form onSubmit={submit} noValidate key={settings.version}>
        <InstrumentChoices
          instruments={instruments}
          chosen={settings.instrumentCodes}
          error={errors.messageFor('instrumentCodes')}
          isAdmin={isAdmin}
        />
        <WindowFieldset
          which="short"
          legend="Short-term follow-up"
          hint="For example, from 3 to 4 months after discharge."
          settings={settings}
          messageFor={errors.messageFor}
        />
        <WindowFieldset
          which="long"
          legend="Long-term follow-up"
          hint="Opens once the short-term one has closed. For example, from 9 to 12 months after discharge."
          settings={settings}
          messageFor={errors.messageFor}
        />
        <button className="nhsuk-button" type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save settings'}
        </button>
      </form>
      {isAdmin && (
        <p>
          <Link to="/outcomes/instruments">Questionnaires: licences and your own questionnaires</Link>
        </p>
      )}
    </TwoThirds>
  );
}

/** Lead link workers and administrators set the PCN's questionnaires and follow-up windows. */
export function OutcomeSettingsPage() {
  const settings = useOutcomeSettings();
  const instruments = useInstruments();
  if (settings.isPending || instruments.isPending) return <Loading what="outcome settings" />;
  if (settings.isError) return <ProblemPage error={settings.error} />;
  if (instruments.isError) return <ProblemPage error={instruments.error} />;
  return <SettingsForm settings={settings.data} instruments={instruments.data.items} />;
}
