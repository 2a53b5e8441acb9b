import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import {
  call,
  makeOrganisation,
  makeTestApp,
  makeUser,
  signIn,
  type TestApp,
} from '../../../test/factories.ts';
import { rowsOf } from '../../db/client.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { importDeprivation, importPostcodes } from './import.ts';
import { lookupPostcode } from './service.ts';

describeEachDatabase('geography lookup', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(db());
  });
  afterAll(() => t.close());

  it('imports the ONS Postcode Directory and IoD layouts, skipping terminated postcodes and ones without coordinates', async () => {
    const imd = await importDeprivation(db().db, 'data/geography/sample-imd.csv');
    expect(imd).toMatchObject({ read: 6, imported: 6, skipped: [] });
    const pcs = await importPostcodes(db().db, 'data/geography/sample-onspd.csv');
    expect(pcs.imported).toBe(10);
    expect(pcs.skipped.map((s) => s.reason)).toEqual(['XX39ZZ is terminated', 'XX39ZY has no coordinates']);
    // Running it again updates in place.
    expect((await importPostcodes(db().db, 'data/geography/sample-onspd.csv')).imported).toBe(10);
    const system = { system: true as const, now: new Date() };
    expect(await inTransaction(db().db, system, (tx) => lookupPostcode(tx, 'xx1 1aa'))).toEqual({
      latitude: 53.7961,
      longitude: -1.5478,
      lsoaCode: 'E01990001',
      imdDecile: 1,
    });
    expect(await inTransaction(db().db, system, (tx) => lookupPostcode(tx, 'XX9 9XX'))).toBeNull();
  });

  it('derives a referred person’s IMD decile from their postcode, and leaves it blank for an unknown postcode', async () => {
    const pcn = await makeOrganisation(db().db, { type: 'pcn' });
    const lead = await signIn(t, await makeUser(db().db, { roles: [[pcn, 'lead_link_worker']] }));
    const refer = (givenName: string, postcode: string) =>
      call(t, lead, 'POST', '/api/referrals', {
        person: { givenName, familyName: 'Geo', dateOfBirth: '1980-01-01', sex: 'not_stated', postcode },
        reasons: ['housing'],
        consentToReferral: true,
      });
    const known = (await refer('Known', 'XX3 1AB')).json();
    const unknown = (await refer('Unknown', 'LS1 4AP')).json();
    const facts = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ id: string; lsoa_code: string | null; imd_decile: number | null }>(
        await tx.execute(
          sql`select id, lsoa_code, imd_decile from people where id in (${known.personId}, ${unknown.personId})`,
        ),
      ),
    );
    expect(facts.find((f) => f.id === known.personId)).toMatchObject({
      lsoa_code: 'E01990005',
      imd_decile: 9,
    });
    expect(facts.find((f) => f.id === unknown.personId)).toMatchObject({ lsoa_code: null, imd_decile: null });
  });
});
