import { createHash } from 'node:crypto';
import { and, eq, inArray, ne, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { episodeFor } from '../pathway/access.ts';
import type { InstrumentDefinition } from './definition.ts';
import { type MeasureRecord, type measureBody, measuresOf, recordMeasure } from './measures.ts';
import {
  completedByKinds,
  measureModes,
  outcomeInstruments,
  outcomeResponses,
  timepoints,
} from './schema.ts';
import { instrumentsHere } from './service.ts';

/*
 * A completed measure as a FHIR R4 QuestionnaireResponse, and back. The response points at the instrument's
 * Questionnaire (fhir.ts) by its canonical `url|version`; each answer is the option's coding from that
 * Questionnaire (system `<url>/answers`, code = the option's value). What FHIR has no element for — the timepoint,
 * the mode, who completed it and the scores — travels in extensions under `<base>/fhir/StructureDefinition/`. The
 * identifier carries the measure's submission id, so importing our own export again is the same response.
 *
 * Who answered: `self` → source and author are the Patient; `with_link_worker` → source the Patient, author a
 * Practitioner by display name (the link worker who recorded it); `proxy` → source a RelatedPerson by display only.
 */

type FhirResource = Record<string, unknown>;
type MeasureBody = z.infer<typeof measureBody>;

/** A measure with what its FHIR form needs beyond the API's record: whose it is and its submission id. */
export interface FhirMeasure extends MeasureRecord {
  personId: string;
  submissionId: string;
}

/** The instrument facts a response is read against (a summary from `instrumentsHere`). */
export interface InstrumentChoice {
  code: string;
  version: string;
  title: string;
  definition: InstrumentDefinition;
}

const base = (baseUrl: string) => baseUrl.replace(/\/+$/, '');
/** The Questionnaire's canonical URL, as toFhirQuestionnaire makes it. */
export const questionnaireUrl = (code: string, baseUrl: string) =>
  `${base(baseUrl)}/fhir/Questionnaire/${code}`;
export const fhirExtensionUrl = (name: string, baseUrl: string) =>
  `${base(baseUrl)}/fhir/StructureDefinition/${name}`;
/** The identifier system whose values are Linkwork submission ids. */
export const submissionIdSystem = (baseUrl: string) => `${base(baseUrl)}/fhir/sid/outcome-submission`;

const EXTENSIONS = {
  timepoint: 'outcome-timepoint',
  mode: 'outcome-mode',
  completedBy: 'outcome-completed-by',
  score: 'outcome-score',
  amends: 'outcome-amends',
} as const;

export function toQuestionnaireResponse(
  measure: FhirMeasure,
  definition: InstrumentDefinition,
  baseUrl: string,
): FhirResource {
  const url = questionnaireUrl(definition.code, baseUrl);
  const ext = (name: string) => fhirExtensionUrl(name, baseUrl);
  const patient = { reference: `Patient/${measure.personId}` };
  const labels = new Map(definition.scores.map((s) => [s.code, s.label]));
  const who =
    measure.completedBy === 'self'
      ? { source: patient, author: patient }
      : measure.completedBy === 'proxy'
        ? { source: { type: 'RelatedPerson', display: 'Someone answering for the person (proxy)' } }
        : {
            source: patient,
            ...(measure.recordedBy ? { author: { type: 'Practitioner', display: measure.recordedBy } } : {}),
          };
  return {
    resourceType: 'QuestionnaireResponse',
    id: measure.id,
    meta: { lastUpdated: measure.recordedAt },
    extension: [
      { url: ext(EXTENSIONS.timepoint), valueCode: measure.timepoint },
      { url: ext(EXTENSIONS.mode), valueCode: measure.mode },
      { url: ext(EXTENSIONS.completedBy), valueCode: measure.completedBy },
      ...measure.scores.map((s) => ({
        url: ext(EXTENSIONS.score),
        extension: [
          { url: 'code', valueCode: s.code },
          ...(labels.has(s.code) ? [{ url: 'label', valueString: labels.get(s.code) }] : []),
          { url: 'value', valueDecimal: s.value },
          ...(s.band ? [{ url: 'band', valueString: s.band }] : []),
        ],
      })),
      ...(measure.amends
        ? [
            {
              url: ext(EXTENSIONS.amends),
              valueReference: { reference: `QuestionnaireResponse/${measure.amends}` },
            },
          ]
        : []),
    ],
    identifier: { system: submissionIdSystem(baseUrl), value: measure.submissionId },
    questionnaire: `${url}|${definition.version}`,
    // A partial set is still being completed; an amendment is a completed response changed afterwards.
    status: measure.status === 'partial' ? 'in-progress' : measure.amends ? 'amended' : 'completed',
    subject: patient,
    authored: measure.completedOn,
    ...who,
    item: definition.items
      .filter((item) => measure.answers[item.linkId] !== undefined)
      .map((item) => {
        const value = measure.answers[item.linkId]!;
        const option = item.options.find((o) => o.value === value);
        return {
          linkId: item.linkId,
          text: item.text,
          answer: [
            {
              valueCoding: {
                system: `${url}/answers`,
                code: String(value),
                ...(option ? { display: option.label } : {}),
              },
            },
          ],
        };
      }),
  };
}

/** A FHIR Bundle (collection) of measures, each with the definition of the instrument version it answered. */
export function toMeasureBundle(
  entries: { measure: FhirMeasure; definition: InstrumentDefinition }[],
  baseUrl: string,
  timestamp: Date,
): FhirResource {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: timestamp.toISOString(),
    entry: entries.map(({ measure, definition }) => ({
      fullUrl: `urn:uuid:${measure.id}`,
      resource: toQuestionnaireResponse(measure, definition, baseUrl),
    })),
  };
}

