import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import {
  call,
  makeOrganisation,
  makeTestApp,
  makeUser,
  type Session,
  signIn,
  type TestApp,
} from '../../../test/factories.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { contextsAsOf } from './service.ts';

const base = {
  employmentModel: 'pcn_employed',
  baseSettings: ['gp_practice'],
  contractedHoursPerWeek: 37.5,
  supervision: 'clinical_supervisor_gp',
  clinicalSystemAccess: 'yes',
  practiceMeetings: 'regular',
  deliveryMode: 'in_person',
} as const;

describeEachDatabase('link worker implementation context', (db) => {
  let t: TestApp;
  let pcn: string;
  let vcse: string;
  let lead: Session;
  let amira: string;
  let tom: string;
  beforeAll(async () => {
    t = await makeTestApp(db());
    const icb = await makeOrganisation(db().db, { type: 'icb' });
    pcn = await makeOrganisation(db().db, { type: 'pcn', parentId: icb });
    vcse = await makeOrganisation(db().db, { type: 'vcse', parentId: icb, name: 'Community Action' });
    lead = await signIn(t, await makeUser(db().db, { roles: [[pcn, 'lead_link_worker']] }));
    amira = (await makeUser(db().db, { roles: [[pcn, 'link_worker']], name: 'Amira' })).id;
    tom = (await makeUser(db().db, { roles: [[pcn, 'link_worker']], name: 'Tom' })).id;
    const record = (id: string, body: object) =>
      call(t, lead, 'POST', `/api/link-workers/${id}/contexts`, body);
    expect((await record(amira, { ...base, effectiveFrom: '2025-04-01' })).statusCode).toBe(201);
    const moved = await record(amira, {
      ...base,
      effectiveFrom: '2026-01-05',
      employmentModel: 'vcse_hosted',
      employerOrganisationId: vcse,
      deliveryMode: 'hybrid',
      baseSettings: ['vcse_premises', 'community', 'community'],
    });
    expect(moved.statusCode).toBe(201);
    expect(moved.json()).toMatchObject({
      employerOrganisationName: 'Community Action',
      baseSettings: ['vcse_premises', 'community'],
    });
    expect(
      (await record(tom, { ...base, effectiveFrom: '2026-03-01', contractedHoursPerWeek: 22.5 })).statusCode,
    ).toBe(201);
  });
  afterAll(() => t.close());

  it('reads the context as it was on any date, including the day a change starts and the day before', async () => {
    const on = async (date: string) =>
      (await call(t, lead, 'GET', `/api/link-workers/${amira}/context?date=${date}`)).json();
    expect(await on('2025-04-01')).toMatchObject({
      employmentModel: 'pcn_employed',
      effectiveTo: '2026-01-04',
    });
    expect(await on('2026-01-04')).toMatchObject({ employmentModel: 'pcn_employed' });
    expect(await on('2026-01-05')).toMatchObject({
      employmentModel: 'vcse_hosted',
      deliveryMode: 'hybrid',
      effectiveTo: null,
    });
    expect(await on('2030-01-01')).toMatchObject({ employmentModel: 'vcse_hosted' });
    const before = await call(t, lead, 'GET', `/api/link-workers/${amira}/context?date=2025-03-31`);
    expect(before.statusCode).toBe(404);
    expect(before.json().detail).toMatch(/No implementation context was recorded/);
  });

  it('answers for many link workers at once, for evaluation work', async () => {
    const map = await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      contextsAsOf(tx, [amira, tom], '2026-02-01'),
    );
    expect(map.get(amira)?.employmentModel).toBe('vcse_hosted');
    expect(map.has(tom)).toBe(false);
    const later = await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      contextsAsOf(tx, [amira, tom], '2026-06-01'),
    );
    expect(later.get(tom)?.contractedHoursPerWeek).toBe(22.5);
  });

  it('keeps history: a second context on the same date is refused, and the profile lists every change newest first', async () => {
    const again = await call(t, lead, 'POST', `/api/link-workers/${amira}/contexts`, {
      ...base,
      effectiveFrom: '2026-01-05',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/never overwritten/);
    const profile = (await call(t, lead, 'GET', `/api/link-workers/${amira}`)).json();
    expect(profile.history.map((h: { effectiveFrom: string }) => h.effectiveFrom)).toEqual([
      '2026-01-05',
      '2025-04-01',
    ]);
    expect(profile.current.employmentModel).toBe('vcse_hosted');
  });

  it('refuses an employer that does not exist, naming the field', async () => {
    const res = await call(t, lead, 'POST', `/api/link-workers/${tom}/contexts`, {
      ...base,
      effectiveFrom: '2026-09-01',
      employerOrganisationId: '00000000-0000-7000-8000-000000000000',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('employerOrganisationId');
  });

  it('lists link workers with their current context', async () => {
    t.clock.set('2026-11-26T09:00:00Z');
    const list = (await call(t, lead, 'GET', '/api/link-workers')).json().items as {
      name: string;
      current: { employmentModel: string } | null;
    }[];
    expect(list.map((l) => [l.name, l.current?.employmentModel ?? null])).toEqual([
      ['Amira', 'vcse_hosted'],
      ['Tom', 'pcn_employed'],
    ]);
  });
});
