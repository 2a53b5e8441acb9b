import { sql } from 'drizzle-orm';
import type { contactModes } from '../../modules/contacts/contract.ts';
import { contacts } from '../../modules/contacts/schema.ts';
import { linkWorkerContexts } from '../../modules/link-workers/schema.ts';
import { instrumentDefinition } from '../../modules/outcomes/definition.ts';
import { UCLA3 } from '../../modules/outcomes/instruments.ts';
import { outcomeResponses } from '../../modules/outcomes/schema.ts';
import { scoreResponse } from '../../modules/outcomes/scoring.ts';
import { discharges } from '../../modules/pathway/schema.ts';
import { people } from '../../modules/people/schema.ts';
import { referrals } from '../../modules/referrals/schema.ts';
import { newReference } from '../../modules/referrals/service.ts';
import { newId } from '../../platform/ids.ts';
import { type Db, rowsOf } from '../client.ts';
import { mulberry32 } from './outcomes-demo.ts';

/*
 * History for the "what works" explorer: 480 episodes that began 14 to 20 months before the seed date, all
 * discharged, with a UCLA-3 at baseline, at discharge (most) and at the 9–12 month follow-up (for most who agreed
 * to it), so the explorer has follow-up pairs to break down. Amira Hassan and Tom Bennett were PCN-employed then;
 * Grace Lee was hosted by Riverside Community Action before the council took over her hosting (a context row from
 * June 2024, added here). People live across the demo's sample postcodes (IMD quintiles 1 to 5), a few without one;
 * few of Grace's lived in Moorland (quintile 5), so that cell is too small to show.
 *
 * The numbers follow a small model with a pattern to find, like real services' (and fictional): everyone a little
 * less lonely on average, more so with a VCSE-hosted link worker, and most of all for VCSE-hosted link workers'
 * people in the most deprived areas; lonelier at baseline, more room to improve. Contacts (first contact and a
 * few more, in the link worker's usual modes) make the mechanism proxies show something too.
 */

const EPISODES = 480;

type Lw = 'amira' | 'tom' | 'grace';

export interface InsightDemoIds {
  riverside: string;
  moorland: string;
  /** Each PCN's practices, where the history's people are registered. */
  practices: { riverside: readonly string[]; moorland: readonly string[] };
  rca: string;
  lead: string;
  tom: string;
  amira: string;
  grace: string;
}

/** The sample postcodes by IMD quintile (deciles 1–2, 5, 7, 9–10), and how often people live in each. */
const POSTCODES: readonly (readonly [number, readonly string[]])[] = [
  [0.35, ['XX1 1AA', 'XX1 1AB', 'XX1 2AA', 'XX1 2AB']],
  [0.2, ['XX2 1AA', 'XX2 1AB']],
  [0.2, ['XX2 2AA']],
  [0.25, ['XX3 1AA', 'XX3 1AB', 'XX3 2AA']],
];
const GIVEN = ['Alex', 'Sam', 'Jo', 'Chris', 'Pat', 'Robin', 'Jamie', 'Morgan', 'Kim', 'Lee', 'Ash', 'Nat'];
const FAMILY = [
  'Archer',
  'Baker',
  'Carter',
  'Dixon',
  'Ellis',
  'Fisher',
  'Grant',
  'Hughes',
  'Irwin',
  'Jarvis',
];
const NEEDS = [
  'loneliness',
  'loneliness',
  'mental_wellbeing',
  'money_debt_benefits',
  'physical_activity',
  'bereavement',
];
const ETHNIC = ['A', 'A', 'A', 'A', 'A', 'A', 'B', 'C', 'H', 'J', 'M', 'N', 'D', 'Z'] as const;

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** UCLA-3 answers (each 1–3) adding up to a total of 3–9. */
export function ucla3AnswersFor(total: number) {
  const first = Math.min(3, total - 2);
  const rest = total - first;
  const second = Math.min(3, rest - 1);
  return { lack_companionship: first, left_out: second, isolated: rest - second };
}

