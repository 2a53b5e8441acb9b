import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { service as orukService } from '../../../../src/modules/directory/oruk.ts';
import { isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { Checkboxes, Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { BackLink, InsetText, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { isStale } from '../episodes/episode-parts.tsx';
import { servicePath, TermCheckboxes } from './directory-parts.tsx';
import { type ServiceStatus, serviceStatusLabels, weekdayLabels, weekdays } from './labels.ts';
import {
  type ServiceDetail,
  type TaxonomyTerm,
  useDirectoryService,
  useDirectoryTerms,
  useReloadService,
  useSaveService,
} from './queries.ts';
import {
  buildService,
  checkServiceValues,
  formNotes,
  formValuesOf,
  problemFromOruk,
  readServiceForm,
  type ServicePaths,
  uniqueByField,
} from './service-form.ts';
import type { Json } from './service-view.ts';

const statuses = Object.keys(serviceStatusLabels) as ServiceStatus[];

function ServiceForm({
  detail,
  terms,
  onReloaded,
}: {
  detail: ServiceDetail | null;
  terms: TaxonomyTerm[];
  onReloaded: () => void;
}) {
  const navigate = useNavigate();
  const record = detail ? (detail.oruk as Json) : null;
  const initial = formValuesOf(record);
  const notes = formNotes(record);
  const errors = useFormErrors();
  const save = useSaveService(detail?.id ?? null);
  const reload = useReloadService(detail?.id ?? '');
  const [stale, setStale] = useState(false);
  const title = detail ? `Change ${initial.name}` : 'Add a service';
  usePageTitle(title, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    const values = readServiceForm(new FormData(event.currentTarget));
    const { service, paths } = buildService(
      values,
      record,
      terms.map((term) => term.id),
    );
    const fromOruk = (found: { field: string; message: string }[], at: ServicePaths) =>
      found.map((problem) => problemFromOruk(problem, at));
    const parsed = orukService.safeParse(service);
    const problems = uniqueByField([
      ...checkServiceValues(values),
      ...(parsed.success
        ? []
        : fromOruk(
            parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
            paths,
          )),
    ]);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    setStale(false);
    save.mutate(
      { version: detail?.version ?? null, service },
      {
        onSuccess: (saved) =>
          navigate(servicePath(saved.id), {
            state: {
              saved: detail ? 'Your changes are saved.' : `${values.name} is added to the directory.`,
            },
          }),
        onError: (error) => {
          if (isStale(error)) {
            setStale(true);
            errors.show([
              {
                field: '',
                message:
                  'Someone else changed this service while you were editing it. Reload it, then make your changes again.',
              },
            ]);
          } else if (isProblem(error) && error.errors.length > 0) {
            errors.show(uniqueByField(fromOruk(error.errors, paths)));
          } else errors.showError(error);
        },
      },
    );
  };

  return (
    <TwoThirds>
      <BackLink to={detail ? servicePath(detail.id) : '/directory'}>
        {detail ? `Back to ${initial.name}` : 'Back to find services'}
      </BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {stale && (
        <p>
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            onClick={async () => {
              errors.clear();
              setStale(false);
              await reload();
              onReloaded();
            }}
          >
            Reload the service
          </button>
        </p>
      )}
      <PageHeading>{title}</PageHeading>
      <form onSubmit={submit} noValidate>
        <h2 className="nhsuk-heading-m">About the service</h2>
        <TextInput
          id="name"
          label="Name"
          autoComplete="off"
          defaultValue={initial.name}
          error={errors.messageFor('name')}
        />
        <Textarea
          id="description"
          label="Description (optional)"
          hint="What happens there, in a few sentences a link worker can read out"
          rows={4}
          defaultValue={initial.description}
          error={errors.messageFor('description')}
        />
        <TextInput
          id="organisationName"
          label="Organisation that runs it (optional)"
          autoComplete="off"
          defaultValue={initial.organisationName}
          error={errors.messageFor('organisationName')}
        />
        <Radios
          id="status"
          legend="Is it running?"
          defaultValue={initial.status}
          items={statuses.map((status) => ({ value: status, label: serviceStatusLabels[status] }))}
          error={errors.messageFor('status')}
        />

        <h2 className="nhsuk-heading-m">Getting in touch</h2>
        <TextInput
          id="url"
          label="Website (optional)"
          hint="For example, https://example.org/walks"
          type="url"
          autoComplete="off"
          spellCheck={false}
          defaultValue={initial.url}
          error={errors.messageFor('url')}
        />
        <TextInput
          id="email"
          label="Email address (optional)"
          type="email"
          autoComplete="off"
          spellCheck={false}
          defaultValue={initial.email}
          error={errors.messageFor('email')}
        />
        <TextInput
          id="phone"
          label="Phone number (optional)"
          type="tel"
          width={20}
          autoComplete="off"
          defaultValue={initial.phone}
          error={errors.messageFor('phone')}
        />

        <h2 className="nhsuk-heading-m">Where it happens</h2>
        <p className="nhsuk-hint">
          Leave these empty for a service run online or by phone.
          {notes.locations > 1 &&
            ` It happens at ${notes.locations} places: this form changes the first, and the others stay as they are.`}
        </p>
        <TextInput
          id="locationName"
          label="Name of the place (optional)"
          hint="For example, St Anne’s church hall"
          autoComplete="off"
          defaultValue={initial.locationName}
          error={errors.messageFor('locationName')}
        />
        <TextInput
          id="address1"
          label="Address line 1"
          autoComplete="off"
          defaultValue={initial.address1}
          error={errors.messageFor('address1')}
        />
        <TextInput
          id="town"
          label="Town or city"
          width={20}
          autoComplete="off"
          defaultValue={initial.town}
          error={errors.messageFor('town')}
        />
        <TextInput
          id="postcode"
          label="Postcode"
          hint="Link workers find services by distance from it"
          width={10}
          autoComplete="off"
          spellCheck={false}
          defaultValue={initial.postcode}
          error={errors.messageFor('postcode')}
        />
        <Textarea
          id="accessibility"
          label="Accessibility (optional)"
          hint="For example, step-free entrance, hearing loop, accessible toilet, disabled parking, BSL interpreter"
          rows={2}
          defaultValue={initial.accessibility}
          error={errors.messageFor('accessibility')}
        />

        <h2 className="nhsuk-heading-m">When it runs</h2>
        {notes.scheduleKept ? (
          <InsetText>
            <p>
              Its times are more than this form can change
              {detail && detail.when.length > 0 ? ` (${detail.when.join('; ')})` : ''}, so they stay as they
              are.
            </p>
          </InsetText>
        ) : (
          <>
            {notes.schedules > 1 && (
              <p className="nhsuk-hint">
                It has {notes.schedules} sets of times: this form changes the first, and the others stay as
                they are.
              </p>
            )}
            <Checkboxes
              id="days"
              legend="Days"
              hint="Leave them all empty if it has no regular days"
              small
              items={weekdays.map((day) => ({ value: day, label: weekdayLabels[day] }))}
              defaultValues={initial.days}
              error={errors.messageFor('days')}
            />
            <div className="app-time-pair">
              <TextInput
                id="opens"
                label="Opens at (optional)"
                hint="For example, 09:30"
                width={5}
                autoComplete="off"
                defaultValue={initial.opens}
                error={errors.messageFor('opens')}
              />
              <TextInput
                id="closes"
                label="Closes at (optional)"
                hint="For example, 11:00"
                width={5}
                autoComplete="off"
                defaultValue={initial.closes}
                error={errors.messageFor('closes')}
              />
            </div>
            <TextInput
              id="attending"
              label="How people attend (optional)"
              hint="For example, in person, online or by phone"
              autoComplete="off"
              defaultValue={initial.attending}
              error={errors.messageFor('attending')}
            />
          </>
        )}

        <h2 className="nhsuk-heading-m">Cost</h2>
        <Radios
          id="cost"
          legend="Does it cost anything?"
          defaultValue={initial.cost}
          error={errors.messageFor('cost')}
          items={[
            { value: 'free', label: 'It is free' },
            {
              value: 'cost',
              label: 'It costs money',
              conditional: (
                <TextInput
                  id="costText"
                  label="What does it cost?"
                  hint="For example, £3 a session, or free for carers"
                  autoComplete="off"
                  defaultValue={initial.costText}
                  error={errors.messageFor('costText')}
                />
              ),
            },
            { value: 'unknown', label: 'Not known' },
          ]}
        />

        <h2 className="nhsuk-heading-m">Who it is for</h2>
        <div className="app-time-pair">
          <TextInput
            id="minimumAge"
            label="Youngest age (optional)"
            width={3}
            inputMode="numeric"
            autoComplete="off"
            defaultValue={initial.minimumAge}
            error={errors.messageFor('minimumAge')}
          />
          <TextInput
            id="maximumAge"
            label="Oldest age (optional)"
            width={3}
            inputMode="numeric"
            autoComplete="off"
            defaultValue={initial.maximumAge}
            error={errors.messageFor('maximumAge')}
          />
        </div>
        <Textarea
          id="eligibility"
          label="Who can use it (optional)"
          hint="For example, carers of someone living with dementia"
          rows={2}
          defaultValue={initial.eligibility}
          error={errors.messageFor('eligibility')}
        />
        <TextInput
          id="languages"
          label="Languages spoken (optional)"
          hint="Separate them with commas, for example English, Polish, Urdu"
          autoComplete="off"
          defaultValue={initial.languages}
          error={errors.messageFor('languages')}
        />

        <TermCheckboxes
          id="terms"
          legend="Kinds of service"
          hint="Link workers find services by these, and by the needs they answer"
          terms={terms}
          checked={initial.termIds}
          error={errors.messageFor('terms')}
        />
        <button className="nhsuk-button" type="submit">
          {detail ? 'Save changes' : 'Add service'}
        </button>
      </form>
    </TwoThirds>
  );
}

function ServiceFormLoader({ id }: { id: string | null }) {
  const [reloads, setReloads] = useState(0);
  const terms = useDirectoryTerms();
  const service = useDirectoryService(id ?? '', { enabled: id !== null });
  if (terms.isPending || (id !== null && service.isPending)) return <Loading />;
  if (terms.isError) return <ProblemPage error={terms.error} />;
  if (service.isError) return <ProblemPage error={service.error} />;
  const detail = id === null ? null : (service.data ?? null);
  // Reloading after someone else's change starts the form again from their version. (Not on every new version:
  // saving refreshes the service too, and the form must stay to finish saving.)
  return (
    <ServiceForm
      detail={detail}
      terms={terms.data}
      key={reloads}
      onReloaded={() => setReloads((count) => count + 1)}
    />
  );
}

export function ServiceNewPage() {
  return <ServiceFormLoader id={null} />;
}

export function ServiceEditPage() {
  const { id = '' } = useParams();
  return <ServiceFormLoader id={id} />;
}
