import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { instrumentDefinition } from '../../../../src/modules/outcomes/definition.ts';
import { ONS_LONELINESS, ONS4, SWEMWBS, UCLA3 } from '../../../../src/modules/outcomes/instruments.ts';
import {
  atMost,
  bandAreas,
  chartSummary,
  chartsFor,
  dateDomain,
  dateTickFormat,
  formatScore,
  scoreRange,
  valueLabelOffsets,
  yTicks,
} from './chart-data.ts';
import MeasureCharts from './measure-charts.tsx';
import type { InstrumentSummary, PersonMeasure } from './types.ts';

function summaryOf(input: typeof ONS4, overrides: Partial<InstrumentSummary> = {}): InstrumentSummary {
  const definition = instrumentDefinition.parse(input);
  return {
    code: definition.code,
    version: definition.version,
    title: definition.title,
    owner: 'shipped',
    requiresLicence: definition.requiresLicence,
    enabled: true,
    licenceNotice: definition.licenceNotice ?? null,
    definition,
    ...overrides,
  };
}

const ons4 = summaryOf(ONS4);
const ucla3 = summaryOf(UCLA3);
const onsLoneliness = summaryOf(ONS_LONELINESS);
const swemwbs = summaryOf(SWEMWBS);
const instruments = [ons4, swemwbs, ucla3, onsLoneliness];

let ids = 0;
function makeMeasure(overrides: Partial<PersonMeasure> = {}): PersonMeasure {
  ids += 1;
  return {
    id: `measure-${ids}`,
    referralId: 'referral-1',
    episodeLabel: 'Referral of 3 March 2026',
    instrumentCode: 'ucla3',
    instrumentTitle: 'UCLA 3-item loneliness scale',
    timepoint: 'baseline',
    completedOn: '2026-03-03',
    completedBy: 'with_link_worker',
    mode: 'in_person',
    status: 'complete',
    answers: {},
    scores: [],
    amends: null,
    recordedAt: `2026-03-03T10:00:${String(ids % 60).padStart(2, '0')}.000Z`,
    recordedBy: 'Alex Link',
    ...overrides,
  };
}

const ucla = (value: number, overrides: Partial<PersonMeasure> = {}) =>
  makeMeasure({ scores: [{ code: 'ucla3_total', value, band: null }], ...overrides });

const scoreOf = (summary: InstrumentSummary, code: string) =>
  summary.definition.scores.find((s) => s.code === code)!;

describe('score ranges', () => {
  it('takes an item score’s range from the item’s options (ONS4 0 to 10)', () => {
    expect(scoreRange(ons4.definition, scoreOf(ons4, 'anxiety'))).toEqual({
      min: 0,
      max: 10,
      source: 'definition',
    });
  });

  it('adds up the items’ lowest and highest options for a sum (UCLA-3 3 to 9, SWEMWBS raw 7 to 35)', () => {
    expect(scoreRange(ucla3.definition, scoreOf(ucla3, 'ucla3_total'))).toMatchObject({ min: 3, max: 9 });
    expect(scoreRange(swemwbs.definition, scoreOf(swemwbs, 'swemwbs_raw'))).toMatchObject({
      min: 7,
      max: 35,
    });
  });

  it('keeps a sum’s range fixed whatever values were recorded', () => {
    expect(scoreRange(ucla3.definition, scoreOf(ucla3, 'ucla3_total'), [5, 6])).toMatchObject({
      min: 3,
      max: 9,
    });
  });

  it('takes a converted score’s range from its bands when it has them, widened to any value outside', () => {
    const metric = {
      ...scoreOf(swemwbs, 'swemwbs_metric'),
      bands: [
        { from: 7, to: 17, label: 'Low' },
        { from: 17.01, to: 35, label: 'Not low' },
      ],
    };
    expect(scoreRange(swemwbs.definition, metric)).toEqual({ min: 7, max: 35, source: 'bands' });
    expect(scoreRange(swemwbs.definition, metric, [36.2])).toEqual({ min: 7, max: 37, source: 'bands' });
  });

  it('keeps a converted score without bands to the raw range while its values fall inside it (SWEMWBS metric)', () => {
    const metric = scoreOf(swemwbs, 'swemwbs_metric');
    expect(scoreRange(swemwbs.definition, metric, [19.25, 23.21])).toEqual({
      min: 7,
      max: 35,
      source: 'raw',
    });
    expect(scoreRange(swemwbs.definition, metric)).toEqual({ min: 7, max: 35, source: 'raw' });
  });

  it('otherwise takes a converted score without bands from the values recorded, in whole numbers', () => {
    const metric = scoreOf(swemwbs, 'swemwbs_metric');
    expect(scoreRange(swemwbs.definition, metric, [41.5, 58.2])).toEqual({
      min: 41,
      max: 59,
      source: 'values',
    });
    expect(scoreRange(swemwbs.definition, metric, [50])).toEqual({ min: 49, max: 51, source: 'values' });
  });
});

