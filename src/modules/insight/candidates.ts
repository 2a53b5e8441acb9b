import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import { ValidationError } from '../../platform/errors.ts';
import {
  comparisonLabels,
  comparisons,
  reportedMeasures,
  subtreeOf,
  visibleInstruments,
} from '../outcomes/report.ts';
import { createCmoc } from '../research/realist.ts';
import { listStudies } from '../research/service.ts';
import type { CandidateInput } from './contract.ts';
import { CAUTION, EXPLORER_READERS, type ExplorerCell, explorerTable } from './explorer.ts';
import { FACTORS, factorGroups } from './factors.ts';

/*
 * The explorer's choices, and the join between the two halves of Linkwork: a researcher turns a pattern in the
 * explorer into a candidate context–mechanism–outcome configuration in a study they write in. The context and the
 * outcome come from the pattern with its figures (recomputed here, never taken from the browser); the mechanism
 * is left for the interviews to find, and the configuration starts as proposed like any other.
 */

export const MECHANISM_TO_FIND = 'To be found in the qualitative work';

export async function explorerOptions(tx: Db, actor: Actor) {
  assertRole(actor, ...EXPLORER_READERS);
  const acting = actor.actingOrganisationId!;
  const tree = (await subtreeOf(tx, acting)).filter((o) => ['icb', 'pcn', 'gp_practice'].includes(o.type));
  const instruments = (await visibleInstruments(tx, actor))
    .map((i) => ({
      code: i.code,
      title: i.title,
      measures: reportedMeasures(i.definition).map((m) => ({
        key: m.key,
        label: m.label,
        kind: m.kind,
        higherIsBetter: m.higherIsBetter,
      })),
    }))
    .sort((a, b) => a.title.localeCompare(b.title));
  const studies = hasRole(actor, 'researcher')
    ? (await listStudies(tx, actor))
        .filter((s) => s.myRole === 'lead' || s.myRole === 'researcher')
        .map((s) => ({ id: s.id, title: s.title }))
    : [];
  return {
    instruments,
    comparisons: comparisons.map((c) => ({ code: c, label: comparisonLabels[c] })),
    factors: FACTORS.map((f) => ({ key: f.key, label: f.label, group: f.group, about: f.about })),
    factorGroups: Object.entries(factorGroups).map(([code, label]) => ({ code, label })),
    organisations: tree.map((o) => ({ id: o.id, name: o.name, type: o.type, parentId: o.parent_id })),
    actingOrganisationId: acting,
    studies,
  };
}

function figuresOf(cell: ExplorerCell, higherIsBetter: boolean): string {
  const c = cell.change;
  if (c.suppressed || c.meanChange === null) return '';
  const ci = c.ci95 ? ` (95% CI ${c.ci95.lower.toFixed(2)} to ${c.ci95.upper.toFixed(2)})` : '';
  const effect = c.effectSize.kazis === null ? '' : `, effect size ${c.effectSize.kazis.toFixed(2)}`;
  return `n = ${c.n}, mean change ${c.meanChange.toFixed(2)}${ci}${effect}; ${higherIsBetter ? 'higher' : 'lower'} scores are better`;
}

export async function createCandidateCmoc(tx: Db, actor: Actor, input: CandidateInput) {
  assertRole(actor, 'researcher');
  const table = await explorerTable(tx, actor, input.query);
  const [fa, fb] = table.factors;
  const cellOf = () => {
    if (fb) {
      if (!input.byLevel) {
        throw new ValidationError('Choose the group of the second factor too', { field: 'byLevel' });
      }
      return table.cells.find((c) => c.a === input.level && c.b === input.byLevel);
    }
    return table.aMargins.find((c) => c.a === input.level);
  };
  const cell = cellOf();
  if (!cell) throw new ValidationError('Choose a group shown in the table', { field: 'level' });
  if (cell.change.suppressed) {
    throw new ValidationError(
      'This group is not shown (too few people, or hidden to protect a small group): a configuration cannot quote it.',
      { field: 'level' },
    );
  }
  const total = table.total.change;
  const measure = `${table.measure.label} (${table.instrument.title})`;
  const window = table.comparisonLabel.toLowerCase();
  const contexts = [
    `${fa!.label}: ${cell.aLabel}`,
    ...(fb && cell.bLabel ? [`${fb.label}: ${cell.bLabel}`] : []),
  ];
  const better = (table.measure.higherIsBetter ? 1 : -1) * (cell.change.meanChange ?? 0);
  const outcome = `${better > 0 ? 'Improvement' : 'Less improvement'} in ${measure}, ${window}: ${figuresOf(cell, table.measure.higherIsBetter)}`;
  const memo = [
    `From the what-works explorer, ${table.organisation.name}, baselines ${table.period.from} to ${table.period.to}.`,
    `This group: ${figuresOf(cell, table.measure.higherIsBetter)}.`,
    total.suppressed ? '' : `Everyone in the table: ${figuresOf(table.total, table.measure.higherIsBetter)}.`,
    'The mechanism is left for the interviews to find.',
    CAUTION,
  ]
    .filter(Boolean)
    .join('\n\n');
  return createCmoc(tx, actor, input.studyId, {
    title: `${contexts.map((c) => c.split(': ')[1]).join(', ')}: ${table.measure.label}`.slice(0, 200),
    contexts,
    mechanismResource: MECHANISM_TO_FIND,
    mechanismResponse: MECHANISM_TO_FIND,
    outcome: outcome.slice(0, 2000),
    intervention: 'Social prescribing link worker support',
    actor: null,
    // Written here: made from the parts it would say "because to be found … leads to to be found …".
    statement:
      `If the context is ${contexts.join('; ')}, then: ${outcome} — because of a mechanism the qualitative work has still to find.`.slice(
        0,
        2000,
      ),
    confidence: null,
    memo,
  });
}