// The structural parts of a QuestionnaireResponse that an import reads; other FHIR elements are let through and
// ignored. Anything these cannot read is a 400 naming the element.
const coding = z.object({
  system: z.string().max(2000).optional(),
  code: z.string().max(200).optional(),
  display: z.string().optional(),
});
const reference = z.object({
  reference: z.string().max(2000).optional(),
  type: z.string().max(2000).optional(),
  display: z.string().optional(),
});
const extension = z.object({
  url: z.string({ error: 'Each extension needs its url' }).max(2000),
  valueCode: z.string().max(200).optional(),
});
const answer = z.object({
  valueCoding: coding.optional(),
  valueInteger: z.number().int('valueInteger is a whole number').optional(),
});
const responseItem = z.object({
  linkId: z.string({ error: 'Each item needs its linkId' }).min(1).max(255),
  answer: z.array(answer).max(50).optional(),
});

export const questionnaireResponseResource = z.object({
  resourceType: z.literal('QuestionnaireResponse', {
    error: 'Send a FHIR QuestionnaireResponse (resourceType "QuestionnaireResponse")',
  }),
  id: z.string().max(64).optional(),
  identifier: z
    .object({ system: z.string().max(2000).optional(), value: z.string().max(200).optional() })
    .optional(),
  questionnaire: z
    .string({
      error: 'Say which questionnaire was answered (its canonical URL, e.g. …/fhir/Questionnaire/ons4|1)',
    })
    .min(1)
    .max(2000),
  status: z.enum(['in-progress', 'completed', 'amended', 'entered-in-error', 'stopped'], {
    error: 'status is one of in-progress, completed, amended, entered-in-error or stopped',
  }),
  subject: reference.optional(),
  authored: z.string().max(40).optional(),
  source: reference.optional(),
  author: reference.optional(),
  extension: z.array(extension).max(100).optional(),
  item: z.array(responseItem).max(200).default([]),
});
export type QuestionnaireResponseResource = z.infer<typeof questionnaireResponseResource>;

const responseBundle = z.object({
  resourceType: z.literal('Bundle'),
  entry: z
    .array(z.object({ resource: questionnaireResponseResource }), {
      error: 'A Bundle to import lists its QuestionnaireResponses in entry[].resource',
    })
    .min(1, 'The Bundle has no entries')
    .max(100, 'Import at most 100 responses at once'),
});

/** What POST …/measures/fhir accepts: one QuestionnaireResponse or a Bundle of them. */
export const fhirImportBody = z.discriminatedUnion(
  'resourceType',
  [questionnaireResponseResource, responseBundle],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'Send a FHIR QuestionnaireResponse, or a Bundle of them (resourceType "QuestionnaireResponse" or "Bundle")'
        : undefined,
  },
);
export type FhirImportBody = z.infer<typeof fhirImportBody>;

// A fixed namespace for Linkwork's name-based (version 5) submission ids.
const SUBMISSION_NAMESPACE = '8c25ae32-29d2-42d8-8b9e-233344c39e53';

/** A name-based UUID (RFC 9562 version 5): the same name in the same namespace is always the same id. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ImportedResponse {
  body: MeasureBody;
  /** The person the response says it is about, when it came from this Linkwork (else null: not comparable). */
  subjectPersonId: string | null;
}

/**
 * Reads a QuestionnaireResponse as a measure to record: the instrument from the questionnaire canonical, each
 * answer from its coding's code (or valueInteger), the rest from our extensions. Every problem is reported at once,
 * each naming its element (`item.<linkId>` for an answer).
 */
