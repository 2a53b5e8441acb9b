import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  type Episode,
  needPriorities,
  type WhatMattersInput,
  whatMattersBody,
} from '../../../../src/modules/pathway/contract.ts';
import { type FieldProblem, isProblem } from '../../app/api.ts';
import { formatDate, todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { type NeedsDomain, useNeedsDomains } from '../referrals/queries.ts';
import { episodePath, isStale, latestWhatMatters, WithOpenEpisode } from './episode-parts.tsx';
import { dateProblems, optionalText, textOf } from './form-values.ts';
import { needPriorityLabels } from './labels.ts';
import { useReloadEpisode, useSaveWhatMatters } from './queries.ts';

const maxNeeds = 20;

interface NeedRow {
  key: number;
  domain: string;
  priority: string;
  concern: string;
}

const needField = (index: number, part: 'domain' | 'priority' | 'concern') => `needs-${index}-${part}`;

/** Plainer words for a need's problems, saying which need. */
function numberNeedProblems(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((problem) => {
    const match = /^needs\.(\d+)\.(domain|priority|concern)$/.exec(problem.field);
    if (!match) return problem;
    const number = Number(match[1]) + 1;
    const message =
      match[2] === 'domain'
        ? `Choose what need ${number} is about`
        : match[2] === 'priority'
          ? `Choose high, medium or low priority for need ${number}`
          : `Say what the concern is for need ${number}`;
    return { ...problem, message: problem.message.startsWith('Keep') ? problem.message : message };
  });
}

function readBody(form: FormData, rows: number, baseVersion: number | null) {
  const heldOn = readDate(form, 'heldOn', 'The date you talked', '26 11 2026');
  const body = {
    baseVersion,
    heldOn: heldOn.kind === 'date' ? heldOn.value : '',
    needs: Array.from({ length: rows }, (_, index) => ({
      domain: textOf(form, needField(index, 'domain')),
      priority: textOf(form, needField(index, 'priority')) || undefined,
      concern: textOf(form, needField(index, 'concern')),
    })),
    ownWords: textOf(form, 'ownWords'),
    strengths: optionalText(form, 'strengths'),
    barriers: optionalText(form, 'barriers'),
  };
  const problems = dateProblems(
    numberNeedProblems(
      check(whatMattersBody, body, { ownWords: 'Write what matters to them, in their words' }),
    ),
    'heldOn',
    heldOn,
    'Enter the date you talked',
  );
  if (heldOn.kind === 'date' && heldOn.value > todayInEngland()) {
    problems.push({ field: 'heldOn', message: 'The date you talked must be today or in the past' });
  }
  return { body: body as WhatMattersInput, problems };
}

function domainOptions(domains: NeedsDomain[], rows: NeedRow[]) {
  const options = domains.map((domain) => ({ value: domain.code, label: domain.label }));
  // A need recorded before its domain was retired still shows, under its code.
  for (const row of rows) {
    if (row.domain && !options.some((option) => option.value === row.domain)) {
      options.push({ value: row.domain, label: row.domain });
    }
  }
  return options;
}

function WhatMattersForm({ episode, domains }: { episode: Episode; domains: NeedsDomain[] }) {
  const navigate = useNavigate();
  const latest = latestWhatMatters(episode);
  const errors = useFormErrors({ anchors: { heldOn: 'heldOn-day' } });
  const save = useSaveWhatMatters(episode.referralId);
  const reload = useReloadEpisode(episode.referralId);
  const [stale, setStale] = useState(false);
  const nextKey = useRef(0);
  const newRow = (need?: { domain: string; priority: string; concern: string }): NeedRow => ({
    key: nextKey.current++,
    domain: need?.domain ?? '',
    priority: need?.priority ?? '',
    concern: need?.concern ?? '',
  });
  const [rows, setRows] = useState<NeedRow[]>(() =>
    latest && latest.needs.length > 0 ? latest.needs.map((need) => newRow(need)) : [newRow()],
  );
  const focusRow = useRef<number | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const title = latest ? 'Revisit what matters' : 'What matters conversation';
  usePageTitle(title, errors.hasErrors);

  useEffect(() => {
    if (focusRow.current === null) return;
    document.getElementById(needField(focusRow.current, 'domain'))?.focus();
    focusRow.current = null;
  });

  const add = () => {
    focusRow.current = rows.length;
    setRows([...rows, newRow()]);
  };
  const remove = (key: number) => {
    errors.clear();
    setRows(rows.filter((row) => row.key !== key));
    addButton.current?.focus();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    const { body, problems } = readBody(
      new FormData(event.currentTarget),
      rows.length,
      latest?.version ?? null,
    );
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    setStale(false);
    save.mutate(body, {
      onSuccess: () =>
        navigate(episodePath(episode.referralId), {
          state: { saved: latest ? 'What matters updated.' : 'What matters conversation recorded.' },
        }),
      onError: (error) => {
        if (isStale(error)) {
          setStale(true);
          errors.show([
            {
              field: '',
              message:
                'Someone else recorded a newer what matters conversation while you were writing. Reload it, then add your changes again.',
            },
          ]);
        } else if (isProblem(error) && error.errors.length > 0) errors.show(numberNeedProblems(error.errors));
        else errors.showError(error);
      },
    });
  };

  const options = domainOptions(domains, rows);
  // A problem with the list as a whole, such as having no needs, rather than with one need.
  const needsProblem = errors.items.find((item) => item.targetId === 'needs')?.text;
  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
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
            }}
          >
            Reload what matters
          </button>
        </p>
      )}
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      {latest ? (
        <p>
          This starts from the conversation on {formatDate(latest.heldOn)}. Saving records a new version;
          earlier versions are kept.
        </p>
      ) : (
        <p>
          Record what matters to {episode.personName}: their needs and concerns, what they say in their own
          words, their strengths and what gets in the way.
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <DateInput
          id="heldOn"
          legend="When did you talk?"
          hint="For example, 26 11 2026"
          defaultValue={todayInEngland()}
          error={errors.messageFor('heldOn')}
        />

        <h2 className="nhsuk-heading-m">Needs and concerns</h2>
        {needsProblem && (
          <p className="nhsuk-error-message" id="needs">
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {needsProblem}
          </p>
        )}
        {rows.map((row, index) => (
          <div className="app-repeat-row" key={row.key}>
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Need {index + 1}</legend>
              <Select
                id={needField(index, 'domain')}
                label="What is it about?"
                placeholder="Choose a need"
                options={options}
                defaultValue={row.domain}
                error={errors.messageFor(`needs.${index}.domain`)}
              />
              <Radios
                id={needField(index, 'priority')}
                legend="Priority"
                inline
                small
                items={choicesFrom(needPriorities, needPriorityLabels)}
                defaultValue={row.priority}
                error={errors.messageFor(`needs.${index}.priority`)}
              />
              <Textarea
                id={needField(index, 'concern')}
                label="What is the concern?"
                rows={3}
                defaultValue={row.concern}
                error={errors.messageFor(`needs.${index}.concern`)}
              />
              {rows.length > 1 && (
                <button
                  className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                  type="button"
                  onClick={() => remove(row.key)}
                >
                  Remove<span className="nhsuk-u-visually-hidden"> need {index + 1}</span>
                </button>
              )}
            </fieldset>
          </div>
        ))}
        {rows.length < maxNeeds && (
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            onClick={add}
            ref={addButton}
          >
            Add another need
          </button>
        )}

        <h2 className="nhsuk-heading-m">About {episode.personName}</h2>
        <Textarea
          id="ownWords"
          label="In their own words"
          hint="What matters to them, written as they said it"
          rows={6}
          defaultValue={latest?.ownWords}
          error={errors.messageFor('ownWords')}
        />
        <Textarea
          id="strengths"
          label="Strengths and assets (optional)"
          hint="What they are good at and enjoy, and the people, groups and places that help them"
          defaultValue={latest?.strengths ?? ''}
          error={errors.messageFor('strengths')}
        />
        <Textarea
          id="barriers"
          label="Barriers (optional)"
          hint="What gets in the way, for example money, transport, health or confidence"
          defaultValue={latest?.barriers ?? ''}
          error={errors.messageFor('barriers')}
        />
        <button className="nhsuk-button" type="submit">
          Save what matters
        </button>
      </form>
    </TwoThirds>
  );
}

function WhatMattersLoader({ episode }: { episode: Episode }) {
  const domains = useNeedsDomains();
  if (domains.isPending) return <Loading />;
  if (domains.isError) return <ProblemPage error={domains.error} />;
  return (
    <WhatMattersForm
      key={latestWhatMatters(episode)?.version ?? 0}
      episode={episode}
      domains={domains.data}
    />
  );
}

export function WhatMattersPage() {
  const { id = '' } = useParams();
  return (
    <WithOpenEpisode
      referralId={id}
      title="What matters conversation"
      unavailable={(episode) =>
        episode.firstContactAt
          ? null
          : `Record the first contact with ${episode.personName} before the what matters conversation.`
      }
    >
      {(episode) => <WhatMattersLoader episode={episode} />}
    </WithOpenEpisode>
  );
}