describe('axes and bands', () => {
  it('ticks a 0 to 10 scale every 2 and a 3 to 9 scale every 1', () => {
    expect(yTicks({ min: 0, max: 10 })).toEqual([0, 2, 4, 6, 8, 10]);
    expect(yTicks({ min: 3, max: 9 })).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(yTicks({ min: 7, max: 35 })).toEqual([10, 15, 20, 25, 30, 35]);
  });

  it('draws whole-number bands half a point either side so they meet, every other one shaded', () => {
    const areas = bandAreas(scoreOf(ons4, 'life_satisfaction'), { min: 0, max: 10 });
    expect(areas).toEqual([
      { label: 'Low', low: 0, high: 4.5, shaded: false },
      { label: 'Medium', low: 4.5, high: 6.5, shaded: true },
      { label: 'High', low: 6.5, high: 8.5, shaded: false },
      { label: 'Very high', low: 8.5, high: 10, shaded: true },
    ]);
  });

  it('pads the dates either side, a month around a single measure', () => {
    const [from, to] = dateDomain(['2026-03-03', '2026-03-03']);
    expect(from.toISOString().slice(0, 10)).toBe('2026-02-01');
    expect(to.toISOString().slice(0, 10)).toBe('2026-04-02');
  });

  it('labels ticks by day over a few months and by month over longer', () => {
    const short = dateDomain(['2026-03-03', '2026-05-01']);
    expect(dateTickFormat(short)(new Date('2026-04-01T00:00:00Z'))).toBe('1 Apr');
    const long = dateDomain(['2026-03-03', '2027-01-10']);
    expect(dateTickFormat(long)(new Date('2026-04-01T00:00:00Z'))).toBe('Apr 2026');
  });

  it('keeps at most three date ticks, evenly spread', () => {
    expect(atMost(3, [1, 2, 3, 4, 5])).toEqual([1, 3, 5]);
    expect(atMost(3, [1, 2, 3, 4, 5, 6, 7])).toEqual([1, 4, 7]);
    expect(atMost(3, [1, 2])).toEqual([1, 2]);
  });

  it('puts a value label below its point when it would overlap the label before it', () => {
    const apart = [
      { x: 10, y: 50 },
      { x: 100, y: 50 },
    ];
    expect(valueLabelOffsets(apart, 136)).toEqual([-10, -10]);
    const close = [
      { x: 10, y: 50 },
      { x: 20, y: 52 },
      { x: 30, y: 54 },
    ];
    expect(valueLabelOffsets(close, 136)).toEqual([-10, 20, -10]);
    expect(
      valueLabelOffsets(
        [
          { x: 10, y: 130 },
          { x: 20, y: 130 },
        ],
        136,
      ),
    ).toEqual([-10, -10]);
  });

  it('writes whole scores plainly and others to two decimal places', () => {
    expect(formatScore(7)).toBe('7');
    expect(formatScore(19.254)).toBe('19.25');
  });
});

describe('charts from measures', () => {
  it('makes one chart per ONS4 item score, each in date order whatever order the measures came in', () => {
    const item = (value: number) =>
      ['life_satisfaction', 'worthwhile', 'happiness', 'anxiety'].map((code) => ({
        code,
        value,
        band: null,
      }));
    const later = makeMeasure({
      instrumentCode: 'ons4',
      timepoint: 'discharge',
      completedOn: '2026-07-01',
      scores: item(8),
    });
    const earlier = makeMeasure({ instrumentCode: 'ons4', completedOn: '2026-03-03', scores: item(4) });
    const [charted] = chartsFor([later, earlier], instruments);
    expect(charted?.code).toBe('ons4');
    expect(charted?.charts.map((c) => c.score.code)).toEqual([
      'life_satisfaction',
      'worthwhile',
      'happiness',
      'anxiety',
    ]);
    expect(charted?.charts[0]?.points.map((p) => p.value)).toEqual([4, 8]);
    expect(charted?.charts[0]?.dates).toEqual(['2026-03-03', '2026-07-01']);
  });

  it('lists only instruments the person has measures of, in the order the instruments come', () => {
    const charted = chartsFor(
      [
        ucla(7),
        makeMeasure({
          instrumentCode: 'ons_loneliness',
          scores: [{ code: 'how_often_lonely', value: 4, band: 'x' }],
        }),
      ],
      instruments,
    );
    expect(charted.map((c) => c.code)).toEqual(['ucla3', 'ons_loneliness']);
  });

  it('leaves a partly answered measure off the chart and says so in its row', () => {
    const partial = makeMeasure({
      status: 'partial',
      timepoint: 'discharge',
      completedOn: '2026-07-01',
      // Even a score the server could make from part of the answers is not charted.
      scores: [{ code: 'ucla3_total', value: 5, band: null }],
    });
    const chart = chartsFor([ucla(7), partial], instruments)[0]!.charts[0]!;
    expect(chart.points.map((p) => p.value)).toEqual([7]);
    expect(chart.rows.map((r) => r.notScored)).toEqual([null, 'Not scored (partly answered)']);
  });

  it('still shows an instrument answered only in part, so its table lists the measure', () => {
    const charted = chartsFor([makeMeasure({ status: 'partial' })], instruments);
    expect(charted[0]?.charts).toHaveLength(1);
    expect(charted[0]?.charts[0]?.points).toEqual([]);
    expect(charted[0]?.charts[0]?.summary).toContain('no scores yet');
  });

  it('leaves out a converted score no measure has, such as SWEMWBS metric before its table is loaded', () => {
    const charted = chartsFor(
      [makeMeasure({ instrumentCode: 'swemwbs', scores: [{ code: 'swemwbs_raw', value: 21, band: null }] })],
      instruments,
    );
    expect(charted[0]?.charts.map((c) => c.score.code)).toEqual(['swemwbs_raw']);
  });

  it('leaves out measures of an instrument it has no definition for', () => {
    expect(chartsFor([ucla(7)], [ons4])).toEqual([]);
  });
});

