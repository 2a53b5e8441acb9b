import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { ucla3AnswersFor } from '../src/db/seed/insight-demo.ts';
import { linkWorkerContexts } from '../src/modules/link-workers/schema.ts';
import { instrumentDefinition } from '../src/modules/outcomes/definition.ts';
import { UCLA3 } from '../src/modules/outcomes/instruments.ts';
import { outcomeInstruments, outcomeResponses } from '../src/modules/outcomes/schema.ts';
import { scoreResponse } from '../src/modules/outcomes/scoring.ts';
import { discharges } from '../src/modules/pathway/schema.ts';
import { people } from '../src/modules/people/schema.ts';
import { referrals } from '../src/modules/referrals/schema.ts';
import { newId } from '../src/platform/ids.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { makeUser } from './factories.ts';
import type { World } from './world.ts';

/*
 * A fixed synthetic dataset with planted effects, for the "what works" explorer's tests. UCLA-3 (total 3–9, lower
 * is less lonely), baselines in February–March 2026, discharged 1 May 2026 agreeing to be contacted again, the
 * 9–12 month follow-up completed in February–March 2027; "today" is 15 June 2027, so every episode has reached
 * the long-term follow-up.
 *
 * Change from baseline to the long-term follow-up is made as
 *
 *   c = −0.5 − 1.0·[VCSE-hosted] − 0.6·[IMD quintile 5] − 1.0·[VCSE-hosted and IMD quintile 1]
 *       − 0.3·(baseline − 8) + noise (normal, SD 0.7, from a seeded generator)
 *
 * and the follow-up total is baseline + round(c), kept within 3–9. So, against PCN-employed link workers and IMD
 * quintile 1, the adjusted model with the interaction should find: VCSE-hosted −2.0, IMD quintile 5 −0.6, their
 * interaction +1.0 and baseline −0.3 (age and sex: 0).
 *
 * Groups (episodes): PCN-employed (link worker A1, PCN A1) and VCSE-hosted (link worker A1b, PCN A1), each 60 in
 * IMD quintile 1, 60 in quintile 5 and 10 without a postcode; every tenth of them has no follow-up measure (missing
 * data). Practice-employed (a link worker of PCN A2), 8 in quintile 1; hosted by the local authority (another of
 * PCN A2), 3 in quintile 1: too few to show, and the practice-employed group hidden with it so the 3 cannot be
 * worked out from the total.
 */

export const PLANTED_TODAY = '2027-06-15T11:00:00Z';
export const PLANTED_PERIOD = { from: '2026-01-01', to: '2026-12-31' };

export const PLANTED = {
  intercept: -0.5,
  vcse: -1.0,
  imd5: -0.6,
  vcseImd1: -1.0,
  baseline: -0.3,
  noiseSd: 0.7,
} as const;

export type Host = 'pcn_employed' | 'vcse_hosted' | 'practice_employed' | 'local_authority';

export interface PlantedEpisode {
  host: Host;
  /** IMD quintile; null without a postcode. */
  quintile: 1 | 5 | null;
  sex: 'female' | 'male';
  age: number;
  before: number;
  /** Null: reached the follow-up without a measure. */
  after: number | null;
}

