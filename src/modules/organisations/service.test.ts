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

describeEachDatabase('organisation tree', (db) => {
  let t: TestApp;
  let icb: string;
  let pcn: string;
  let admin: Session;
  beforeAll(async () => {
    t = await makeTestApp(db());
    icb = await makeOrganisation(db().db, { type: 'icb', name: 'The ICB' });
    pcn = await makeOrganisation(db().db, { type: 'pcn', parentId: icb, name: 'The PCN', odsCode: 'U11111' });
    admin = await signIn(t, await makeUser(db().db, { roles: [[icb, 'admin']] }));
  });
  afterAll(() => t.close());

  const create = (body: object) => call(t, admin, 'POST', '/api/organisations', body);

  it('builds ICB → PCN → GP practice, with VCSE and councils beside them', async () => {
    const practice = await create({
      type: 'gp_practice',
      name: 'High Street Surgery',
      odsCode: ' b82005 ',
      parentId: pcn,
    });
    expect(practice.statusCode).toBe(201);
    expect(practice.json()).toMatchObject({ odsCode: 'B82005', parentId: pcn, manageable: true });
    expect((await create({ type: 'vcse', name: 'Men’s Shed', parentId: pcn })).statusCode).toBe(201);
    expect(
      (await create({ type: 'local_authority', name: 'County Council', parentId: icb })).statusCode,
    ).toBe(201);
    const list = (await call(t, admin, 'GET', '/api/organisations')).json().items as { name: string }[];
    expect(list.map((o) => o.name)).toEqual(
      expect.arrayContaining(['The ICB', 'The PCN', 'High Street Surgery', 'Men’s Shed', 'County Council']),
    );
  });

  it('refuses a practice directly under an ICB, and says where it belongs', async () => {
    const res = await create({ type: 'gp_practice', name: 'Misplaced Surgery', parentId: icb });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0]).toEqual({
      field: 'parentId',
      message: 'A GP practice must sit under a PCN, not an ICB',
    });
  });

  it('refuses a second organisation with the same ODS code', async () => {
    const res = await create({ type: 'pcn', name: 'Copy PCN', odsCode: 'U11111', parentId: icb });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('odsCode');
  });

  it('refuses a malformed ODS code', async () => {
    const res = await create({ type: 'pcn', name: 'Odd PCN', odsCode: 'U-1!', parentId: icb });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      field: 'odsCode',
      message: expect.stringMatching(/3 to 10 letters and numbers/),
    });
  });

  it('moves a practice to another PCN, but never under itself or under the wrong type', async () => {
    const other = (await create({ type: 'pcn', name: 'Other PCN', parentId: icb })).json();
    const practice = (await create({ type: 'gp_practice', name: 'Moving Surgery', parentId: pcn })).json();
    const moved = await call(t, admin, 'PATCH', `/api/organisations/${practice.id}`, {
      version: 1,
      parentId: other.id,
    });
    expect(moved.json()).toMatchObject({ parentId: other.id, version: 2 });
    const loop = await call(t, admin, 'PATCH', `/api/organisations/${other.id}`, {
      version: 1,
      parentId: other.id,
    });
    expect(loop.statusCode).toBe(422);
  });
});
