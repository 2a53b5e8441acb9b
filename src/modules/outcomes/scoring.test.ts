import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type InstrumentDefinition, instrumentDefinition } from './definition.ts';
import { toFhirQuestionnaire } from './fhir.ts';
import { ONS_LONELINESS, ONS4, SHIPPED_INSTRUMENTS, SWEMWBS, UCLA3 } from './instruments.ts';
import { answerErrors, scoreRange, scoreResponse } from './scoring.ts';

const parse = (d: unknown) => instrumentDefinition.parse(d);
const ons4 = parse(ONS4);
const ucla3 = parse(UCLA3);
const lonely = parse(ONS_LONELINESS);
const swemwbs = parse(SWEMWBS);
const byCode = (r: ReturnType<typeof scoreResponse>) => Object.fromEntries(r.scores.map((s) => [s.code, s]));

/** A made-up table for tests only (raw × 10): the real one comes with an organisation's licence. */
const testTable = Array.from({ length: 29 }, (_, i) => ({ raw: 7 + i, converted: (7 + i) * 10 }));

describe('the shipped instruments, scored by their published rules', () => {
  it('every shipped definition is valid in the definition format', () => {
    for (const d of SHIPPED_INSTRUMENTS) expect(instrumentDefinition.safeParse(d).success, d.code).toBe(true);
  });

  it('ONS4: four items reported separately in the ONS thresholds, anxiety higher-is-worse', () => {
    const r = scoreResponse(ons4, { life_satisfaction: 8, worthwhile: 7, happiness: 6, anxiety: 3 });
    expect(r.status).toBe('complete');
    expect(r.scores.map((s) => [s.code, s.value, s.band, s.higherIsBetter])).toEqual([
      ['life_satisfaction', 8, 'High', true],
      ['worthwhile', 7, 'High', true],
      ['happiness', 6, 'Medium', true],
      ['anxiety', 3, 'Low', false],
    ]);
    const edges = byCode(
      scoreResponse(ons4, { life_satisfaction: 4, worthwhile: 9, happiness: 0, anxiety: 1 }),
    );
    expect([
      edges.life_satisfaction!.band,
      edges.worthwhile!.band,
      edges.happiness!.band,
      edges.anxiety!.band,
    ]).toEqual(['Low', 'Very high', 'Low', 'Very low']);
    expect(byCode(scoreResponse(ons4, { anxiety: 6 })).anxiety!.band).toBe('High');
    expect(byCode(scoreResponse(ons4, { anxiety: 5 })).anxiety!.band).toBe('Medium');
    // Never summed: there is no total.
    expect(ons4.scores.every((s) => s.kind === 'item')).toBe(true);
  });

  it('UCLA-3: 1–3 each, summed 3–9, higher is lonelier', () => {
    expect(
      byCode(scoreResponse(ucla3, { lack_companionship: 1, left_out: 2, isolated: 3 })).ucla3_total!.value,
    ).toBe(6);
    expect(
      byCode(scoreResponse(ucla3, { lack_companionship: 1, left_out: 1, isolated: 1 })).ucla3_total!.value,
    ).toBe(3);
    expect(
      byCode(scoreResponse(ucla3, { lack_companionship: 3, left_out: 3, isolated: 3 })).ucla3_total!.value,
    ).toBe(9);
    expect(ucla3.scores[0]!.higherIsBetter).toBe(false);
  });

  it('the direct question: "often or always" is reported as chronic loneliness', () => {
    expect(byCode(scoreResponse(lonely, { how_often_lonely: 5 })).how_often_lonely!.band).toBe(
      'Often or always (chronic loneliness)',
    );
    expect(byCode(scoreResponse(lonely, { how_often_lonely: 2 })).how_often_lonely!.band).toBe(
      'Hardly ever or never',
    );
  });

  it('SWEMWBS: raw 7–35; the metric score only from the licensed conversion table', () => {
    const all = (v: number) => Object.fromEntries(swemwbs.items.map((i) => [i.linkId, v]));
    expect(byCode(scoreResponse(swemwbs, all(1))).swemwbs_raw!.value).toBe(7);
    expect(byCode(scoreResponse(swemwbs, all(5))).swemwbs_raw!.value).toBe(35);
    const noTable = scoreResponse(swemwbs, all(3));
    expect(byCode(noTable).swemwbs_metric).toBeUndefined();
    expect(noTable.unscored).toEqual([
      { code: 'swemwbs_metric', reason: 'the organisation has not loaded the licensed conversion table' },
    ]);
    const withTable = scoreResponse(swemwbs, all(3), { swemwbs_metric: testTable });
    expect(byCode(withTable).swemwbs_metric!.value).toBe(210);
    expect(swemwbs.requiresLicence).toBe(true);
    expect(swemwbs.licenceNotice).toContain('© University of Warwick');
  });

  it('partial answers are partial, and never scored as if complete', () => {
    const r = scoreResponse(ucla3, { lack_companionship: 3, left_out: 3 });
    expect(r).toEqual({
      status: 'partial',
      missing: ['isolated'],
      scores: [],
      unscored: [{ code: 'ucla3_total', reason: 'not every item was answered (isolated missing)' }],
    });
    // ONS4 items stand alone: the two answered are reported, the response is still partial.
    const o = scoreResponse(ons4, { life_satisfaction: 5, anxiety: 8 });
    expect(o.status).toBe('partial');
    expect(o.scores.map((s) => s.code)).toEqual(['life_satisfaction', 'anxiety']);
  });

  it('names the item of every answer that is not one of its options', () => {
    expect(answerErrors(ons4, { life_satisfaction: 11, worthwhile: 2.5, happiness: '7', mood: 3 })).toEqual([
      { linkId: 'life_satisfaction', message: expect.stringContaining('(0 to 10)') },
      { linkId: 'worthwhile', message: expect.stringContaining('Overall, to what extent') },
      { linkId: 'happiness', message: expect.stringContaining('(0 to 10)') },
      { linkId: 'mood', message: 'ONS personal well-being (ONS4) has no question mood' },
    ]);
    expect(() => scoreResponse(ucla3, { left_out: 4 })).toThrow('Cannot score invalid answers: left_out');
  });
});

