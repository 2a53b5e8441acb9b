import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, openTestDatabase } from '../../../test/db.ts';
import {
  importServices,
  loadPlaces,
  orukPageErrors,
  orukSchemaErrors,
  orukService,
  termId,
} from '../../../test/directory.ts';
import { call, makeOrganisation, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { rowsOf } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { importDirectory, importOrukTaxonomies, orukApiRecords } from './import.ts';
import { ensureAllDirectories } from './service.ts';

describeEachDatabase('the community services directory', (db, kind) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  const ids: Record<string, string> = {};
  const today = () => t.clock.now().toISOString().slice(0, 10);
  const daysAgo = (n: number) =>
    new Date(t.clock.now().getTime() - n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
    await loadPlaces(db().db);
    const services = [
      orukService({
        name: 'Headingley Health Walk',
        description: 'A gentle led walk around the park, with tea after.',
        place: 'leedsHeadingley',
        terms: ['walking'],
        byday: 'TU',
        opensAt: '10:00',
        closesAt: '11:30',
        attending: 'In person',
        assuredDate: daysAgo(21),
        accessibility: 'Step-free route; accessible toilet in the café',
      }),
      orukService({
        name: 'City Centre Debt Advice',
        description: 'Free, confidential advice on debts and bills.',
        place: 'leedsCentre',
        terms: ['debt-advice', 'benefits-advice'],
        byday: 'MO,WE',
        opensAt: '09:00',
        closesAt: '17:00',
        assuredDate: daysAgo(200),
        languages: ['English', 'Urdu'],
      }),
      orukService({
        name: 'Bradford Community Choir',
        place: 'bradford',
        terms: ['singing'],
        byday: 'TH',
        opensAt: '19:00',
        closesAt: '21:00',
        free: false,
        assuredDate: daysAgo(10),
      }),
      orukService({
        name: 'Telephone Befriending',
        description: 'A weekly friendly call from a volunteer.',
        place: null,
        terms: ['befriending'],
        byday: 'MO,TU,WE,TH,FR',
        opensAt: '09:00',
        closesAt: '17:00',
        attending: 'By phone',
        minimumAge: 65,
        assuredDate: daysAgo(5),
      }),
      orukService({
        name: 'Leeds Walking Netball',
        place: 'leedsCentre',
        terms: ['exercise-classes'],
        byday: 'SA',
        opensAt: '14:00',
        closesAt: '15:00',
        assuredDate: daysAgo(30),
      }),
      orukService({
        name: 'York Men’s Shed',
        place: 'york',
        terms: ['mens-sheds'],
        byday: 'WE',
        assuredDate: daysAgo(3),
      }),
      orukService({
        name: 'Closed Lunch Club',
        place: 'leedsCentre',
        terms: ['lunch-clubs'],
        status: 'defunct',
      }),
    ];
    for (const s of services) ids[s.name as string] = s.id as string;
    const report = await importServices(db().db, world.orgs.icbA, services);
    expect(report).toMatchObject({ added: 7, updated: 0, unchanged: 0, rejected: 0 });
  });
  afterAll(() => t.close());

  const get = async (who: keyof World['users'] | null, url: string) =>
    call(t, who ? await as(who) : null, 'GET', url);
  const send = async (who: keyof World['users'], method: 'POST' | 'PUT', url: string, body: unknown) =>
    call(t, await as(who), method, url, body as Record<string, unknown>);
  const search = async (query: string, who: keyof World['users'] = 'lwA1') => {
    const res = await get(who, `/api/directory/search?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      items: { name: string; reasons: string[]; distanceKm: number | null }[];
      total: number;
    };
  };
  const names = (r: { items: { name: string }[] }) => r.items.map((i) => i.name);

  it('imports idempotently: the same feed again changes nothing, a changed record is updated with history', async () => {
    const again = orukService({ id: ids['Leeds Walking Netball'], name: 'Leeds Walking Netball' });
    const first = await importServices(db().db, world.orgs.icbA, [again], 'second-feed');
    expect(first.rejected).toBe(1);
    expect(first.rejections[0]!.reasons[0]).toContain('is already in this directory from "test-feed"');

    const rows = rowsOf<{ record: unknown }>(
      await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
        tx.execute(
          sql`select record from directory_service_history where service_id = ${ids['Headingley Health Walk']}`,
        ),
      ),
    );
    expect(rows).toHaveLength(0); // history keeps earlier versions: there are none yet
  });

  it('rejects bad records with the reason and still imports the good ones, never half a service', async () => {
    const good = orukService({ name: 'Good Gardening Group', terms: ['gardening'], byday: 'FR' });
    const badCoords = orukService({ name: 'Absurd Place' });
    (badCoords.service_at_locations as Record<string, Record<string, unknown>>[])[0]!.location!.latitude =
      123;
    const badSchedule = orukService({ name: 'Never Recurs', byday: 'XX' });
    const missingName = { ...orukService({ name: 'x' }), name: undefined };
    const badId = { ...orukService({ name: 'Not A Uuid' }), id: '12345' };
    const unknownTerm = orukService({ name: 'Unknown Term' });
    (unknownTerm.attributes as unknown[]).push({ id: newId(), taxonomy_term_id: newId() });
    const duplicate = { ...orukService({ name: 'Twin' }), id: good.id };
    const report = await importServices(db().db, world.orgs.icbA, [
      good,
      badCoords,
      badSchedule,
      missingName,
      badId,
      unknownTerm,
      duplicate,
    ]);
    expect(report).toMatchObject({ added: 1, rejected: 6 });
    const reasons = Object.fromEntries(report.rejections.map((r) => [r.position, r.reasons.join(' | ')]));
    expect(reasons['record 2']).toContain(
      'service_at_locations[0].location.latitude: must be between -90 and 90',
    );
    expect(reasons['record 3']).toContain('schedules[0].byday: has days that cannot recur weekly: XX');
    expect(reasons['record 4']).toContain('name: must be text');
    expect(reasons['record 5']).toContain('id: must be a UUID');
    expect(reasons['record 6']).toContain('is not in this directory’s taxonomies'.replace('’', "'"));
    expect(reasons['record 7']).toContain('is in this import twice (first at record 1)');
    const [{ n }] = rowsOf<{ n: number }>(
      await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
        tx.execute(
          sql`select count(*)::int as n from directory_services where name in ('Absurd Place', 'Unknown Term')`,
        ),
      ),
    ) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('finds services by stemmed words, by typo, by need, and says why each matched', async () => {
    expect(names(await search('q=walks'))).toEqual(
      expect.arrayContaining(['Headingley Health Walk', 'Leeds Walking Netball']),
    );
    expect(names(await search('q=wlking'))).toContain('Headingley Health Walk');
    const byNeed = await search('need=money_debt_benefits');
    expect(names(byNeed)).toEqual(['City Centre Debt Advice']);
    expect(byNeed.items[0]!.reasons).toEqual([
      'debt advice',
      'benefits advice',
      'free',
      'Mon, Wed 09:00–17:00',
      expect.stringMatching(/^last verified (6|7) months ago$/),
    ]);
    expect(names(await search('q=lunch'))).toEqual([]); // defunct services are not offered
  });

  it('narrows by distance from a postcode, nearest first, keeping phone services that fit the need', async () => {
    // The health walk matches "walk" best (name and tag), so it leads although the netball is nearer.
    const near = await search('postcode=LS1%204AP&withinKm=5&q=walk');
    expect(names(near)).toEqual(['Headingley Health Walk', 'Leeds Walking Netball']);
    expect(near.items[1]!.distanceKm).toBeCloseTo(0, 3);
    expect(near.items[0]!.distanceKm).toBeGreaterThan(2.5);
    expect(near.items[0]!.distanceKm).toBeLessThan(3.5);
    expect(near.items[0]!.reasons).toEqual([
      'walking groups',
      `${near.items[0]!.distanceKm!.toFixed(1)} km`,
      'free',
      'Tue 10:00–11:30',
      'verified 3 weeks ago',
    ]);
    const lonely = await search('postcode=LS1%204AP&withinKm=20&need=loneliness'); // York is 34 km away
    expect(names(lonely)).toEqual(['Telephone Befriending']);
    expect(lonely.items[0]!.reasons).toContain('online or phone');
    expect(names(await search('postcode=LS1%204AP&withinKm=20&q=choir'))).toEqual([
      'Bradford Community Choir',
    ]);
    expect(names(await search('postcode=LS1%204AP&withinKm=10&q=choir'))).toEqual([]);
  });

  it('filters by day and time, age, cost, attending, language and accessibility', async () => {
    expect(names(await search('day=TU&from=09:00&to=12:00&q=walk'))).toEqual(['Headingley Health Walk']);
    expect(names(await search('day=TU&from=13:00&to=17:00&q=walk'))).toEqual([]);
    expect(names(await search('need=loneliness&age=40'))).toEqual(['York Men’s Shed']);
    expect(names(await search('need=loneliness&age=70')).sort()).toEqual([
      'Telephone Befriending',
      'York Men’s Shed',
    ]);
    expect(names(await search('q=choir&free=true'))).toEqual([]);
    expect(names(await search('q=choir'))).toEqual(['Bradford Community Choir']);
    expect(names(await search('attending=phone'))).toEqual(['Telephone Befriending']);
    expect(names(await search('language=urdu'))).toEqual(['City Centre Debt Advice']);
    expect(names(await search('accessibility=wheelchair'))).toEqual(['Headingley Health Walk']);
  });

  it('says which postcode it does not know instead of finding nothing, and names bad filters', async () => {
    const unknown = await get('lwA1', '/api/directory/search?postcode=ZZ99%209ZZ&withinKm=5');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([
      { field: 'postcode', message: expect.stringContaining('We do not know the postcode ZZ99 9ZZ') },
    ]);
    const noPostcode = await get('lwA1', '/api/directory/search?withinKm=5');
    expect(noPostcode.statusCode).toBe(400);
    expect(noPostcode.body).toContain('Enter a postcode to search within a distance');
    expect((await get('lwA1', '/api/directory/search?day=Tuesday')).statusCode).toBe(400);
  });

  it('keeps each ICB’s directory to itself', async () => {
    expect(names(await search('q=walk', 'lwB1'))).toEqual([]);
    expect((await get('lwB1', `/api/directory/services/${ids['Headingley Health Walk']}`)).statusCode).toBe(
      404,
    );
    expect((await get('lwA1', `/api/directory/services/${ids['Headingley Health Walk']}`)).statusCode).toBe(
      200,
    );
    expect((await get(null, '/api/directory/search?q=walk')).statusCode).toBe(401);
  });

  it('turns stale services and reports into tasks; verifying moves the assured date and keeps history', async () => {
    const tasks = (await get('lwA1', '/api/directory/tasks')).json();
    const stale = tasks.items
      .filter((i: { kind: string }) => i.kind === 'stale')
      .map((i: { name: string }) => i.name);
    expect(stale).toContain('City Centre Debt Advice');
    expect(stale).not.toContain('Headingley Health Walk');
    const id = ids['City Centre Debt Advice']!;
    const before = (await get('lwA1', `/api/directory/services/${id}`)).json();
    expect(before.freshness.stale).toBe(true);
    const verified = await send('lwA1', 'POST', `/api/directory/services/${id}/verify`, {
      version: before.version,
      note: 'Rang them: same hours',
    });
    expect(verified.statusCode, verified.body).toBe(200);
    const after = (await get('directoryManagerA', `/api/directory/services/${id}`)).json();
    expect(after.oruk.assured_date).toBe(today());
    expect(after.freshness).toMatchObject({ stale: false, words: 'verified today' });
    expect(after.history.map((h: { change: string }) => h.change)).toEqual(['verified', 'imported']);
    const stale2 = await send('lwA1', 'POST', `/api/directory/services/${id}/verify`, {
      version: before.version,
    });
    expect(stale2.statusCode).toBe(409);

    const report = await send(
      'lwA1',
      'POST',
      `/api/directory/services/${ids['Leeds Walking Netball']}/reports`,
      {
        kind: 'closed',
        note: 'The hall told me it stopped in October',
      },
    );
    expect(report.statusCode, report.body).toBe(201);
    const withReport = (await get('leadA1', '/api/directory/tasks')).json();
    expect(withReport.items[0]).toMatchObject({ name: 'Leeds Walking Netball', kind: 'closed' });
    expect(
      (await send('lwA1', 'POST', `/api/directory/reports/${report.json().id}/resolve`, { resolution: 'x' }))
        .statusCode,
    ).toBe(403);
    const resolved = await send(
      'directoryManagerA',
      'POST',
      `/api/directory/reports/${report.json().id}/resolve`,
      {
        resolution: 'Confirmed with the hall',
        status: 'defunct',
      },
    );
    expect(resolved.statusCode, resolved.body).toBe(204);
    expect(names(await search('q=netball'))).toEqual([]);
  });

  it('lets directory managers add and change services with the import’s rules, and nobody else', async () => {
    const svc = orukService({ name: 'Tuesday Knit and Natter', terms: ['arts-crafts'], byday: 'TU' });
    expect((await send('lwA1', 'POST', '/api/directory/services', svc)).statusCode).toBe(403);
    const bad = await send('directoryManagerA', 'POST', '/api/directory/services', {
      ...svc,
      status: 'open',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { field: 'status', message: expect.stringContaining('must be one of active') },
    ]);
    const made = await send('directoryManagerA', 'POST', '/api/directory/services', svc);
    expect(made.statusCode, made.body).toBe(201);
    const changed = await send('directoryManagerA', 'PUT', `/api/directory/services/${svc.id}`, {
      version: 1,
      service: { ...svc, name: 'Knit and Natter' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const conflict = await send('directoryManagerA', 'PUT', `/api/directory/services/${svc.id}`, {
      version: 1,
      service: svc,
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().currentVersion).toBe(2);
    expect(names(await search('q=knit'))).toEqual(['Knit and Natter']);
  });

  it('maps needs to taxonomy terms, editable by the ICB', async () => {
    const needs = (await get('lwA1', '/api/directory/needs')).json();
    expect(needs.items.find((n: { need: string }) => n.need === 'caring').terms).toEqual([
      { id: termId('carers'), name: 'Carers support' },
    ]);
    const put = await send('directoryManagerA', 'PUT', '/api/directory/needs', {
      items: [{ need: 'caring', termIds: [termId('carers'), termId('befriending')] }],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(names(await search('need=caring'))).toEqual(['Telephone Befriending']);
    const bad = await send('directoryManagerA', 'PUT', '/api/directory/needs', {
      items: [{ need: 'caring', termIds: [newId()] }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('items.0.termIds.0');
  });

  // ----------------------------------------------------------------------------------------------------------
  // The ORUK 3.0 API

  it('publishes the directory as ORUK 3.0: every response valid against the official schemas', async () => {
    const meta = await get(null, '/oruk/v3/');
    expect(meta.statusCode).toBe(200);
    expect(meta.headers['access-control-allow-origin']).toBe('*');
    expect(meta.json()).toMatchObject({ version: '3.0' });

    const list = await get(null, '/oruk/v3/services?page=1&per_page=3&not_a_parameter=1');
    expect(list.statusCode).toBe(200);
    expect(list.headers['access-control-allow-origin']).toBe('*');
    const body = list.json();
    expect(orukPageErrors('compiled/service_list.json', body)).toEqual([]);
    expect(body).toMatchObject({ page_number: 1, size: 3, first_page: true, last_page: false, empty: false });
    expect(body.total_pages).toBe(Math.ceil(body.total_items / 3));
    const last = (await get(null, `/oruk/v3/services?page=${body.total_pages}&per_page=3`)).json();
    expect(last).toMatchObject({ last_page: true, page_number: body.total_pages });
    const beyond = (await get(null, `/oruk/v3/services?page=${body.total_pages + 1}&per_page=3`)).json();
    expect(beyond).toMatchObject({ empty: true, size: 0, total_items: body.total_items });

    const full = await get(null, `/oruk/v3/services/${ids['Headingley Health Walk']}`);
    expect(full.statusCode).toBe(200);
    const record = full.json();
    expect(orukSchemaErrors('compiled/service.json', record)).toEqual([]);
    expect(record.service_at_locations[0].location.addresses[0].postal_code).toBe('LS6 3HN');
    expect(record.attributes[0].taxonomy_term.name).toBe('Walking groups');
    expect(JSON.stringify(record)).not.toMatch(/:null|:""|:\[\]/); // empty optional fields are omitted

    const sals = await get(null, '/oruk/v3/service_at_locations?postcode=LS1%204AP&proximity=5000');
    expect(orukPageErrors('compiled/service_at_location_list.json', sals.json())).toEqual([]);
    expect(sals.json().contents.map((c: { service: { name: string } }) => c.service.name)).toEqual(
      expect.arrayContaining(['City Centre Debt Advice', 'Headingley Health Walk']),
    );
    expect(sals.json().contents.map((c: { service: { name: string } }) => c.service.name)).not.toContain(
      'Bradford Community Choir',
    );
    const oneSal = await get(null, `/oruk/v3/service_at_locations/${sals.json().contents[0].id}`);
    expect(orukSchemaErrors('compiled/service_at_location.json', oneSal.json())).toEqual([]);

    const taxonomies = (await get(null, '/oruk/v3/taxonomies')).json();
    for (const tx of taxonomies.contents) expect(orukSchemaErrors('taxonomy.json', tx)).toEqual([]);
    const terms = (await get(null, '/oruk/v3/taxonomy_terms?per_page=200')).json();
    expect(terms.total_items).toBeGreaterThan(40);
    for (const term of terms.contents) expect(orukSchemaErrors('taxonomy_term.json', term)).toEqual([]);
    expect(
      orukSchemaErrors(
        'taxonomy_term.json',
        (await get(null, `/oruk/v3/taxonomy_terms/${termId('walking')}`)).json(),
      ),
    ).toEqual([]);
    expect((await get(null, `/oruk/v3/taxonomies/${taxonomies.contents[0].id}`)).statusCode).toBe(200);

    const byTerm = (await get(null, `/oruk/v3/services?taxonomy_term_id=${termId('singing')}`)).json();
    expect(byTerm.contents.map((s: { name: string }) => s.name)).toEqual(['Bradford Community Choir']);
    const byDay = (
      await get(null, '/oruk/v3/services?day=TU&start_time=09:00&end_time=12:00&search=walk')
    ).json();
    expect(byDay.contents.map((s: { name: string }) => s.name)).toEqual(['Headingley Health Walk']);
  });

  it('answers bad ORUK requests with problem documents, never a 500', async () => {
    const badPage = await get(null, '/oruk/v3/services?page=zero');
    expect(badPage.statusCode).toBe(400);
    expect(badPage.headers['content-type']).toContain('application/problem+json');
    expect((await get(null, '/oruk/v3/services?per_page=100000')).statusCode).toBe(400);
    expect((await get(null, '/oruk/v3/services/not-a-uuid')).statusCode).toBe(404);
    expect((await get(null, `/oruk/v3/services/${newId()}`)).statusCode).toBe(404);
    expect((await get(null, '/oruk/v3/service_at_locations?postcode=ZZ1%201ZZ')).statusCode).toBe(422);
    expect((await get(null, '/oruk/v3/nothing-here')).statusCode).toBe(404);
    expect((await get(null, '/oruk/v3/nothing-here')).headers['content-type']).toContain(
      'application/problem+json',
    );
    expect((await get(null, `/oruk/v3/icbs/NOPE/services`)).statusCode).toBe(404);
  });

  it('round trip: another Linkwork imports this one’s ORUK API and publishes the same directory', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/oruk/v3`;
    const other = await openTestDatabase(kind);
    try {
      const icb = await makeOrganisation(other.db, { type: 'icb', name: 'Elsewhere ICB' });
      await inTransaction(other.db, { system: true, now: new Date() }, (tx) =>
        ensureAllDirectories(tx, new Date()),
      );
      const taxonomies = await importOrukTaxonomies(other.db, icb, base, () => new Date());
      expect(taxonomies.rejected).toEqual([]);
      let pages = 0;
      const report = await importDirectory(
        other.db,
        orukApiRecords(base, { perPage: 4, concurrency: 3, onPage: () => void pages++ }),
        { icbId: icb, source: 'elsewhere', format: 'oruk3', location: base, now: () => new Date() },
      );
      const total = (await get(null, '/oruk/v3/services?per_page=1')).json().total_items;
      expect(report).toMatchObject({ added: total, rejected: 0 });
      expect(pages).toBe(Math.ceil(total / 4));
      const again = await importDirectory(other.db, orukApiRecords(base, { perPage: 50 }), {
        icbId: icb,
        source: 'elsewhere',
        format: 'oruk3',
        location: base,
        now: () => new Date(),
      });
      expect(again).toMatchObject({ added: 0, updated: 0, unchanged: total, rejected: 0 });

      const t2 = await makeTestApp(other);
      try {
        for (const path of [
          '/oruk/v3/services?per_page=200',
          '/oruk/v3/taxonomy_terms?per_page=200',
          '/oruk/v3/taxonomies',
        ]) {
          expect((await call(t2, null, 'GET', path)).json()).toEqual((await get(null, path)).json());
        }
        for (const id of Object.values(ids)) {
          const mine = await get(null, `/oruk/v3/services/${id}`);
          const theirs = await call(t2, null, 'GET', `/oruk/v3/services/${id}`);
          expect(theirs.json()).toEqual(mine.json());
        }
      } finally {
        await t2.close();
      }
    } finally {
      await other.close();
    }
  });
});
