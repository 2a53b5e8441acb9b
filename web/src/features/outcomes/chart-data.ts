import { formatDate } from '../../app/format.ts';
import { timepointLabels } from './labels.ts';
import type { InstrumentDefinition, InstrumentSummary, PersonMeasure, ScoreDefinition } from './types.ts';

/*
 * What the person-level outcome charts show, worked out without React or the charting library so it can be tested
 * on its own: each score's possible range (the y axis is fixed to it, so a change of one point looks the same
 * size on every chart of that score), the rows of each score in date order, and the sentence a screen reader hears.
 */

/** How a timepoint reads inside a sentence: "7 at baseline", "4 at the long-term follow-up". */
const timepointPhrases: Record<string, string> = {
  baseline: 'baseline',
  discharge: 'discharge',
  follow_up_short: 'the short-term follow-up',
  follow_up_long: 'the long-term follow-up',
  other: 'another time',
};

/** A timepoint's name, as the rest of the outcome pages write it. */
export const timepointLabel = (timepoint: string) => timepointLabels[timepoint] ?? timepoint;

export interface ScoreRange {
  min: number;
  max: number;
  /**
   * Where the range came from. `definition` and `bands` are the score's own; `raw` and `values` are stand-ins
   * for a converted score whose table the browser does not have, so the range is not stated as the score's.
   */
  source: 'definition' | 'bands' | 'raw' | 'values';
}

/**
 * The lowest and highest value a score can take. An item score: the item's options; a sum: its items' lowest and
 * highest options added. A converted score (its table is licensed data the browser does not have): its bands;
 * without bands, the raw sum's range when every value falls inside it (SWEMWBS metric scores run 7 to 35 like the
 * raw ones), so a small change is not blown up to fill the chart; failing that, the values widened to whole numbers.
 */
export function scoreRange(
  definition: InstrumentDefinition,
  score: ScoreDefinition,
  values: number[] = [],
): ScoreRange {
  if (score.kind !== 'converted') return { ...sumRange(definition, score), source: 'definition' };
  const raw = sumRange(definition, score);
  if (score.bands.length === 0 && values.every((v) => v >= raw.min && v <= raw.max)) {
    return { ...raw, source: 'raw' };
  }
  const ends = [...score.bands.flatMap((b) => [b.from, b.to]), ...values];
  let min = Math.floor(Math.min(...ends));
  let max = Math.ceil(Math.max(...ends));
  if (min === max) {
    min -= 1;
    max += 1;
  }
  return { min, max, source: score.bands.length > 0 ? 'bands' : 'values' };
}

/** Whether the range is the score's own, and so can be told to the reader ("Scores from 0 to 10"). */
export const rangeIsKnown = (range: ScoreRange) => range.source === 'definition' || range.source === 'bands';

function sumRange(definition: InstrumentDefinition, score: ScoreDefinition) {
  const items = new Map(definition.items.map((i) => [i.linkId, i]));
  let min = 0;
  let max = 0;
  for (const linkId of score.items) {
    const values = items.get(linkId)?.options.map((o) => o.value) ?? [0];
    min += Math.min(...values);
    max += Math.max(...values);
  }
  return { min, max };
}

/** Whole-number ticks for the y axis, at most seven, on a step of 1, 2, 5, 10…; always within the range. */
export function yTicks(range: Pick<ScoreRange, 'min' | 'max'>): number[] {
  const span = range.max - range.min;
  const step =
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500].find((s) => span / s <= 6) ?? Math.ceil(span / 6);
  const ticks: number[] = [];
  for (let v = Math.ceil(range.min / step) * step; v <= range.max; v += step) ticks.push(v);
  return ticks;
}

export interface BandArea {
  label: string;
  low: number;
  high: number;
  /** Every other band is shaded, so neighbouring bands can be told apart without colour. */
  shaded: boolean;
}

