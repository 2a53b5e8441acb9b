import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ApiProblem, type FieldProblem } from '../../app/api.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { SuccessBanner } from '../../components/page-parts.tsx';
import { Select, type SelectOption } from '../../components/select.tsx';
import { realistPaths } from '../research/realist-queries.ts';
import type { ExplorerQueryValues } from './explorer-values.ts';
import { interval, signed } from './figures.ts';
import {
  type CandidateCmoc,
  type ExplorerCell,
  type ExplorerOptions,
  type ExplorerTable,
  useCreateCandidate,
} from './queries.ts';

/*
 * The join between the two halves: a researcher turns a group in the table into a candidate context–mechanism–
 * outcome configuration in a study they lead or research in. The API fills in the context and the outcome with
 * the figures (worked out again there), and leaves the mechanism for the interviews to find.
 */

const NOT_RECORDED = 'not_recorded';

/** The groups a configuration can be about: those the table shows, with their figures to choose by. */
export function candidateGroups(table: ExplorerTable): SelectOption[] {
  const crossed = table.levels.b !== null;
  const shown = (c: ExplorerCell) => !c.change.suppressed && c.a !== NOT_RECORDED && c.b !== NOT_RECORDED;
  const figures = (c: ExplorerCell) =>
    c.change.suppressed
      ? ''
      : ` (n = ${c.change.n}, mean change ${signed(c.change.meanChange)}, 95% CI ${interval(c.change.ci95)})`;
  return (crossed ? table.cells : table.aMargins).filter(shown).map((c) => ({
    value: crossed ? `${c.a}|${c.b}` : c.a!,
    label: `${crossed ? `${c.aLabel}; ${c.bLabel}` : c.aLabel}${figures(c)}`,
  }));
}

/** The API's fields in this form's names: the level (and the second factor's) is one choice of group here. */
function fieldOf(field: string): string {
  if (field === 'level' || field === 'byLevel') return 'group';
  if (field === 'studyId') return 'studyId';
  // Something wrong with the question itself: not a field of this form.
  return '';
}

export function CandidateSection({
  table,
  query,
  studies,
}: {
  table: ExplorerTable;
  query: ExplorerQueryValues;
  studies: ExplorerOptions['studies'];
}) {
  const errors = useFormErrors();
  const create = useCreateCandidate();
  const [made, setMade] = useState<{ cmoc: CandidateCmoc; study: string } | null>(null);
  const groups = candidateGroups(table);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const form = new FormData(event.currentTarget);
    const studyId = String(form.get('studyId') ?? '');
    const group = String(form.get('group') ?? '');
    const problems: FieldProblem[] = [];
    if (!studyId)
      problems.push({ field: 'studyId', message: 'Choose the study to add the configuration to' });
    if (!group) problems.push({ field: 'group', message: 'Choose the group the pattern is about' });
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    setMade(null);
    const [level = '', byLevel] = group.split('|');
    create.mutate(
      { studyId, query, level, ...(byLevel ? { byLevel } : {}) },
      {
        onSuccess: (cmoc) =>
          setMade({ cmoc, study: studies.find((s) => s.id === studyId)?.title ?? 'the study' }),
        onError: (error) => {
          if (error instanceof ApiProblem && error.errors.length > 0) {
            errors.show(error.errors.map((p) => ({ field: fieldOf(p.field), message: p.message })));
          } else errors.showError(error);
        },
      },
    );
  };

  return (
    <section className="app-insight-candidate" aria-labelledby="candidate-heading">
      <h2 className="nhsuk-heading-m" id="candidate-heading">
        Make this a candidate CMO configuration
      </h2>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {made && (
        <SuccessBanner title="Configuration proposed">
          <p className="nhsuk-notification-banner__heading">Added to {made.study} as a candidate</p>
          <p>
            “{made.cmoc.title}”.{' '}
            <Link
              className="nhsuk-notification-banner__link"
              to={realistPaths.cmoc(made.cmoc.id, made.cmoc.studyId)}
            >
              Open the configuration
            </Link>{' '}
            to find its mechanism in the qualitative work.
          </p>
        </SuccessBanner>
      )}
      <p>
        The group’s context and its outcome, with these figures, go into a study’s programme theory as a
        proposed configuration. The mechanism is left for the interviews to find.
      </p>
      {studies.length === 0 ? (
        <p>You lead or research in no study yet: a configuration can only go into a study you write in.</p>
      ) : groups.length === 0 ? (
        <p>No group in this table is shown (each has fewer than 5 people), so none can be quoted.</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Select
            id="studyId"
            label="Study"
            placeholder={studies.length === 1 ? undefined : 'Choose a study'}
            options={studies.map((s) => ({ value: s.id, label: s.title }))}
            error={errors.messageFor('studyId')}
          />
          <Select
            id="group"
            label="The group the pattern is about"
            hint="Only groups the table shows can be quoted"
            placeholder="Choose a group"
            options={groups}
            error={errors.messageFor('group')}
          />
          <button className="nhsuk-button" type="submit" disabled={create.isPending}>
            {create.isPending ? 'Proposing…' : 'Propose the configuration'}
          </button>
        </form>
      )}
    </section>
  );
}