export function fromQuestionnaireResponse(
  resource: QuestionnaireResponseResource,
  instruments: InstrumentChoice[],
  baseUrl: string,
): ImportedResponse {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  const [url = '', version] = resource.questionnaire.split('|');
  const prefix = questionnaireUrl('', baseUrl);
  const code = url.startsWith(prefix) ? url.slice(prefix.length) : null;
  const instrument = code === null ? undefined : instruments.find((i) => i.code === code);
  if (code === null) {
    fail(
      'questionnaire',
      `Linkwork does not know the questionnaire ${url}: its questionnaires' URLs start ${prefix}`,
    );
  } else if (!instrument) {
    fail('questionnaire', `There is no questionnaire ${code || '(none named)'} here (${url})`);
  } else if (version !== undefined && version !== instrument.version) {
    fail(
      'questionnaire',
      `These answers are to version ${version} of ${instrument.title}; Linkwork records version ${instrument.version} here`,
    );
  }
  if (resource.status === 'entered-in-error') {
    fail('status', 'This response was entered in error: it is not imported');
  }

  const extensionValue = (name: string) =>
    resource.extension?.find((e) => e.url === fhirExtensionUrl(name, baseUrl))?.valueCode;
  const choose = <T extends string>(name: string, allowed: readonly T[], what: string): T | undefined => {
    const value = extensionValue(name);
    if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
    fail(
      `extension.${name}`,
      `${what}: give the extension ${fhirExtensionUrl(name, baseUrl)} a valueCode of ${allowed.join(', ')}${value === undefined ? '' : ` (not “${value}”)`}`,
    );
    return undefined;
  };
  const timepoint = choose(EXTENSIONS.timepoint, timepoints, 'Say when in the episode it was taken');
  const mode = choose(EXTENSIONS.mode, measureModes, 'Say how it was completed');
  const completedBy = extensionValue(EXTENSIONS.completedBy)
    ? choose(EXTENSIONS.completedBy, completedByKinds, 'Say who completed it')
    : (completedByFromSource(resource) ??
      choose(EXTENSIONS.completedBy, completedByKinds, 'Say who completed it'));

  const completedOn = dateOf(resource.authored);
  if (!completedOn) {
    fail(
      'authored',
      resource.authored
        ? `Give the full date it was completed (YYYY-MM-DD, or a date and time), not “${resource.authored}”`
        : 'Give the date it was completed (authored)',
    );
  }

  const answers: Record<string, number> = {};
  if (instrument) {
    const items = new Map(instrument.definition.items.map((i) => [i.linkId, i]));
    const answerSystem = `${questionnaireUrl(instrument.code, baseUrl)}/answers`;
    for (const it of resource.item) {
      const field = `item.${it.linkId}`;
      const given = it.answer ?? [];
      const question = items.get(it.linkId);
      if (!question) {
        // The Questionnaire's leading display item carries no answer.
        if (given.length > 0 || it.linkId !== 'instructions') {
          fail(field, `${instrument.title} has no question ${it.linkId}`);
        }
        continue;
      }
      if (given.length === 0) continue;
      if (it.linkId in answers) {
        fail(field, `${it.linkId} is answered twice: send each question once`);
        continue;
      }
      if (given.length > 1) {
        fail(field, `Give one answer to ${it.linkId}: it is a single choice`);
        continue;
      }
      const a = given[0]!;
      if (a.valueCoding?.system !== undefined && a.valueCoding.system !== answerSystem) {
        fail(
          field,
          `The answer to ${it.linkId} uses the code system ${a.valueCoding.system}: use ${answerSystem}`,
        );
        continue;
      }
      const shown =
        a.valueCoding?.code ?? (a.valueInteger === undefined ? undefined : String(a.valueInteger));
      const value =
        a.valueCoding?.code !== undefined
          ? /^-?\d{1,4}$/.test(a.valueCoding.code)
            ? Number(a.valueCoding.code)
            : undefined
          : a.valueInteger;
      const values = question.options.map((o) => o.value);
      if (value === undefined || !values.includes(value)) {
        fail(
          field,
          shown === undefined
            ? `Answer ${it.linkId} with a valueCoding (its option's code) or a valueInteger`
            : `“${shown}” is not one of the answers to ${it.linkId} (“${question.text}”): choose ${Math.min(...values)} to ${Math.max(...values)}`,
        );
        continue;
      }
      answers[it.linkId] = value;
    }
  }

  const ours = resource.identifier?.system === submissionIdSystem(baseUrl);
  let submissionId: string | undefined;
  if (ours) {
    const value = resource.identifier?.value ?? '';
    if (UUID.test(value)) submissionId = value.toLowerCase();
    else fail('identifier.value', `A Linkwork submission id is a UUID, not “${value}”`);
  } else if (resource.identifier?.value && resource.identifier.system) {
    submissionId = uuidV5(SUBMISSION_NAMESPACE, `${resource.identifier.system}|${resource.identifier.value}`);
  } else if (resource.identifier?.value || resource.id) {
    // An id alone is only unique on its own server: tie it to what was answered, about whom and when.
    const name = [
      resource.identifier?.value ?? `id:${resource.id}`,
      resource.questionnaire,
      resource.subject?.reference ?? '',
      resource.authored ?? '',
    ].join('|');
    submissionId = uuidV5(SUBMISSION_NAMESPACE, name);
  } else {
    fail('identifier', 'Give the response an id or identifier, so sending it twice records it once');
  }

  if (
    errors.length > 0 ||
    !instrument ||
    !timepoint ||
    !mode ||
    !completedBy ||
    !completedOn ||
    !submissionId
  ) {
    throw new ValidationError('This QuestionnaireResponse cannot be recorded: see the errors', errors);
  }
  const subject = /^Patient\/([0-9a-f-]{36})$/i.exec(resource.subject?.reference ?? '');
  return {
    body: {
      instrumentCode: instrument.code,
      timepoint,
      completedOn,
      completedBy,
      mode,
      answers,
      submissionId,
    },
    subjectPersonId: ours && subject ? subject[1]!.toLowerCase() : null,
  };
}