/**
 * The reporting bands as stretches of the y axis. Scores made of whole-number answers fall on whole numbers, so a
 * band "5 to 6" covers 4.5 to 6.5 and bands meet without gaps; a converted score's bands are taken as written.
 */
export function bandAreas(score: ScoreDefinition, range: Pick<ScoreRange, 'min' | 'max'>): BandArea[] {
  const half = score.kind === 'converted' ? 0 : 0.5;
  return [...score.bands]
    .sort((a, b) => a.from - b.from)
    .map((b, index) => ({
      label: b.label,
      low: Math.max(range.min, b.from - half),
      high: Math.min(range.max, b.to + half),
      shaded: index % 2 === 1,
    }))
    .filter((b) => b.high > b.low);
}

export interface ChartRow {
  measureId: string;
  referralId: string;
  episodeLabel: string;
  completedOn: string;
  timepoint: string;
  /** Null when the measure gave no score here; `notScored` then says why. */
  value: number | null;
  band: string | null;
  notScored: string | null;
}

export interface PlottedPoint extends ChartRow {
  value: number;
}

export interface ScoreChart {
  /** Unique on the page: instrument and score code. */
  key: string;
  /** The chart's name in sentences: the score's label, with its instrument's title when it has several scores. */
  title: string;
  score: ScoreDefinition;
  range: ScoreRange;
  /** Every measure of the instrument, oldest first, as a row of the table under the chart. */
  rows: ChartRow[];
  /** The rows with a value: what the chart plots. */
  points: PlottedPoint[];
  /** Dates the x axis spans (ISO `YYYY-MM-DD`), the same for every score of an instrument. */
  dates: [string, string];
  summary: string;
}

export interface InstrumentCharts {
  code: string;
  title: string;
  licenceNotice: string | null;
  charts: ScoreChart[];
}

const byDate = (a: PersonMeasure, b: PersonMeasure) =>
  a.completedOn.localeCompare(b.completedOn) || a.recordedAt.localeCompare(b.recordedAt);

function rowFor(measure: PersonMeasure, score: ScoreDefinition): ChartRow {
  const base = {
    measureId: measure.id,
    referralId: measure.referralId,
    episodeLabel: measure.episodeLabel,
    completedOn: measure.completedOn,
    timepoint: measure.timepoint,
  };
  // A partly answered measure is never charted, even where a score's own items happen to be complete.
  if (measure.status === 'partial') {
    return { ...base, value: null, band: null, notScored: 'Not scored (partly answered)' };
  }
  const found = measure.scores.find((s) => s.code === score.code);
  if (!found) {
    const why = score.kind === 'converted' ? 'Not scored (no conversion table loaded)' : 'Not scored';
    return { ...base, value: null, band: null, notScored: why };
  }
  return { ...base, value: found.value, band: found.band, notScored: null };
}

/**
 * The charts for a person: for each instrument they have measures of (in the order the instruments are listed),
 * one chart per score that has a value. When none of an instrument's scores has a value yet, its plain scores are
 * still shown, so the partly answered measures appear in their tables. Measures of an instrument not in the list
 * are left out: without its definition there is no range to draw against.
 */
export function chartsFor(measures: PersonMeasure[], instruments: InstrumentSummary[]): InstrumentCharts[] {
  const result: InstrumentCharts[] = [];
  const seen = new Set<string>();
  for (const instrument of instruments) {
    if (seen.has(instrument.code)) continue;
    seen.add(instrument.code);
    const own = measures.filter((m) => m.instrumentCode === instrument.code).sort(byDate);
    if (own.length === 0) continue;
    const { definition } = instrument;
    const dates: [string, string] = [own[0]!.completedOn, own.at(-1)!.completedOn];
    const all = definition.scores.map((score) => {
      const rows = own.map((m) => rowFor(m, score));
      const points = rows.filter((r): r is PlottedPoint => r.value !== null);
      const range = scoreRange(
        definition,
        score,
        points.map((p) => p.value),
      );
      const title = definition.scores.length > 1 ? `${instrument.title}, ${score.label}` : score.label;
      const chart = { key: `${instrument.code}:${score.code}`, title, score, range, rows, points, dates };
      return { ...chart, summary: chartSummary(chart) };
    });
    const scored = all.filter((c) => c.points.length > 0);
    result.push({
      code: instrument.code,
      title: instrument.title,
      licenceNotice: instrument.licenceNotice,
      charts: scored.length > 0 ? scored : all.filter((c) => c.score.kind !== 'converted'),
    });
  }
  return result;
}

