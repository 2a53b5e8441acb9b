import type { ConversionTable, InstrumentDefinition, ScoreDefinition } from './definition.ts';

/*
 * Checking and scoring answers to any instrument. Answers are checked item by item (an unknown item or a value
 * that is not one of the item's options is an error naming the item); a response missing any item is partial,
 * and a score is only made from a complete set of the items it needs — never from part of them.
 */

export type Answers = Record<string, number>;

export interface AnswerError {
  linkId: string;
  message: string;
}

export interface ScoreResult {
  code: string;
  label: string;
  value: number;
  band: string | null;
  higherIsBetter: boolean;
}

export interface ScoredResponse {
  status: 'complete' | 'partial';
  /** Items not answered yet. */
  missing: string[];
  scores: ScoreResult[];
  /** Scores that could not be made, and why (partial answers, no licensed conversion table). */
  unscored: { code: string; reason: string }[];
}

/** Every problem with a set of answers, each naming its item; empty when every answer is one of its options. */
export function answerErrors(
  definition: InstrumentDefinition,
  answers: Record<string, unknown>,
): AnswerError[] {
  const items = new Map(definition.items.map((i) => [i.linkId, i]));
  const errors: AnswerError[] = [];
  for (const [linkId, value] of Object.entries(answers)) {
    const item = items.get(linkId);
    if (!item) {
      errors.push({ linkId, message: `${definition.title} has no question ${linkId}` });
      continue;
    }
    if (typeof value !== 'number' || !item.options.some((o) => o.value === value)) {
      const values = item.options.map((o) => o.value);
      errors.push({
        linkId,
        message: `Choose one of the answers to “${item.text}” (${Math.min(...values)} to ${Math.max(...values)})`,
      });
    }
  }
  return errors;
}

const bandOf = (score: ScoreDefinition, value: number) =>
  score.bands.find((b) => value >= b.from && value <= b.to)?.label ?? null;

/**
 * Scores valid answers. Throws if the answers have errors: call `answerErrors` first. `conversions` holds the
 * organisation's licensed tables by name.
 */
export function scoreResponse(
  definition: InstrumentDefinition,
  answers: Answers,
  conversions: Record<string, ConversionTable> = {},
): ScoredResponse {
  const errors = answerErrors(definition, answers);
  if (errors.length > 0)
    throw new Error(`Cannot score invalid answers: ${errors.map((e) => e.linkId).join(', ')}`);
  const missing = definition.items.map((i) => i.linkId).filter((id) => answers[id] === undefined);
  const scores: ScoreResult[] = [];
  const unscored: ScoredResponse['unscored'] = [];
  for (const s of definition.scores) {
    const absent = s.items.filter((id) => answers[id] === undefined);
    if (absent.length > 0) {
      unscored.push({ code: s.code, reason: `not every item was answered (${absent.join(', ')} missing)` });
      continue;
    }
    const sum = s.items.reduce((total, id) => total + answers[id]!, 0);
    let value = sum;
    if (s.kind === 'converted') {
      const table = conversions[s.conversion!];
      const row = table?.find((r) => r.raw === sum);
      if (!row) {
        unscored.push({
          code: s.code,
          reason: table
            ? `the conversion table has no row for a raw score of ${sum}`
            : 'the organisation has not loaded the licensed conversion table',
        });
        continue;
      }
      value = row.converted;
    }
    scores.push({
      code: s.code,
      label: s.label,
      value,
      band: bandOf(s, value),
      higherIsBetter: s.higherIsBetter,
    });
  }
  return { status: missing.length === 0 ? 'complete' : 'partial', missing, scores, unscored };
}

/** The lowest and highest value a score can take, from its items' options (or its conversion table). */
export function scoreRange(
  definition: InstrumentDefinition,
  score: ScoreDefinition,
  conversions: Record<string, ConversionTable> = {},
): [number, number] {
  const items = new Map(definition.items.map((i) => [i.linkId, i]));
  let min = 0;
  let max = 0;
  for (const id of score.items) {
    const values = items.get(id)!.options.map((o) => o.value);
    min += Math.min(...values);
    max += Math.max(...values);
  }
  if (score.kind === 'converted') {
    const table = conversions[score.conversion!] ?? [];
    const converted = table.filter((r) => r.raw >= min && r.raw <= max).map((r) => r.converted);
    return converted.length ? [Math.min(...converted), Math.max(...converted)] : [min, max];
  }
  return [min, max];
}
