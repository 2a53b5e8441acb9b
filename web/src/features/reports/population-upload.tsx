import { type FormEvent, useState } from 'react';
import { ApiProblem } from '../../app/api.ts';
import { formatDate, listOf } from '../../app/format.ts';
import { useSignedIn } from '../../app/session.tsx';
import { describedBy, ErrorMessage, formGroupClass, Hint } from '../../components/field-parts.tsx';
import type { FormErrors } from '../../components/form-errors.ts';
import { SuccessBanner } from '../../components/page-parts.tsx';
import { useLoadPopulations } from './queries.ts';

/*
 * Loading registered patients by practice and band from a CSV file (administrators and the ICB's analysts): the
 * file goes up as it is, and every line the API refuses is listed with its number in the page's error summary,
 * each linking to the file field.
 */

export const POPULATION_FIELD = 'populationFile';

/** Who may load practice populations (the API's POPULATION_LOADERS). */
export const canLoadPopulations = (roles: string[]) =>
  roles.includes('admin') || roles.includes('commissioner');

/** The API's problems (one per line, or about the file) as problems with the file field. */
export function showPopulationProblem(errors: FormErrors, error: unknown) {
  if (error instanceof ApiProblem && error.errors.length > 0) {
    errors.show(error.errors.map((p) => ({ field: POPULATION_FIELD, message: p.message })));
  } else if (error instanceof ApiProblem) {
    errors.show([{ field: POPULATION_FIELD, message: error.detail ?? error.title }]);
  } else {
    errors.showError(error);
  }
}

const EXAMPLE = `practice,band_type,band,count,as_of
Z99011,sex,female,4210,2026-04-01
Z99011,sex,male,4032,2026-04-01
Z99011,age_band,18_24,702,2026-04-01
Z99011,imd_quintile,1,2380,2026-04-01`;

export function PopulationUpload({ errors, open }: { errors: FormErrors; open: boolean }) {
  const me = useSignedIn();
  const load = useLoadPopulations(me.csrfToken);
  const [loaded, setLoaded] = useState<string | null>(null);
  const error = errors.messageFor(POPULATION_FIELD);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (load.isPending) return;
    const formElement = event.currentTarget;
    const file = new FormData(formElement).get(POPULATION_FIELD);
    setLoaded(null);
    if (!(file instanceof File) || file.name === '') {
      errors.show([{ field: POPULATION_FIELD, message: 'Choose the practice population CSV file' }]);
      return;
    }
    errors.clear();
    load.mutate(file, {
      onSuccess: (result) => {
        formElement.reset();
        setLoaded(
          `${result.rows.toLocaleString('en-GB')} ${result.rows === 1 ? 'figure' : 'figures'} for ${result.practices} ${result.practices === 1 ? 'practice' : 'practices'}, as at ${listOf(result.asOf.map(formatDate))}.`,
        );
      },
      onError: (problem) => showPopulationProblem(errors, problem),
    });
  };

  return (
    <details className="nhsuk-details" open={open || !!error || !!loaded}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Load practice populations</span>
      </summary>
      <div className="nhsuk-details__text">
        {loaded && (
          <SuccessBanner title="Practice populations loaded">
            <p className="nhsuk-notification-banner__heading">{loaded}</p>
            <p>The reach tables now use them.</p>
          </SuccessBanner>
        )}
        <p>
          A CSV file of registered patients, a line per practice, band and date, with the columns practice
          (the practice’s ODS code), band_type (age_band, sex, ethnicity or imd_quintile), band, count and
          as_of (the date of the figures, like 2026-04-01). A practice, band type and date loaded before is
          replaced. If any line has a problem, nothing is loaded and each line is listed.
        </p>
        <p className="nhsuk-u-margin-bottom-2">For example:</p>
        <pre className="app-report-example">
          <code>{EXAMPLE}</code>
        </pre>
        <p className="nhsuk-body-s">
          Bands: age_band under_18, 18_24, 25_34, 35_44, 45_54, 55_64, 65_74, 75_84, 85_plus; sex female,
          male, intersex, not_stated; ethnicity white, mixed, asian, black, other, not_stated; imd_quintile 1
          (most deprived) to 5.
        </p>
        <form onSubmit={submit} noValidate aria-label="Load practice populations">
          <div className={formGroupClass(error, 'nhsuk-file-upload')}>
            <label className="nhsuk-label" htmlFor={POPULATION_FIELD}>
              Practice population file (CSV)
            </label>
            <Hint id={POPULATION_FIELD}>Up to 5 MB</Hint>
            <ErrorMessage id={POPULATION_FIELD} message={error} />
            <input
              className={`nhsuk-file-upload__input${error ? ' nhsuk-file-upload__input--error' : ''}`}
              id={POPULATION_FIELD}
              name={POPULATION_FIELD}
              type="file"
              accept=".csv,text/csv"
              aria-describedby={describedBy(POPULATION_FIELD, 'Up to 5 MB', error)}
            />
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={load.isPending}>
            {load.isPending ? 'Loading…' : 'Load the file'}
          </button>
        </form>
      </div>
    </details>
  );
}