/** Scores as people write them: whole numbers plain, others to at most two decimal places. */
export function formatScore(value: number): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

/**
 * What the chart says, as one passage for its aria-label: "Loneliness (UCLA-3, 3–9): 7 at baseline on 3 March
 * 2026, 4 at discharge on 1 July 2026; lower is better, on a scale from 3 to 9."
 */
export function chartSummary(
  chart: Pick<ScoreChart, 'title' | 'score' | 'range' | 'rows' | 'points'>,
): string {
  // Across several episodes, the first reading of each says which episode it starts.
  const episodes = new Set(chart.points.map((p) => p.referralId)).size;
  const readings = chart.points.map((p, index) => {
    const reading = `${formatScore(p.value)} at ${timepointPhrases[p.timepoint] ?? p.timepoint} on ${formatDate(p.completedOn)}`;
    const starts = episodes > 1 && chart.points[index - 1]?.referralId !== p.referralId;
    return starts ? `${reading} (${p.episodeLabel})` : reading;
  });
  const direction = chart.score.higherIsBetter ? 'higher is better' : 'lower is better';
  const scale = rangeIsKnown(chart.range) ? `, on a scale from ${chart.range.min} to ${chart.range.max}` : '';
  const left = chart.rows.length - chart.points.length;
  const unscored = left === 0 ? '' : ` ${left} ${left === 1 ? 'measure was' : 'measures were'} not scored.`;
  return `${chart.title}: ${readings.length > 0 ? readings.join(', ') : 'no scores yet'}; ${direction}${scale}.${unscored}`;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * The stretch of time the x axis covers: the measures' dates with a margin either side, so the first and last
 * points sit inside the chart (a month either side of a single measure).
 */
export function dateDomain(dates: [string, string]): [Date, Date] {
  const first = Date.parse(`${dates[0]}T00:00:00Z`);
  const last = Date.parse(`${dates[1]}T00:00:00Z`);
  const margin = last === first ? 30 * DAY : Math.max(7 * DAY, (last - first) * 0.08);
  return [new Date(first - margin), new Date(last + margin)];
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const monthYear = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** At most `count` of the ticks, every first, third… one kept: dates need room to be read on a phone. */
export function atMost<T>(count: number, ticks: T[]): T[] {
  const every = Math.max(1, Math.ceil(ticks.length / count));
  return ticks.filter((_, index) => index % every === 0);
}

/**
 * Where each point's value label goes, as an offset from the point (drawing units, y down): 10 above, or 20 below
 * when the label above would overlap the one before it — unless below would reach the x axis at `bottom`.
 */
export function valueLabelOffsets(points: { x: number; y: number }[], bottom: number): number[] {
  const placed: { x: number; y: number }[] = [];
  return points.map(({ x, y }) => {
    const last = placed.at(-1);
    const crowded = last !== undefined && Math.abs(x - last.x) < 26 && Math.abs(y - 10 - last.y) < 14;
    const offset = crowded && y + 24 < bottom ? 20 : -10;
    placed.push({ x, y: y + offset });
    return offset;
  });
}

/** Labels for the x axis ticks: days and months over a few months, months and years over longer. */
export function dateTickFormat(domain: [Date, Date]): (date: Date) => string {
  const format = domain[1].getTime() - domain[0].getTime() <= 150 * DAY ? dayMonth : monthYear;
  return (date) => format.format(date);
}
