import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  type Episode,
  goalStatuses,
  type PlanInput,
  planBody,
} from '../../../../src/modules/pathway/contract.ts';
import { type FieldProblem, isProblem } from '../../app/api.ts';
import { listOf, todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { DateInput, type DateReading, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { type NeedsDomain, reasonLabeller, useNeedsDomains } from '../referrals/queries.ts';
import { episodePath, isStale, latestWhatMatters, WithOpenEpisode } from './episode-parts.tsx';
import { dateValue, optionalText, textOf } from './form-values.ts';
import { goalStatusLabels } from './labels.ts';
import { useReloadEpisode, useSavePlan } from './queries.ts';

const maxGoals = 12;
const maxActions = 20;

interface ActionRow {
  key: number;
  who: string;
  what: string;
  byWhen: string | null;
  done: boolean;
}

interface GoalRow {
  key: number;
  /** Set for a goal already in the plan, so it keeps its id and its progress. */
  id: string | undefined;
  description: string;
  needsDomain: string | null;
  services: string | null;
  reviewOn: string | null;
  status: string;
  actions: ActionRow[];
}

/** Field ids are the API's dotted paths with dashes, so its field errors link to the right input. */
const goalField = (goal: number, part: string) => `goals-${goal}-${part}`;
const actionField = (goal: number, action: number, part: string) => `goals-${goal}-actions-${action}-${part}`;

/** Plainer words for a goal's or an action's problems, saying which one. */
function numberProblems(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((problem) => {
    if (problem.message.startsWith('Keep') || problem.message.startsWith('Enter')) return problem;
    const action = /^goals\.(\d+)\.actions\.(\d+)\.(who|what)$/.exec(problem.field);
    if (action) {
      const which = `action ${Number(action[2]) + 1} of goal ${Number(action[1]) + 1}`;
      return {
        ...problem,
        message: action[3] === 'who' ? `Say who will do ${which}` : `Say what will be done for ${which}`,
      };
    }
    const goal = /^goals\.(\d+)\.description$/.exec(problem.field);
    if (goal) return { ...problem, message: `Write goal ${Number(goal[1]) + 1} in the person’s words` };
    return problem;
  });
}

function readBody(form: FormData, rows: GoalRow[], version: number | null) {
  const dates: Record<string, { reading: DateReading; what: string }> = {};
  const date = (id: string, field: string, what: string) => {
    const reading = readDate(form, id, what, '26 11 2026');
    dates[field] = { reading, what };
    return dateValue(reading);
  };
  const body = {
    version,
    agreedOn: date('agreedOn', 'agreedOn', 'The date the plan was agreed') ?? '',
    summary: optionalText(form, 'summary'),
    goals: rows.map((row, g) => ({
      ...(row.id ? { id: row.id } : {}),
      description: textOf(form, goalField(g, 'description')),
      needsDomain: optionalText(form, goalField(g, 'needsDomain')),
      services: optionalText(form, goalField(g, 'services')),
      reviewOn: date(goalField(g, 'reviewOn'), `goals.${g}.reviewOn`, `The review date of goal ${g + 1}`),
      status: row.id ? textOf(form, goalField(g, 'status')) || 'active' : 'active',
      actions: row.actions.map((_, a) => ({
        who: textOf(form, actionField(g, a, 'who')),
        what: textOf(form, actionField(g, a, 'what')),
        byWhen: date(
          actionField(g, a, 'byWhen'),
          `goals.${g}.actions.${a}.byWhen`,
          `The date for action ${a + 1} of goal ${g + 1}`,
        ),
        done: form.get(actionField(g, a, 'done')) === 'done',
      })),
    })),
  };
  const problems = numberProblems(check(planBody, body)).map((problem) => {
    const found = dates[problem.field];
    if (!found) return problem;
    if (found.reading.kind === 'invalid') return { ...problem, message: found.reading.message };
    if (found.reading.kind === 'empty') return { ...problem, message: `Enter ${found.what.toLowerCase()}` };
    return problem;
  });
  if (body.agreedOn && body.agreedOn > todayInEngland()) {
    problems.push({
      field: 'agreedOn',
      message: 'The date the plan was agreed must be today or in the past',
    });
  }
  return { body: body as PlanInput, problems };
}

/** The date fields' error links go to their day input. */
function dateAnchors(rows: GoalRow[]): Record<string, string> {
  const anchors: Record<string, string> = { agreedOn: 'agreedOn-day' };
  rows.forEach((row, g) => {
    anchors[`goals.${g}.reviewOn`] = `${goalField(g, 'reviewOn')}-day`;
    row.actions.forEach((_, a) => {
      anchors[`goals.${g}.actions.${a}.byWhen`] = `${actionField(g, a, 'byWhen')}-day`;
    });
  });
  return anchors;
}

function PlanForm({ episode, domains }: { episode: Episode; domains: NeedsDomain[] }) {
  const navigate = useNavigate();
  const plan = episode.plan;
  const save = useSavePlan(episode.referralId);
  const reload = useReloadEpisode(episode.referralId);
  const [stale, setStale] = useState(false);
  const nextKey = useRef(0);
  const key = () => nextKey.current++;
  const emptyAction = (): ActionRow => ({ key: key(), who: '', what: '', byWhen: null, done: false });
  const emptyGoal = (): GoalRow => ({
    key: key(),
    id: undefined,
    description: '',
    needsDomain: null,
    services: null,
    reviewOn: null,
    status: 'active',
    actions: [],
  });
  const [rows, setRows] = useState<GoalRow[]>(() =>
    plan && plan.goals.length > 0
      ? [...plan.goals]
          .sort((a, b) => a.position - b.position)
          .map((goal) => ({
            key: key(),
            id: goal.id,
            description: goal.description,
            needsDomain: goal.needsDomain,
            services: goal.services,
            reviewOn: goal.reviewOn,
            status: goal.status,
            actions: goal.actions.map((action) => ({ key: key(), ...action })),
          }))
      : [emptyGoal()],
  );
  const errors = useFormErrors({ anchors: dateAnchors(rows) });
  const focusOn = useRef<string | null>(null);
  const title = plan ? 'Change the support plan' : 'Create the support plan';
  usePageTitle(title, errors.hasErrors);

  useEffect(() => {
    if (focusOn.current === null) return;
    document.getElementById(focusOn.current)?.focus();
    focusOn.current = null;
  });

  const addGoal = () => {
    focusOn.current = goalField(rows.length, 'description');
    setRows([...rows, emptyGoal()]);
  };
  const removeGoal = (index: number) => {
    errors.clear();
    focusOn.current = 'add-goal';
    setRows(rows.filter((_, g) => g !== index));
  };
  const addAction = (index: number) => {
    const goal = rows[index];
    if (!goal) return;
    focusOn.current = actionField(index, goal.actions.length, 'who');
    setRows(rows.map((row, g) => (g === index ? { ...row, actions: [...row.actions, emptyAction()] } : row)));
  };
  const removeAction = (index: number, actionIndex: number) => {
    errors.clear();
    focusOn.current = goalField(index, 'add-action');
    setRows(
      rows.map((row, g) =>
        g === index ? { ...row, actions: row.actions.filter((_, a) => a !== actionIndex) } : row,
      ),
    );
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    const { body, problems } = readBody(new FormData(event.currentTarget), rows, plan?.version ?? null);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    setStale(false);
    save.mutate(body, {
      onSuccess: () =>
        navigate(episodePath(episode.referralId), {
          state: { saved: plan ? 'Support plan saved.' : 'Support plan created.' },
        }),
      onError: (error) => {
        if (isStale(error)) {
          setStale(true);
          errors.show([
            {
              field: '',
              message:
                'Someone else changed this plan while you were editing it. Reload the plan, then make your changes again.',
            },
          ]);
        } else if (isProblem(error) && error.errors.length > 0) errors.show(numberProblems(error.errors));
        else errors.showError(error);
      },
    });
  };

  const latest = latestWhatMatters(episode);
  const labelFor = reasonLabeller(domains);
  const needsHint = latest?.needs.length
    ? `From the what matters conversation: ${listOf([...new Set(latest.needs.map((need) => labelFor(need.domain)))])}`
    : undefined;
  const options = domains.map((domain) => ({ value: domain.code, label: domain.label }));
  for (const row of rows) {
    if (row.needsDomain && !options.some((option) => option.value === row.needsDomain)) {
      options.push({ value: row.needsDomain, label: row.needsDomain });
    }
  }
  // A problem with the goals as a whole, such as having none, rather than with one goal.
  const goalsProblem = errors.items.find((item) => item.targetId === 'goals')?.text;

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
            Reload the plan
          </button>
        </p>
      )}
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      <p>
        Agree the plan with {episode.personName}: their goals in their own words, the services that can help
        and who will do what.
      </p>
      {latest && (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">What matters to {episode.personName}</span>
          </summary>
          <div className="nhsuk-details__text">
            <p className="app-written">{latest.ownWords}</p>
          </div>
        </details>
      )}
      <form onSubmit={submit} noValidate>
        <DateInput
          id="agreedOn"
          legend="When did you agree the plan?"
          hint="For example, 26 11 2026"
          defaultValue={plan?.agreedOn ?? todayInEngland()}
          error={errors.messageFor('agreedOn')}
        />
        <Textarea
          id="summary"
          label="Summary (optional)"
          hint="The plan in a few sentences"
          rows={3}
          defaultValue={plan?.summary ?? ''}
          error={errors.messageFor('summary')}
        />

        <h2 className="nhsuk-heading-m">Goals</h2>
        {goalsProblem && (
          <p className="nhsuk-error-message" id="goals">
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {goalsProblem}
          </p>
        )}
        {plan && <p className="nhsuk-hint">To take a goal out of the plan, mark it as stopped.</p>}
        {rows.map((row, g) => (
          <div className="app-repeat-row" key={row.key}>
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Goal {g + 1}</legend>
              <Textarea
                id={goalField(g, 'description')}
                label="The goal, in their words"
                hint="For example, ‘I want to get out of the house and meet people’"
                rows={2}
                defaultValue={row.description}
                error={errors.messageFor(`goals.${g}.description`)}
              />
              <Select
                id={goalField(g, 'needsDomain')}
                label="Which need is it about? (optional)"
                hint={needsHint}
                placeholder="Not linked to a need"
                options={options}
                defaultValue={row.needsDomain ?? ''}
                error={errors.messageFor(`goals.${g}.needsDomain`)}
              />
              <Textarea
                id={goalField(g, 'services')}
                label="Services to connect with (optional)"
                hint="Groups, organisations and services that could help"
                rows={2}
                defaultValue={row.services ?? ''}
                error={errors.messageFor(`goals.${g}.services`)}
              />
              <DateInput
                id={goalField(g, 'reviewOn')}
                legend="When will you review it? (optional)"
                hint="For example, 26 1 2027"
                defaultValue={row.reviewOn}
                error={errors.messageFor(`goals.${g}.reviewOn`)}
              />
              {row.id && (
                <Radios
                  id={goalField(g, 'status')}
                  legend="Status"
                  inline
                  small
                  items={choicesFrom(goalStatuses, goalStatusLabels)}
                  defaultValue={row.status}
                  error={errors.messageFor(`goals.${g}.status`)}
                />
              )}

              <h3 className="nhsuk-heading-s">Actions for goal {g + 1}</h3>
              {row.actions.length === 0 && <p>No actions yet.</p>}
              {row.actions.map((action, a) => (
                <div className="app-repeat-row app-repeat-row--inner" key={action.key}>
                  <fieldset className="nhsuk-fieldset">
                    <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                      Action {a + 1} for goal {g + 1}
                    </legend>
                    <TextInput
                      id={actionField(g, a, 'who')}
                      label="Who will do it?"
                      hint="For example, the person, the link worker or a family member"
                      autoComplete="off"
                      defaultValue={action.who}
                      error={errors.messageFor(`goals.${g}.actions.${a}.who`)}
                    />
                    <Textarea
                      id={actionField(g, a, 'what')}
                      label="What will they do?"
                      rows={2}
                      defaultValue={action.what}
                      error={errors.messageFor(`goals.${g}.actions.${a}.what`)}
                    />
                    <DateInput
                      id={actionField(g, a, 'byWhen')}
                      legend="By when? (optional)"
                      defaultValue={action.byWhen}
                      error={errors.messageFor(`goals.${g}.actions.${a}.byWhen`)}
                    />
                    <div className="nhsuk-form-group">
                      <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                        <div className="nhsuk-checkboxes__item">
                          <input
                            className="nhsuk-checkboxes__input"
                            id={actionField(g, a, 'done')}
                            name={actionField(g, a, 'done')}
                            type="checkbox"
                            value="done"
                            defaultChecked={action.done}
                          />
                          <label
                            className="nhsuk-label nhsuk-checkboxes__label"
                            htmlFor={actionField(g, a, 'done')}
                          >
                            Done
                          </label>
                        </div>
                      </div>
                    </div>
                    <button
                      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                      type="button"
                      onClick={() => removeAction(g, a)}
                    >
                      Remove
                      <span className="nhsuk-u-visually-hidden">
                        {' '}
                        action {a + 1} for goal {g + 1}
                      </span>
                    </button>
                  </fieldset>
                </div>
              ))}
              <div className="app-actions">
                {row.actions.length < maxActions && (
                  <button
                    className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                    type="button"
                    id={goalField(g, 'add-action')}
                    onClick={() => addAction(g)}
                  >
                    Add an action<span className="nhsuk-u-visually-hidden"> for goal {g + 1}</span>
                  </button>
                )}
                {!row.id && rows.length > 1 && (
                  <button
                    className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                    type="button"
                    onClick={() => removeGoal(g)}
                  >
                    Remove goal {g + 1}
                  </button>
                )}
              </div>
            </fieldset>
          </div>
        ))}
        {rows.length < maxGoals && (
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            id="add-goal"
            onClick={addGoal}
          >
            Add another goal
          </button>
        )}
        <div>
          <button className="nhsuk-button" type="submit">
            Save support plan
          </button>
        </div>
      </form>
    </TwoThirds>
  );
}

function PlanLoader({ episode }: { episode: Episode }) {
  const domains = useNeedsDomains();
  if (domains.isPending) return <Loading />;
  if (domains.isError) return <ProblemPage error={domains.error} />;
  return <PlanForm key={episode.plan?.version ?? 0} episode={episode} domains={domains.data} />;
}

export function PlanPage() {
  const { id = '' } = useParams();
  return (
    <WithOpenEpisode
      referralId={id}
      title="Support plan"
      unavailable={(episode) =>
        episode.whatMatters.length > 0
          ? null
          : `Have a what matters conversation with ${episode.personName} before you agree a support plan.`
      }
    >
      {(episode) => <PlanLoader episode={episode} />}
    </WithOpenEpisode>
  );
}
