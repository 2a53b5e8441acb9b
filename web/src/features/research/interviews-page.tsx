import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  type CollectionStatus,
  collectionModeLabels,
  collectionStatusLabels,
} from '../../../../src/modules/research/contract.ts';
import { formatDate, todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { FilterForm } from '../../components/filter-form.tsx';
import { type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import {
  BackLink,
  ButtonLink,
  Loading,
  PageHeading,
  SuccessBanner,
  Tag,
} from '../../components/page-parts.tsx';
import { ResponsiveTable, type TableColumn } from '../../components/responsive-table.tsx';
import { Select } from '../../components/select.tsx';
import { collectionKindLabels, collectionStatusColours } from './labels.ts';
import { canWrite, SavedBanner, showProblem, WithStudy } from './research-parts.tsx';
import {
  type Collection,
  researchPaths,
  type Study,
  useCollections,
  useUpdateCollection,
} from './research-queries.ts';

/*
 * A study's interviews and observations, planned and held, by work package. A planned one is closed from its row:
 * done (with the date it took place; the API refuses it without the participant's consent to be interviewed),
 * cancelled, or did not attend.
 */

const outcomes: CollectionStatus[] = ['done', 'cancelled', 'did_not_attend'];

function describe(c: Collection): string {
  return `${c.participantCode ?? c.caseLabel ?? 'The study'}’s ${collectionKindLabels[c.kind].toLowerCase()} on ${formatDate(c.scheduledOn)}`;
}

function CloseForm({
  collection,
  errors,
  onDone,
  onCancel,
}: {
  collection: Collection;
  errors: FormErrors;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const update = useUpdateCollection();
  // The day it was planned for, unless that is still to come (the date it took place cannot be in the future).
  const heldSuggestion = [collection.scheduledOn, todayInEngland()].sort()[0];
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    const form = new FormData(event.currentTarget);
    const status = String(form.get('status') ?? '') as CollectionStatus | '';
    if (!status) return errors.show([{ field: 'status', message: 'Choose what happened' }]);
    let heldOn: string | null = null;
    if (status === 'done') {
      const reading = readDate(form, 'heldOn', 'The date it took place');
      if (reading.kind !== 'date') {
        return errors.show([
          {
            field: 'heldOn',
            message: reading.kind === 'invalid' ? reading.message : 'Enter the date it took place',
          },
        ]);
      }
      heldOn = reading.value;
    }
    errors.clear();
    update.mutate(
      { id: collection.id, body: { status, heldOn, version: collection.version } },
      {
        onSuccess: () =>
          onDone(
            `${describe(collection)} is marked ${collectionStatusLabels[status].toLowerCase()}${heldOn ? ` (${formatDate(heldOn)})` : ''}.`,
          ),
        onError: (error) => showProblem(errors, error),
      },
    );
  };

  return (
    <section aria-labelledby="close-heading" className="app-research-group">
      <h2 className="nhsuk-heading-m" id="close-heading" ref={heading} tabIndex={-1}>
        What happened: {describe(collection)}
      </h2>
      <form onSubmit={submit} noValidate>
        <Radios
          id="status"
          legend="What happened?"
          items={outcomes.map((s) => ({
            value: s,
            label: s === 'done' ? 'It took place' : collectionStatusLabels[s],
            conditional:
              s === 'done' ? (
                <DateInput
                  id="heldOn"
                  legend="Date it took place"
                  hint="For example, 15 3 2026"
                  defaultValue={heldSuggestion}
                  error={errors.messageFor('heldOn')}
                />
              ) : undefined,
          }))}
          error={errors.messageFor('status')}
        />
        <div className="app-actions">
          <button className="nhsuk-button" type="submit" disabled={update.isPending}>
            Save
          </button>
          <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

function columns(
  study: Study,
  action?: (c: Collection) => ReactNode,
  heldColumn = false,
): TableColumn<Collection>[] {
  return [
    {
      header: heldColumn ? 'Date' : 'Planned for',
      nowrap: true,
      cell: (c) => formatDate(c.heldOn ?? c.scheduledOn),
    },
    {
      header: 'Participant',
      nowrap: true,
      cell: (c) =>
        c.participantId ? (
          <Link to={researchPaths.participant(c.participantId, study.id)}>{c.participantCode}</Link>
        ) : (
          (c.caseLabel ?? 'None')
        ),
    },
    { header: 'What', cell: (c) => `${collectionKindLabels[c.kind]}, ${c.workPackage}` },
    { header: 'How', cell: (c) => collectionModeLabels[c.mode] },
    { header: 'Researcher', cell: (c) => c.researcherName ?? 'Not assigned' },
    { header: 'Topic guide', cell: (c) => c.topicGuideVersion ?? 'None' },
    {
      header: 'Status',
      cell: (c) => <Tag colour={collectionStatusColours[c.status]}>{collectionStatusLabels[c.status]}</Tag>,
    },
    ...(action ? [{ header: 'Action', hiddenHeader: true, cell: action }] : []),
  ];
}

function Interviews({ study }: { study: Study }) {
  const [params] = useSearchParams();
  const wp = params.get('wp');
  const collections = useCollections(study.id);
  const errors = useFormErrors({ anchors: { heldOn: 'heldOn-day' } });
  const [closing, setClosing] = useState<Collection | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const title = 'Interviews and observations';
  usePageTitle(`${title} – ${study.title}`, errors.hasErrors);
  const writer = canWrite(study.myRole);

  const shown = (collections.data ?? []).filter((c) => !wp || c.workPackage === wp);
  const planned = shown.filter((c) => c.status === 'planned');
  const closed = shown.filter((c) => c.status !== 'planned').reverse();
  const open = (c: Collection) => {
    errors.clear();
    setNotice(null);
    setClosing(c);
  };

  return (
    <>
      <BackLink to={researchPaths.study(study.id)}>Back to the study</BackLink>
      {notice ? (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{notice}</p>
        </SuccessBanner>
      ) : (
        <SavedBanner />
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{title}</PageHeading>
      {writer && (
        <ButtonLink to={researchPaths.newInterview(study.id)}>Plan an interview or observation</ButtonLink>
      )}
      <FilterForm action={researchPaths.interviews(study.id)} label="Interviews">
        <div className="app-actions">
          <Select
            id="wp"
            label="Work package"
            placeholder="All work packages"
            options={study.workPackages.map((w) => ({ value: w.code, label: `${w.code}: ${w.title}` }))}
            defaultValue={wp ?? ''}
            key={wp ?? ''}
          />
          <button className="nhsuk-button nhsuk-button--secondary app-research-filter-button" type="submit">
            Show
          </button>
        </div>
      </FilterForm>
      {collections.isPending && <Loading what="interviews" />}
      {collections.isError && <InlineProblem error={collections.error} />}
      {collections.data && (
        <>
          {planned.length === 0 ? (
            <>
              <h2 className="nhsuk-heading-m">Planned</h2>
              <p>Nothing planned{wp ? ` in ${wp}` : ''}.</p>
            </>
          ) : (
            <ResponsiveTable
              caption={`Planned${wp ? ` in ${wp}` : ''}`}
              items={planned}
              itemKey={(c) => c.id}
              columns={columns(
                study,
                writer
                  ? (c) => (
                      <button className="app-link-button" type="button" onClick={() => open(c)}>
                        Record what happened
                        <span className="nhsuk-u-visually-hidden"> at {describe(c)}</span>
                      </button>
                    )
                  : undefined,
              )}
            />
          )}
          {closing && (
            <div className="nhsuk-grid-row">
              <div className="nhsuk-grid-column-two-thirds">
                <CloseForm
                  key={closing.id}
                  collection={closing}
                  errors={errors}
                  onDone={(message) => {
                    setClosing(null);
                    setNotice(message);
                  }}
                  onCancel={() => {
                    errors.clear();
                    setClosing(null);
                  }}
                />
              </div>
            </div>
          )}
          {closed.length === 0 ? (
            <>
              <h2 className="nhsuk-heading-m">Held or closed</h2>
              <p>None yet.</p>
            </>
          ) : (
            <ResponsiveTable
              caption={`Held or closed${wp ? ` in ${wp}` : ''}, latest first`}
              items={closed}
              itemKey={(c) => c.id}
              columns={columns(study, undefined, true)}
            />
          )}
        </>
      )}
    </>
  );
}

export function InterviewsPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <Interviews study={study} />}</WithStudy>;
}
