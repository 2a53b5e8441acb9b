import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { importServices, loadPlaces, orukService } from '../../../test/directory.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';

/**
 * Any value in any query parameter or field of the directory's routes and the ORUK API: the answer is a 2xx or a
 * problem a person can act on, never a 5xx.
 */
describeEachDatabase('directory routes under random input', (db) => {
  let t: TestApp;
  let world: World;
  let lw: Session;
  let manager: Session;
  const base = orukService({ name: 'Fuzz base walk', terms: ['walking'], byday: 'TU' });
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    const as = sessionsFor(t, world);
    lw = await as('lwA1');
    manager = await as('directoryManagerA');
    await loadPlaces(db().db);
    await importServices(db().db, world.orgs.icbA, [base]);
  });
  afterAll(() => t.close());

  const anything = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('', 'TU', '09:00', '25:99', 'LS1 4AP', 'walk', '-1', '1e309', 'NaN', '\u0000'),
    fc.jsonValue(),
  );
  const queryValue = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      '',
      'TU',
      'Tuesday',
      '09:00',
      '12:00',
      '25:99',
      'LS1 4AP',
      'ZZ9 9ZZ',
      '-1',
      '0',
      '101',
      'true',
      'x'.repeat(300),
    ),
    fc.integer().map(String),
  );
  const query = (keys: string[]) =>
    fc
      .dictionary(fc.constantFrom(...keys, 'unknown', 'page[]'), queryValue, { maxKeys: 6 })
      .map((q) => new URLSearchParams(q).toString());

  it('search never answers with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        query([
          'q',
          'term',
          'need',
          'postcode',
          'withinKm',
          'day',
          'from',
          'to',
          'age',
          'free',
          'attending',
          'language',
          'accessibility',
          'page',
          'perPage',
        ]),
        async (qs) => {
          const res = await call(t, lw, 'GET', `/api/directory/search?${qs}`);
          expect(res.statusCode, `${qs}\n${res.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the ORUK API never answers with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/oruk/v3/services',
          '/oruk/v3/service_at_locations',
          '/oruk/v3/taxonomy_terms',
          '/oruk/v3/taxonomies',
        ),
        query([
          'page',
          'per_page',
          'search',
          'taxonomy_term_id',
          'taxonomy_id',
          'minimum_age',
          'maximum_age',
          'start_time',
          'end_time',
          'day',
          'postcode',
          'proximity',
          'modified_after',
          'organization_id',
          'parent_id',
          'top_only',
        ]),
        fc.oneof(
          fc.constant(''),
          fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${encodeURIComponent(s)}`),
        ),
        async (path, qs, tail) => {
          const res = await call(t, null, 'GET', `${path}${tail}?${qs}`);
          expect(res.statusCode, `${path}${tail}?${qs}\n${res.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('adding or editing a service never answers with a 5xx, whatever the fields hold', async () => {
    const fields = Object.keys(base);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...fields, 'extra'), anything, { maxKeys: 4 }),
        fc.boolean(),
        async (changes, edit) => {
          const body = { ...base, id: edit ? base.id : crypto.randomUUID(), ...changes };
          const res = edit
            ? await call(t, manager, 'PUT', `/api/directory/services/${base.id}`, {
                version: 1,
                service: body,
              })
            : await call(t, manager, 'POST', '/api/directory/services', body);
          expect(res.statusCode, `${JSON.stringify(changes)}\n${res.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 120 },
    );
  });
});