export async function seedInsightDemo(tx: Db, now: Date, ids: InsightDemoIds): Promise<{ episodes: number }> {
  const random = mulberry32(27_112_026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const [ucla3] = rowsOf<{ id: string }>(
    await tx.execute(sql`select id from outcome_instruments where organisation_id is null and code = 'ucla3'
      order by created_at desc limit 1`),
  );
  const definition = instrumentDefinition.parse(UCLA3);
  const imdOf = new Map(
    rowsOf<{ postcode: string; decile: number | null }>(
      await tx.execute(sql`select pc.postcode, d.imd_decile as decile from postcodes pc
        left join lsoa_deprivation d on d.lsoa_code = pc.lsoa_code`),
    ).map((r) => [r.postcode, r.decile]),
  );

  // Before the council hosted her, Grace was hosted by Riverside Community Action.
  await tx.insert(linkWorkerContexts).values({
    id: newId(),
    organisationId: ids.riverside,
    linkWorkerId: ids.grace,
    employerOrganisationId: ids.rca,
    effectiveFrom: '2024-06-03',
    employmentModel: 'vcse_hosted',
    baseSettings: ['vcse_premises', 'community'],
    contractedHoursPerWeek: '30',
    supervision: 'host_organisation_manager',
    clinicalSystemAccess: 'read_only',
    practiceMeetings: 'occasional',
    deliveryMode: 'in_person',
    notes: 'Hosted by Riverside Community Action until the council took over hosting.',
    recordedBy: ids.lead,
    recordedAt: now,
  });

  type Mode = (typeof contactModes)[number];
  const linkWorkers: Record<Lw, { id: string; pcn: string; modes: readonly Mode[] }> = {
    amira: { id: ids.amira, pcn: ids.riverside, modes: ['in_practice', 'phone', 'home_visit', 'video'] },
    tom: { id: ids.tom, pcn: ids.moorland, modes: ['in_practice', 'home_visit', 'community_venue', 'phone'] },
    grace: {
      id: ids.grace,
      pcn: ids.riverside,
      modes: ['community_venue', 'home_visit', 'in_practice', 'phone'],
    },
  };
  const personRows = [];
  const referralRows = [];
  const dischargeRows = [];
  const contactRows = [];
  const responseRows = [];
  const start = now.getTime() - 20 * 30.4 * DAY;
  for (let i = 0; i < EPISODES; i++) {
    const lwKey: Lw = i % 10 < 4 ? 'amira' : i % 10 < 7 ? 'tom' : 'grace';
    const lw = linkWorkers[lwKey];
    const personId = newId();
    const referralId = newId();
    let postcode: string | null = null;
    if (random() >= 0.04) {
      const u = random();
      let band = POSTCODES[0]!;
      let upTo = 0;
      for (const candidate of POSTCODES) {
        upTo += candidate[0];
        band = candidate;
        if (u < upTo) break;
      }
      // Grace worked from Riverside's VCSE premises: few of her people lived out in Moorland (quintile 5).
      if (lwKey === 'grace' && band === POSTCODES[3] && random() < 0.9)
        band = POSTCODES[Math.floor(random() * 3)]!;
      postcode = pick(band[1]);
    }
    const decile = postcode ? (imdOf.get(postcode.replace(' ', '')) ?? null) : null;
    const quintile = decile === null ? null : Math.ceil(decile / 2);
    const baselineAt = start + Math.floor(random() * 182) * DAY;
    const receivedAt = baselineAt - (3 + Math.floor(random() * 25)) * DAY;
    const firstContactAt = receivedAt + Math.floor(random() * 30) * DAY + 10 * 3_600_000;
    const dischargedAt = baselineAt + (55 + Math.floor(random() * 70)) * DAY;
    const followUpAt = dischargedAt + (285 + Math.floor(random() * 60)) * DAY;
    const consent = random() < 0.85;
    const age = 22 + Math.floor(random() * 68);
    const birthday = isoDay(baselineAt - (age * 365.25 + 30 + Math.floor(random() * 300)) * DAY);
    personRows.push({
      id: personId,
      organisationId: lw.pcn,
      givenName: pick(GIVEN),
      familyName: pick(FAMILY),
      dateOfBirth: birthday,
      sex: random() < 0.58 ? ('female' as const) : ('male' as const),
      ethnicCategory: pick(ETHNIC),
      addressLines: ['1 Example Street'],
      postcode,
      imdDecile: decile,
      // By turn, not by the generator: the history's numbers stay as they were.
      registeredPracticeId: (lwKey === 'tom' ? ids.practices.moorland : ids.practices.riverside)[
        i % (lwKey === 'tom' ? ids.practices.moorland.length : ids.practices.riverside.length)
      ]!,
      consentToShareWithServices: true,
      createdAt: new Date(receivedAt),
      updatedAt: new Date(dischargedAt),
    });
    referralRows.push({
      id: referralId,
      organisationId: lw.pcn,
      personId,
      source: random() < 0.3 ? ('self' as const) : ('professional' as const),
      reasons: [pick(NEEDS)],
      urgency: 'routine' as const,
      consentToReferral: true,
      status: 'discharged' as const,
      allocatedLinkWorkerId: lw.id,
      triagedBy: ids.lead,
      triagedAt: new Date(receivedAt + DAY),
      receivedAt: new Date(receivedAt),
      reference: newReference(),
      createdAt: new Date(receivedAt),
      updatedAt: new Date(dischargedAt),
    });
    const contactCount = 2 + Math.floor(random() * 8);
    for (let k = 0; k < contactCount; k++) {
      const at =
        k === 0
          ? firstContactAt
          : firstContactAt + Math.floor(((dischargedAt - firstContactAt) * k) / contactCount);
      contactRows.push({
        id: newId(),
        organisationId: lw.pcn,
        referralId,
        personId,
        linkWorkerId: lw.id,
        occurredAt: new Date(at),
        // Each link worker's usual ways of meeting: the first one or two mostly.
        mode: random() < 0.7 ? lw.modes[Math.floor(random() * 2)]! : pick(lw.modes),
        durationMinutes: 30 + Math.floor(random() * 4) * 15,
        kind: k === 0 ? ('first_contact' as const) : ('contact' as const),
        createdAt: new Date(at),
      });
    }
    dischargeRows.push({
      referralId,
      organisationId: lw.pcn,
      personId,
      reason: 'goals_met' as const,
      dischargedOn: isoDay(dischargedAt),
      closingSummary: 'Goals met; connected to local groups.',
      supportOffered: 'What matters conversation, support plan and connections.',
      outcome: 'Feels more connected.',
      consentToFollowUp: consent,
      dischargedBy: lw.id,
      dischargedAt: new Date(dischargedAt),
    });
    // The pattern: a little less lonely on average; more with a VCSE-hosted link worker (Grace, then), most of
    // all in the most deprived areas; the loneliest at baseline with the most room to improve.
    const before = 5 + Math.floor(random() * 5);
    const vcse = lwKey === 'grace' ? 1 : 0;
    const change = (fade: number) =>
      fade *
        (-0.5 -
          0.9 * vcse -
          0.4 * (quintile === 5 ? 1 : 0) -
          0.9 * vcse * (quintile === 1 ? 1 : 0) -
          0.3 * (before - 7)) +
      0.8 * normal();
    const total = (c: number) => Math.min(9, Math.max(3, before + Math.round(c)));
    const response = (timepoint: 'baseline' | 'discharge' | 'follow_up_long', at: number, value: number) => {
      const answers = ucla3AnswersFor(value);
      const scored = scoreResponse(definition, answers);
      return {
        id: newId(),
        organisationId: lw.pcn,
        personId,
        referralId,
        instrumentId: ucla3!.id,
        instrumentCode: 'ucla3',
        timepoint,
        completedOn: isoDay(at),
        completedBy: 'with_link_worker' as const,
        mode: 'in_person' as const,
        answers,
        status: scored.status,
        scores: scored.scores.map((s) => ({ code: s.code, value: s.value, band: s.band })),
        submissionId: newId(),
        superseded: false,
        recordedAt: new Date(at),
      };
    };
    responseRows.push(response('baseline', baselineAt, before));
    if (random() < 0.85) responseRows.push(response('discharge', dischargedAt - 2 * DAY, total(change(1))));
    if (consent && followUpAt < now.getTime() && random() < 0.8) {
      responseRows.push(response('follow_up_long', followUpAt, total(change(0.85))));
    }
  }
  await tx.insert(people).values(personRows);
  await tx.insert(referrals).values(referralRows);
  await tx.insert(contacts).values(contactRows);
  await tx.insert(discharges).values(dischargeRows);
  for (let i = 0; i < responseRows.length; i += 500) {
    await tx.insert(outcomeResponses).values(responseRows.slice(i, i + 500));
  }
  return { episodes: EPISODES };
}