describe('any instrument, any answers (property tests)', () => {
  const instruments: InstrumentDefinition[] = [ons4, ucla3, lonely, swemwbs];
  const conversions = { swemwbs_metric: testTable };
  const instrument = fc.constantFrom(...instruments);

  it('every complete valid set of answers scores every score within its range', () => {
    fc.assert(
      fc.property(
        instrument.chain((d) =>
          fc
            .tuple(...d.items.map((i) => fc.constantFrom(...i.options.map((o) => o.value))))
            .map((values) => ({
              d,
              answers: Object.fromEntries(d.items.map((i, k) => [i.linkId, values[k]!])),
            })),
        ),
        ({ d, answers }) => {
          const r = scoreResponse(d, answers, conversions);
          expect(r.status).toBe('complete');
          expect(r.scores).toHaveLength(d.scores.length);
          for (const s of r.scores) {
            const [min, max] = scoreRange(d, d.scores.find((x) => x.code === s.code)!, conversions);
            expect(s.value).toBeGreaterThanOrEqual(min);
            expect(s.value).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });

  it('any answer that is not one of its item’s options is rejected, naming the item', () => {
    fc.assert(
      fc.property(
        instrument,
        fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.boolean()),
        (d, value) => {
          const item = d.items[0]!;
          fc.pre(!item.options.some((o) => o.value === value));
          expect(answerErrors(d, { [item.linkId]: value }).map((e) => e.linkId)).toEqual([item.linkId]);
        },
      ),
    );
  });

  it('a response missing any item is partial and has no score that needs that item', () => {
    fc.assert(
      fc.property(
        instrument.chain((d) =>
          fc.subarray(d.items, { maxLength: d.items.length - 1 }).map((answered) => ({
            d,
            answers: Object.fromEntries(answered.map((i) => [i.linkId, i.options[0]!.value])),
          })),
        ),
        ({ d, answers }) => {
          const r = scoreResponse(d, answers, conversions);
          expect(r.status).toBe('partial');
          for (const s of r.scores) {
            const def = d.scores.find((x) => x.code === s.code)!;
            expect(def.items.every((id) => answers[id] !== undefined)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('an organisation’s own instruments, in the same format', () => {
  it('accepts a goal-based 0–10 rating', () => {
    const goal = instrumentDefinition.parse({
      code: 'goal_rating',
      version: '1',
      title: 'How close am I to my goal?',
      items: [{ linkId: 'goal', text: 'How close are you to your goal?', options: ONS4.items[0]!.options }],
      scores: [{ code: 'goal', label: 'Goal rating', kind: 'item', items: ['goal'], higherIsBetter: true }],
    });
    expect(byCode(scoreResponse(goal, { goal: 7 })).goal!.value).toBe(7);
  });

  it('names what is wrong with a definition', () => {
    const bad = instrumentDefinition.safeParse({
      code: 'Bad Code',
      version: 'one',
      title: 'x',
      items: [
        {
          linkId: 'a',
          text: 'A?',
          options: [
            { value: 1, label: 'Yes' },
            { value: 1, label: 'No' },
          ],
        },
        {
          linkId: 'a',
          text: 'Again?',
          options: [
            { value: 1, label: 'Yes' },
            { value: 2, label: 'No' },
          ],
        },
      ],
      scores: [
        { code: 's', label: 'S', kind: 'item', items: ['a', 'b'], higherIsBetter: true },
        { code: 't', label: 'T', kind: 'converted', items: ['a'], higherIsBetter: true },
      ],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^code: Use lower-case letters/),
        expect.stringMatching(/^version: A version is like 1/),
        'items.0.options: Each option of an item needs its own value',
        'items: Each item needs its own linkId',
        'scores.0.items.1: There is no item b',
        'scores.0.items: An item score names one item',
        'scores.1.conversion: A converted score names its conversion table',
      ]),
    );
  });
});

describe('FHIR R4 Questionnaire export', () => {
  it('writes each item as a choice with its options as codings carrying their score', () => {
    const q = toFhirQuestionnaire(ucla3, 'https://linkwork.example.nhs.uk/');
    expect(q).toMatchObject({
      resourceType: 'Questionnaire',
      id: 'ucla3-1',
      url: 'https://linkwork.example.nhs.uk/fhir/Questionnaire/ucla3',
      name: 'Ucla3',
      status: 'active',
      version: '1',
    });
    const items = q.item as {
      linkId: string;
      type: string;
      answerOption?: { valueCoding: Record<string, unknown> }[];
    }[];
    expect(items.map((i) => [i.linkId, i.type])).toEqual([
      ['instructions', 'display'],
      ['lack_companionship', 'choice'],
      ['left_out', 'choice'],
      ['isolated', 'choice'],
    ]);
    expect(items[1]!.answerOption![2]!.valueCoding).toEqual({
      system: 'https://linkwork.example.nhs.uk/fhir/Questionnaire/ucla3/answers',
      code: '3',
      display: 'Often',
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: 3 }],
    });
    expect(toFhirQuestionnaire(swemwbs, 'https://x.example').copyright).toContain('University of Warwick');
    expect(toFhirQuestionnaire(lonely, 'https://x.example').name).toBe('OnsLoneliness');
  });
});