/** Who completed it, when the extension is absent: read from the source and author references. */
function completedByFromSource(
  resource: QuestionnaireResponseResource,
): MeasureBody['completedBy'] | undefined {
  const kind = (r: { reference?: string; type?: string } | undefined) =>
    r?.type ?? /^([A-Za-z]+)\//.exec(r?.reference ?? '')?.[1];
  const source = kind(resource.source);
  const author = kind(resource.author);
  if (source === 'RelatedPerson') return 'proxy';
  if (source === 'Patient' && (author === undefined || author === 'Patient')) return 'self';
  if (source === 'Patient' && author === 'Practitioner') return 'with_link_worker';
  return undefined;
}

/** A FHIR date or dateTime as the calendar date in England; undefined for a partial date or nonsense. */
function dateOf(authored: string | undefined): string | undefined {
  if (!authored) return undefined;
  // A calendar date that exists: 2025-02-30 would otherwise roll over to 2 March.
  const real = (d: string) =>
    !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
    new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  if (/^\d{4}-\d{2}-\d{2}$/.test(authored)) return real(authored) ? authored : undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(authored)) return undefined;
  if (!real(authored.slice(0, 10))) return undefined;
  const at = new Date(authored);
  return Number.isNaN(at.getTime()) ? undefined : londonDate(at);
}

// recordMeasure names the fields of its own body: say them as the QuestionnaireResponse's elements.
const fhirField = (field: string) =>
  field === 'completedOn'
    ? 'authored'
    : field === 'instrumentCode'
      ? 'questionnaire'
      : field.startsWith('answers.')
        ? `item.${field.slice('answers.'.length)}`
        : field;

/** A ValidationError's fields as FHIR elements, prefixed with the Bundle entry they came from. */
function prefixed(error: unknown, prefix: string): FieldError[] {
  if (!(error instanceof ValidationError)) throw error;
  return error.errors.length > 0
    ? error.errors.map((e) => ({ field: `${prefix}${fhirField(e.field)}`, message: e.message }))
    : [{ field: prefix.replace(/\.$/, '') || '(body)', message: error.message }];
}

/** The facts a FHIR export needs beyond measuresOf: person, submission id and the answered version's definition. */
async function fhirFactsOf(tx: Db, where: SQL | undefined) {
  return tx
    .select({
      id: outcomeResponses.id,
      referralId: outcomeResponses.referralId,
      personId: outcomeResponses.personId,
      submissionId: outcomeResponses.submissionId,
      definition: outcomeInstruments.definition,
    })
    .from(outcomeResponses)
    .innerJoin(outcomeInstruments, eq(outcomeInstruments.id, outcomeResponses.instrumentId))
    .where(where);
}

