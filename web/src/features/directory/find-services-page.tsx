import { type FormEvent, useEffect, useRef } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { withQuery } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Checkboxes, Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors, useQueryProblems } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { episodePath } from '../episodes/episode-parts.tsx';
import {
  canEditDirectory,
  connectPath,
  DirectoryLinks,
  Pagination,
  ServiceStatusTag,
  StaleTag,
  servicePath,
} from './directory-parts.tsx';
import {
  type AccessibilityFeature,
  type AttendingType,
  accessibilityLabels,
  attendingLabels,
  defaultDistanceKm,
  distancesKm,
  servicesCount,
  type TimeOfDay,
  timesOfDay,
  type Weekday,
  weekdayLabels,
  weekdays,
} from './labels.ts';
import {
  type Need,
  type SearchResult,
  useDirectoryNeeds,
  useDirectorySearch,
  useEpisodeFor,
} from './queries.ts';
import {
  hasFilters,
  possessive,
  type SearchValues,
  searchValuesForPerson,
  searchValuesFrom,
  searchValuesFromForm,
  timeOfDayOf,
} from './search-params.ts';

const title = 'Find services';
const perPage = 20;

/** Plainer words than the API's for a value edited into the address by hand. */
const filterMessages: Record<string, string> = {
  withinKm: 'Choose a distance from the list',
  day: 'Choose a day from the list',
  attending: 'Choose how the person wants to attend from the list',
  accessibility: 'Choose an accessibility need from the list',
  page: 'Go back to the first page of results',
};

/** What narrows the search, in words: "loneliness and social isolation, within 10 km of XX1 1AA and free only". */
function describeFilters(values: SearchValues, needs: Need[]): string[] {
  const labels = new Map(needs.map((need) => [need.need, need.label.toLowerCase()]));
  const parts = (values.need?.split(',') ?? []).map((code) => labels.get(code) ?? code);
  if (values.postcode) parts.push(`within ${values.withinKm ?? defaultDistanceKm} km of ${values.postcode}`);
  if (values.day) {
    const day = weekdayLabels[values.day as Weekday] ?? values.day;
    const time = timeOfDayOf(values);
    const when =
      time === ''
        ? ''
        : time === 'between'
          ? ` ${values.from ?? ''}–${values.to ?? ''}`
          : ` ${timesOfDay[time].label.toLowerCase()}`;
    parts.push(`open on ${day}${when}`);
  }
  if (values.age) parts.push(`for someone aged ${values.age}`);
  if (values.free) parts.push('free only');
  if (values.attending)
    parts.push((attendingLabels[values.attending as AttendingType] ?? values.attending).toLowerCase());
  if (values.language) parts.push(`in ${values.language}`);
  if (values.accessibility)
    parts.push(
      (
        accessibilityLabels[values.accessibility as AccessibilityFeature] ?? values.accessibility
      ).toLowerCase(),
    );
  if (values.includeClosed) parts.push('including closed services');
  return parts;
}

function shortened(text: string, length = 200): string {
  if (text.length <= length) return text;
  return `${text.slice(0, text.lastIndexOf(' ', length)).replace(/[,.;:]$/, '')}…`;
}

function ResultCard({
  result,
  referralId,
  person,
  from,
}: {
  result: SearchResult;
  referralId: string | null;
  person: string | null;
  from: string;
}) {
  return (
    <li>
      <div className="nhsuk-card app-result">
        <div className="nhsuk-card__content">
          <h3 className="nhsuk-card__heading nhsuk-heading-m">
            <Link to={servicePath(result.id, referralId)} state={{ from }}>
              {result.name}
            </Link>
          </h3>
          {result.organisationName && (
            <p className="nhsuk-body-s app-result__organisation">{result.organisationName}</p>
          )}
          <p className="nhsuk-body app-result__reasons">{result.reasons.join(' · ')}</p>
          {(result.freshness.stale || result.status !== 'active') && (
            <p className="app-result__tags">
              {result.status !== 'active' && <ServiceStatusTag status={result.status} />}
              {result.freshness.stale && <StaleTag />}
            </p>
          )}
          {result.description && <p className="nhsuk-body-s">{shortened(result.description)}</p>}
          {referralId && person && result.status === 'active' && (
            <p className="nhsuk-u-margin-bottom-0">
              <Link to={connectPath(referralId, result.id)}>
                Connect {person} to this service
                <span className="nhsuk-u-visually-hidden">: {result.name}</span>
              </Link>
            </p>
          )}
        </div>
      </div>
    </li>
  );
}

