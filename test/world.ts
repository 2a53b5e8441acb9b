import type { Db } from '../src/db/client.ts';
import { ensureAllDirectories } from '../src/modules/directory/service.ts';
import { ensureShippedInstruments } from '../src/modules/outcomes/service.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import {
  makeOrganisation,
  makeUser,
  type Session,
  signIn,
  type TestApp,
  type TestUser,
} from './factories.ts';

/**
 * Two ICBs, so every rule can be tried across a tenant boundary:
 * ICB A → PCN A1 (practice A1a), PCN A2, VCSE A; ICB B → PCN B1.
 */
export async function makeWorld(db: Db) {
  const icbA = await makeOrganisation(db, { type: 'icb', name: 'ICB A' });
  const pcnA1 = await makeOrganisation(db, { type: 'pcn', name: 'PCN A1', parentId: icbA });
  const pcnA2 = await makeOrganisation(db, { type: 'pcn', name: 'PCN A2', parentId: icbA });
  const practiceA1a = await makeOrganisation(db, {
    type: 'gp_practice',
    name: 'Practice A1a',
    parentId: pcnA1,
  });
  const vcseA = await makeOrganisation(db, { type: 'vcse', name: 'VCSE A', parentId: icbA });
  const icbB = await makeOrganisation(db, { type: 'icb', name: 'ICB B' });
  const pcnB1 = await makeOrganisation(db, { type: 'pcn', name: 'PCN B1', parentId: icbB });
  const orgs = { icbA, pcnA1, pcnA2, practiceA1a, vcseA, icbB, pcnB1 };

  const users = {
    icbAdminA: await makeUser(db, { roles: [[icbA, 'admin']], name: 'ICB A admin' }),
    pcnAdminA1: await makeUser(db, { roles: [[pcnA1, 'admin']], name: 'PCN A1 admin' }),
    pcnAdminB1: await makeUser(db, { roles: [[pcnB1, 'admin']], name: 'PCN B1 admin' }),
    leadA1: await makeUser(db, { roles: [[pcnA1, 'lead_link_worker']], name: 'Lead A1' }),
    lwA1: await makeUser(db, { roles: [[pcnA1, 'link_worker']], name: 'Link worker A1' }),
    lwA1b: await makeUser(db, { roles: [[pcnA1, 'link_worker']], name: 'Link worker A1b' }),
    lwB1: await makeUser(db, { roles: [[pcnB1, 'link_worker']], name: 'Link worker B1' }),
    leadB1: await makeUser(db, { roles: [[pcnB1, 'lead_link_worker']], name: 'Lead B1' }),
    referrerA1a: await makeUser(db, { roles: [[practiceA1a, 'referrer']], name: 'Referrer A1a' }),
    vcseA: await makeUser(db, { roles: [[vcseA, 'vcse_partner']], name: 'VCSE partner A' }),
    commissionerA: await makeUser(db, { roles: [[icbA, 'commissioner']], name: 'Commissioner A' }),
    researcherA: await makeUser(db, { roles: [[icbA, 'researcher']], name: 'Researcher A' }),
    directoryManagerA: await makeUser(db, {
      roles: [[icbA, 'directory_manager']],
      name: 'Directory manager A',
    }),
  };
  // As at start-up: each ICB's directory has the shipped taxonomy and settings.
  await inTransaction(db, { system: true, now: new Date() }, async (tx) => {
    await ensureAllDirectories(tx, new Date());
    await ensureShippedInstruments(tx, new Date());
  });
  return { orgs, users };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;
export type UserKey = keyof World['users'];

/** Signs each user in once and reuses the session. */
export function sessionsFor(t: TestApp, world: World) {
  const cache = new Map<UserKey, Promise<Session>>();
  return (key: UserKey): Promise<Session> => {
    let s = cache.get(key);
    if (!s) {
      const user: TestUser = world.users[key];
      s = signIn(t, user);
      cache.set(key, s);
    }
    return s;
  };
}