/** One measure as a QuestionnaireResponse, for whoever may read the episode it is on; audited as a read. */
export async function measureAsFhir(
  tx: Db,
  actor: Actor,
  measureId: string,
  baseUrl: string,
): Promise<FhirResource> {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const [facts] = await fhirFactsOf(
    tx,
    and(eq(outcomeResponses.id, measureId), eq(outcomeResponses.organisationId, actor.actingOrganisationId!)),
  );
  if (!facts) throw new NotFoundError('There is no such measure in your caseload.');
  const [measure] = await measuresOf(tx, actor, facts.referralId, [facts.id]);
  await recordAudit(tx, actor, {
    action: 'outcomes.measure.exported',
    recordType: 'outcome_response',
    recordIds: [facts.id],
    detail: { referralId: facts.referralId, format: 'fhir' },
  });
  return toQuestionnaireResponse(
    { ...measure!, personId: facts.personId, submissionId: facts.submissionId },
    facts.definition,
    baseUrl,
  );
}

/** The episode's current measures (amended originals left out) as a FHIR Bundle; audited as a read. */
export async function episodeMeasuresAsFhir(
  tx: Db,
  actor: Actor,
  referralId: string,
  baseUrl: string,
): Promise<FhirResource> {
  await episodeFor(tx, actor, referralId);
  const facts = await fhirFactsOf(
    tx,
    and(eq(outcomeResponses.referralId, referralId), eq(outcomeResponses.superseded, false)),
  );
  const byId = new Map(facts.map((f) => [f.id, f]));
  const measures = facts.length > 0 ? await measuresOf(tx, actor, referralId, [...byId.keys()]) : [];
  await recordAudit(tx, actor, {
    action: 'outcomes.measures.exported',
    recordType: 'outcome_response',
    recordIds: measures.map((m) => m.id),
    detail: { referralId, format: 'fhir' },
  });
  return toMeasureBundle(
    measures.map((m) => {
      const f = byId.get(m.id)!;
      return {
        measure: { ...m, personId: f.personId, submissionId: f.submissionId },
        definition: f.definition,
      };
    }),
    baseUrl,
    actor.now,
  );
}

/**
 * Records a QuestionnaireResponse, or each of a Bundle's, on an episode: all in the caller's one transaction, so
 * one bad entry records none. A response imported before is the measure it made then (created: false).
 */
export async function importQuestionnaireResponses(
  tx: Db,
  actor: Actor,
  referralId: string,
  input: FhirImportBody,
  baseUrl: string,
): Promise<{ created: number; items: MeasureRecord[] }> {
  const episode = await episodeFor(tx, actor, referralId);
  const { items: instruments } = await instrumentsHere(tx, actor);
  const bundle = input.resourceType === 'Bundle';
  const resources = bundle ? input.entry.map((e) => e.resource) : [input];
  const at = (i: number) => (bundle ? `entry.${i}.resource.` : '');

  const errors: FieldError[] = [];
  const bodies: MeasureBody[] = [];
  resources.forEach((resource, i) => {
    try {
      const { body, subjectPersonId } = fromQuestionnaireResponse(resource, instruments, baseUrl);
      if (subjectPersonId && subjectPersonId !== episode.personId) {
        errors.push({
          field: `${at(i)}subject`,
          message: 'This response is about someone else, not this person',
        });
      }
      bodies.push(body);
    } catch (error) {
      errors.push(...prefixed(error, at(i)));
    }
  });
  if (errors.length > 0) {
    throw new ValidationError(
      bundle
        ? 'Some responses in the Bundle cannot be recorded, so none were: see the errors'
        : 'This QuestionnaireResponse cannot be recorded: see the errors',
      errors,
    );
  }

  // A response already recorded on another of the PCN's episodes is not this episode's to take.
  const elsewhere = await tx
    .select({ id: outcomeResponses.id })
    .from(outcomeResponses)
    .where(
      and(
        eq(outcomeResponses.organisationId, episode.organisationId),
        inArray(
          outcomeResponses.submissionId,
          bodies.map((b) => b.submissionId),
        ),
        ne(outcomeResponses.referralId, referralId),
      ),
    );
  if (elsewhere.length > 0) {
    throw new ConflictError(
      'A response here was already recorded on another episode: it is not recorded twice.',
    );
  }

  const results: MeasureRecord[] = [];
  let created = 0;
  for (const [i, body] of bodies.entries()) {
    try {
      const result = await recordMeasure(tx, actor, referralId, body);
      if (result.created) created++;
      results.push(result.measure);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        bundle ? `Entry ${i} cannot be recorded, so none of the Bundle was: ${error.message}` : error.message,
        prefixed(error, at(i)),
      );
    }
  }
  await recordAudit(tx, actor, {
    action: 'outcomes.measures.imported',
    recordType: 'outcome_response',
    recordIds: results.map((m) => m.id),
    detail: { referralId, format: 'fhir', received: resources.length, created },
  });
  return { created, items: results };
}