describe('the summary a screen reader hears', () => {
  it('reads each score with its timepoint and date, then which way is better and the scale', () => {
    const chart = chartsFor(
      [ucla(7), ucla(4, { timepoint: 'discharge', completedOn: '2026-07-01' })],
      instruments,
    )[0]!.charts[0]!;
    expect(chart.summary).toBe(
      'Loneliness (UCLA-3, 3–9): 7 at baseline on 3 March 2026, 4 at discharge on 1 July 2026; lower is better, on a scale from 3 to 9.',
    );
  });

  it('names the instrument when it has several scores, and counts measures not scored', () => {
    const chart = chartsFor(
      [
        makeMeasure({
          instrumentCode: 'ons4',
          timepoint: 'follow_up_long',
          completedOn: '2027-04-10',
          scores: [{ code: 'life_satisfaction', value: 6, band: 'Medium' }],
        }),
        makeMeasure({ instrumentCode: 'ons4', status: 'partial', completedOn: '2026-03-03' }),
      ],
      instruments,
    )[0]!.charts[0]!;
    expect(chart.summary).toBe(
      'ONS personal well-being (ONS4), Life satisfaction: 6 at the long-term follow-up on 10 April 2027; higher is better, on a scale from 0 to 10. 1 measure was not scored.',
    );
  });

  it('says which episode each run of readings belongs to when there are several', () => {
    const chart = chartsFor(
      [
        ucla(7),
        ucla(6, { timepoint: 'discharge', completedOn: '2026-05-01' }),
        ucla(5, {
          referralId: 'referral-2',
          episodeLabel: 'Referral of 2 June 2026',
          completedOn: '2026-06-09',
        }),
      ],
      instruments,
    )[0]!.charts[0]!;
    expect(chart.summary).toBe(
      'Loneliness (UCLA-3, 3–9): 7 at baseline on 3 March 2026 (Referral of 3 March 2026), 6 at discharge on 1 May 2026, 5 at baseline on 9 June 2026 (Referral of 2 June 2026); lower is better, on a scale from 3 to 9.',
    );
  });

  it('leaves the scale out when it is a stand-in, not the score’s own', () => {
    const summary = chartSummary({
      title: 'SWEMWBS metric score',
      score: scoreOf(swemwbs, 'swemwbs_metric'),
      range: { min: 7, max: 35, source: 'raw' },
      rows: [],
      points: [],
    });
    expect(summary).toBe('SWEMWBS metric score: no scores yet; higher is better.');
  });
});

describe('the rendered charts', () => {
  const render = (measures: PersonMeasure[]) =>
    renderToString(createElement(MeasureCharts, { measures, instruments }));

  it('draws an image with the summary as its label, its markers, and the numbers in a table', () => {
    const html = render([
      ucla(7),
      ucla(4, { timepoint: 'discharge', completedOn: '2026-07-01' }),
      makeMeasure({ status: 'partial', timepoint: 'follow_up_short', completedOn: '2026-10-20' }),
    ]);
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="Loneliness (UCLA-3, 3–9): 7 at baseline on 3 March 2026');
    expect(html.match(/class="app-chart__marker"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('Lower is better');
    expect(html).toContain('Show the numbers');
    expect(html).toContain('nhsuk-table');
    expect(html).toContain('Not scored (partly answered)');
    expect(html).toContain('Short-term follow-up');
  });

  it('adds an episode column when the measures span more than one referral', () => {
    const html = render([
      ucla(7),
      ucla(5, {
        referralId: 'referral-2',
        episodeLabel: 'Referral of 9 January 2027',
        completedOn: '2027-01-09',
      }),
    ]);
    expect(html).toContain('Referral of 9 January 2027');
  });

  it('has a band column only for a score with reporting bands', () => {
    expect(render([ucla(7)])).not.toContain('>Band<');
    const lonely = makeMeasure({
      instrumentCode: 'ons_loneliness',
      scores: [{ code: 'how_often_lonely', value: 5, band: 'Often or always (chronic loneliness)' }],
    });
    const html = render([lonely]);
    expect(html).toContain('>Band<');
    expect(html).toContain('Often or always (chronic loneliness)');
  });

  it('says so when there is nothing to chart', () => {
    expect(render([])).toContain('No outcome measures have been recorded yet.');
  });
});