/** Says whose search this is, and lets the link worker change it. */
function ForPerson({
  episode,
  values,
  prefilled,
  onChange,
}: {
  episode: Episode;
  values: SearchValues;
  prefilled: SearchValues;
  onChange: () => void;
}) {
  const asPrefilled = values.need === prefilled.need && values.postcode === prefilled.postcode && !values.q;
  const name = episode.personName;
  let text = `Finding a service for ${name}`;
  if (asPrefilled && values.need && values.postcode)
    text = `Showing services for ${possessive(name)} needs near ${values.postcode}`;
  else if (asPrefilled && values.need) text = `Showing services for ${possessive(name)} needs`;
  else if (asPrefilled && values.postcode)
    text = `Showing services near ${possessive(name)} home, ${values.postcode}`;
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        {text}
        {' – '}
        <button className="app-link-button" type="button" onClick={onChange} aria-controls="search-filters">
          change<span className="nhsuk-u-visually-hidden"> the search</span>
        </button>
      </p>
    </div>
  );
}

export function FindServicesPage() {
  const me = useSignedIn();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const referralId = params.get('referral');
  const values = searchValuesFrom(params);
  const needs = useDirectoryNeeds();
  const episode = useEpisodeFor(referralId);
  const errors = useFormErrors();
  const filtersRef = useRef<HTMLDetailsElement>(null);

  // Arriving from a person's episode with nothing else asked: search for their needs, near where they live.
  const searched = (location.state as { searched?: boolean } | null)?.searched ?? false;
  const onlyPerson = referralId !== null && Object.keys(values).length === 0 && !searched;
  const knownNeeds = needs.data?.items.map((need) => need.need) ?? [];
  const prefilled = episode.data ? searchValuesForPerson(episode.data, knownNeeds) : {};
  const prefillTo =
    onlyPerson && episode.isSuccess && needs.isSuccess
      ? withQuery('/directory', { referral: referralId, ...prefilled })
      : null;
  useEffect(() => {
    if (prefillTo) navigate(prefillTo, { replace: true, state: { searched: true } });
  }, [prefillTo, navigate]);
  const awaitingPerson = onlyPerson && !episode.isError && !needs.isError;

  const search = useDirectorySearch({ ...values, perPage: String(perPage) }, { enabled: !awaitingPerson });
  const invalid = useQueryProblems(search.error, errors, filterMessages);
  usePageTitle(title, invalid !== null);

  if (needs.isPending || awaitingPerson) return <Loading />;
  if (needs.isError) return <ProblemPage error={needs.error} />;

  const person = episode.data?.status === 'accepted' ? episode.data.personName : null;
  const here = `${location.pathname}${location.search}`;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = searchValuesFromForm(new FormData(event.currentTarget));
    navigate(withQuery('/directory', { referral: referralId, ...next }), { state: { searched: true } });
  };
  const openFilters = () => {
    const details = filtersRef.current;
    if (!details) return;
    details.open = true;
    details.querySelector<HTMLElement>('summary')?.focus();
  };
  const filtersText = describeFilters(values, needs.data.items);
  const time = timeOfDayOf(values);
  const editor = canEditDirectory(me);
  const total = search.data?.total ?? 0;
  const pages = Math.ceil(total / perPage);
  const page = search.data?.page ?? 1;

  return (
    <TwoThirds>
      {episode.data && (
        <BackLink to={episodePath(episode.data.referralId)}>Back to {episode.data.personName}</BackLink>
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{title}</PageHeading>
      {episode.data && (
        <ForPerson episode={episode.data} values={values} prefilled={prefilled} onChange={openFilters} />
      )}
      {!referralId && <DirectoryLinks />}

      <search aria-label="Find services">
        <form method="get" action="/directory" onSubmit={submit} noValidate key={location.search}>
          <TextInput
            id="q"
            label="Search for a service"
            labelSize="s"
            hint="For example, walking group, debt advice or befriending"
            type="search"
            autoComplete="off"
            defaultValue={values.q ?? ''}
            error={errors.messageFor('q')}
          />
          <details
            className="nhsuk-details app-search-filters"
            id="search-filters"
            ref={filtersRef}
            open={invalid !== null}
          >
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">
                Filters{filtersText.length > 0 ? ` (${filtersText.length} chosen)` : ''}
              </span>
            </summary>
            <div className="nhsuk-details__text">
              <Checkboxes
                id="need"
                legend="What does the person need help with?"
                small
                items={needs.data.items.map((need) => ({ value: need.need, label: need.label }))}
                defaultValues={values.need?.split(',') ?? []}
                error={errors.messageFor('need')}
              />
              <div className="nhsuk-grid-row">
                <div className="nhsuk-grid-column-one-half">
                  <TextInput
                    id="postcode"
                    label="Near postcode"
                    hint="For example, LS6 3HN"
                    width={10}
                    autoComplete="off"
                    spellCheck={false}
                    defaultValue={values.postcode ?? ''}
                    error={errors.messageFor('postcode')}
                  />
                </div>
                <div className="nhsuk-grid-column-one-half">
                  <Select
                    id="withinKm"
                    label="Distance"
                    options={distancesKm.map((km) => ({ value: String(km), label: `Within ${km} km` }))}
                    defaultValue={values.withinKm ?? String(defaultDistanceKm)}
                    error={errors.messageFor('withinKm')}
                  />
                </div>
              </div>
              <Select
                id="day"
                label="Open on"
                placeholder="Any day"
                options={weekdays.map((day) => ({ value: day, label: weekdayLabels[day] }))}
                defaultValue={values.day ?? ''}
                error={errors.messageFor('day')}
              />
              <Radios
                id="time"
                legend="Time of day"
                hint="Choose a day as well"
                small
                defaultValue={time}
                items={[
                  { value: '', label: 'Any time' },
                  ...(Object.keys(timesOfDay) as TimeOfDay[]).map((key) => ({
                    value: key,
                    label: timesOfDay[key].label,
                    hint: timesOfDay[key].hint,
                  })),
                  {
                    value: 'between',
                    label: 'Between times',
                    conditional: (
                      <>
                        <TextInput
                          id="from"
                          label="From"
                          hint="For example, 13:30"
                          width={5}
                          autoComplete="off"
                          defaultValue={time === 'between' ? (values.from ?? '') : ''}
                          error={errors.messageFor('from')}
                        />
                        <TextInput
                          id="to"
                          label="To"
                          width={5}
                          autoComplete="off"
                          defaultValue={time === 'between' ? (values.to ?? '') : ''}
                          error={errors.messageFor('to')}
                        />
                      </>
                    ),
                  },
                ]}
              />
              <TextInput
                id="age"
                label="Age of the person"
                width={3}
                inputMode="numeric"
                autoComplete="off"
                defaultValue={values.age ?? ''}
                error={errors.messageFor('age')}
              />
              <Select
                id="attending"
                label="How they want to attend"
                placeholder="Any way"
                options={(Object.keys(attendingLabels) as AttendingType[]).map((value) => ({
                  value,
                  label: attendingLabels[value],
                }))}
                defaultValue={values.attending ?? ''}
                error={errors.messageFor('attending')}
              />
              <TextInput
                id="language"
                label="Language spoken at the service"
                hint="For example, Polish"
                width={20}
                autoComplete="off"
                defaultValue={values.language ?? ''}
                error={errors.messageFor('language')}
              />
              <Select
                id="accessibility"
                label="Accessibility"
                placeholder="No particular need"
                options={(Object.keys(accessibilityLabels) as AccessibilityFeature[]).map((value) => ({
                  value,
                  label: accessibilityLabels[value],
                }))}
                defaultValue={values.accessibility ?? ''}
                error={errors.messageFor('accessibility')}
              />
              <Checkboxes
                id="free"
                legend="Cost"
                small
                items={[{ value: 'true', label: 'Free services only' }]}
                defaultValues={values.free ? ['true'] : []}
                error={errors.messageFor('free')}
              />
              {editor && (
                <Checkboxes
                  id="includeClosed"
                  legend="Closed services"
                  small
                  items={[{ value: 'true', label: 'Include services that are not running' }]}
                  defaultValues={values.includeClosed ? ['true'] : []}
                />
              )}
            </div>
          </details>
          <div className="app-actions">
            <button className="nhsuk-button" type="submit">
              Search
            </button>
            {hasFilters(values) && (
              <p className="nhsuk-body">
                <Link
                  to={withQuery('/directory', { referral: referralId, q: values.q })}
                  state={{ searched: true }}
                >
                  Clear filters
                </Link>
              </p>
            )}
          </div>
        </form>
      </search>

      {search.isPending && <Loading what="services" />}
      {search.isError && !invalid && <InlineProblem error={search.error} />}
      {search.isSuccess && (
        <section aria-labelledby="results-heading">
          <h2 className="nhsuk-heading-m" id="results-heading">
            {total === 0 ? 'No services found' : servicesCount(total)}
          </h2>
          {search.data.approximate && total > 0 && (
            <p>No service has exactly those words, so these are services with words like them.</p>
          )}
          {filtersText.length > 0 && <p className="nhsuk-body-s">Filtered by: {filtersText.join('; ')}.</p>}
          {total === 0 ? (
            <p>Try other words, fewer filters or a longer distance.</p>
          ) : (
            <>
              {pages > 1 && (
                <p className="nhsuk-body-s">
                  Page {page} of {pages}
                </p>
              )}
              <ul className="nhsuk-list app-results">
                {search.data.items.map((result) => (
                  <ResultCard
                    key={result.id}
                    result={result}
                    referralId={referralId}
                    person={person}
                    from={here}
                  />
                ))}
              </ul>
              <Pagination
                page={page}
                pages={pages}
                what="services"
                hrefFor={(to) =>
                  withQuery('/directory', {
                    referral: referralId,
                    ...values,
                    page: to === 1 ? undefined : to,
                  })
                }
              />
            </>
          )}
        </section>
      )}
    </TwoThirds>
  );
}