/** mulberry32: a small seeded generator, so the dataset is the same on every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The episodes, with the values the database will hold. */
export function plantedEpisodes(): PlantedEpisode[] {
  const random = seeded(20261127);
  const normal = () => {
    // Box–Muller.
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const out: PlantedEpisode[] = [];
  const make = (host: Host, quintile: 1 | 5 | null, i: number) => {
    const before = 7 + (i % 3);
    const vcse = host === 'vcse_hosted' ? 1 : 0;
    const q5 = quintile === 5 ? 1 : 0;
    const q1 = quintile === 1 ? 1 : 0;
    const c =
      PLANTED.intercept +
      PLANTED.vcse * vcse +
      PLANTED.imd5 * q5 +
      PLANTED.vcseImd1 * vcse * q1 +
      PLANTED.baseline * (before - 8) +
      PLANTED.noiseSd * normal();
    const after = Math.min(9, Math.max(3, before + Math.round(c)));
    out.push({
      host,
      quintile,
      sex: i % 2 === 0 ? 'female' : 'male',
      age: 25 + ((i * 7) % 60),
      before,
      after: i % 10 === 9 ? null : after,
    });
  };
  for (const host of ['pcn_employed', 'vcse_hosted'] as const) {
    for (const quintile of [1, 5, null] as const) {
      const count = quintile === null ? 10 : 60;
      for (let i = 0; i < count; i++) make(host, quintile, i);
    }
  }
  for (let i = 0; i < 8; i++) make('practice_employed', 1, i);
  for (let i = 0; i < 3; i++) make('local_authority', 1, i);
  return out;
}

/** Writes the episodes through the same tables the pathway and outcomes write (triggers make the pairs). */
export async function seedPlanted(db: Db, world: World): Promise<PlantedEpisode[]> {
  const { orgs, users } = world;
  const episodes = plantedEpisodes();
  const practiceLw = await makeUser(db, {
    roles: [[orgs.pcnA2, 'link_worker']],
    name: 'Practice-employed LW',
  });
  const councilLw = await makeUser(db, { roles: [[orgs.pcnA2, 'link_worker']], name: 'Council-hosted LW' });
  const linkWorkerOf: Record<Host, { id: string; pcn: string }> = {
    pcn_employed: { id: users.lwA1.id, pcn: orgs.pcnA1 },
    vcse_hosted: { id: users.lwA1b.id, pcn: orgs.pcnA1 },
    practice_employed: { id: practiceLw.id, pcn: orgs.pcnA2 },
    local_authority: { id: councilLw.id, pcn: orgs.pcnA2 },
  };
  const ucla3 = instrumentDefinition.parse(UCLA3);
  const now = new Date(PLANTED_TODAY);
  await inTransaction(db, { system: true, now }, async (tx) => {
    const [instrument] = await tx
      .select({ id: outcomeInstruments.id })
      .from(outcomeInstruments)
      .where(eq(outcomeInstruments.code, 'ucla3'));
    await tx.insert(linkWorkerContexts).values(
      (Object.entries(linkWorkerOf) as [Host, { id: string; pcn: string }][]).map(([host, lw]) => ({
        id: newId(),
        organisationId: lw.pcn,
        linkWorkerId: lw.id,
        effectiveFrom: '2025-01-01',
        employmentModel: host,
        baseSettings: ['gp_practice' as const],
        contractedHoursPerWeek: '37.5',
        supervision: 'lead_link_worker' as const,
        clinicalSystemAccess: 'yes' as const,
        practiceMeetings: 'regular' as const,
        deliveryMode: 'in_person' as const,
        recordedBy: users.leadA1.id,
        recordedAt: now,
      })),
    );
    const personRows = [];
    const referralRows = [];
    const dischargeRows = [];
    const responseRows = [];
    for (const [i, e] of episodes.entries()) {
      const lw = linkWorkerOf[e.host];
      const personId = newId();
      const referralId = newId();
      const birthYear = 2026 - e.age;
      personRows.push({
        id: personId,
        organisationId: lw.pcn,
        givenName: 'Planted',
        familyName: `Person ${i}`,
        // Born in January, so on a February or March baseline they are `age` years old.
        dateOfBirth: `${birthYear}-01-10`,
        sex: e.sex,
        ethnicCategory: 'A' as const,
        addressLines: [],
        imdDecile: e.quintile === null ? null : e.quintile * 2,
        consentToShareWithServices: false,
        createdAt: now,
        updatedAt: now,
      });
      referralRows.push({
        id: referralId,
        organisationId: lw.pcn,
        personId,
        source: 'professional' as const,
        reasons: ['loneliness'],
        urgency: 'routine' as const,
        consentToReferral: true,
        status: 'discharged' as const,
        allocatedLinkWorkerId: lw.id,
        receivedAt: new Date('2026-01-20T09:00:00Z'),
        createdAt: now,
        updatedAt: now,
      });
      dischargeRows.push({
        referralId,
        organisationId: lw.pcn,
        personId,
        reason: 'goals_met' as const,
        dischargedOn: '2026-05-01',
        closingSummary: 'x',
        supportOffered: 'x',
        outcome: 'x',
        consentToFollowUp: true,
        dischargedBy: users.leadA1.id,
        dischargedAt: now,
      });
      const day = String(1 + (i % 28)).padStart(2, '0');
      const response = (timepoint: 'baseline' | 'follow_up_long', completedOn: string, total: number) => {
        const answers = ucla3AnswersFor(total);
        const scored = scoreResponse(ucla3, answers);
        return {
          id: newId(),
          organisationId: lw.pcn,
          personId,
          referralId,
          instrumentId: instrument!.id,
          instrumentCode: 'ucla3',
          timepoint,
          completedOn,
          completedBy: 'with_link_worker' as const,
          mode: 'in_person' as const,
          answers,
          status: scored.status,
          scores: scored.scores.map((s) => ({ code: s.code, value: s.value, band: s.band })),
          submissionId: newId(),
          superseded: false,
          recordedAt: now,
        };
      };
      responseRows.push(response('baseline', `2026-02-${day}`, e.before));
      if (e.after !== null) responseRows.push(response('follow_up_long', `2027-02-${day}`, e.after));
    }
    await tx.insert(people).values(personRows);
    await tx.insert(referrals).values(referralRows);
    await tx.insert(discharges).values(dischargeRows);
    await tx.insert(outcomeResponses).values(responseRows);
  });
  return episodes;
}
