import { sql } from 'drizzle-orm';
import { instrumentDefinition } from '../../modules/outcomes/definition.ts';
import { ONS4, UCLA3 } from '../../modules/outcomes/instruments.ts';
import { outcomeResponses } from '../../modules/outcomes/schema.ts';
import { scoreResponse } from '../../modules/outcomes/scoring.ts';
import { ensureShippedInstruments } from '../../modules/outcomes/service.ts';
import { newId } from '../../platform/ids.ts';
import { type Db, rowsOf } from '../client.ts';

/*
 * Outcome measures for the demo caseload: a baseline ONS4 and UCLA-3 at the first "what matters" conversation,
 * discharge measures for most people discharged (usually a little better), and, for those who agreed to be
 * contacted, follow-ups in their windows — so the person's charts, the caseload's due list and the PCN's change
 * table all have something to show (and some cells small enough to be suppressed).
 */

/** A tiny seeded PRNG, so the demo is the same every time it is seeded. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface EpisodeRow {
  referral_id: string;
  organisation_id: string;
  person_id: string;
  link_worker_id: string;
  first_what_matters_on: string;
  discharged_on: string | null;
}

export async function seedOutcomesDemo(tx: Db, now: Date): Promise<{ responses: number }> {
  await ensureShippedInstruments(tx, now);
  const random = mulberry32(9_012_026);
  const clamp = (v: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(v)));
  const today = now.toISOString().slice(0, 10);
  const instruments = rowsOf<{ id: string; code: string }>(
    await tx.execute(sql`
      select distinct on (code) id, code from outcome_instruments
      where organisation_id is null and code in ('ons4', 'ucla3') order by code, created_at desc`),
  );
  const idOf = (code: string) => instruments.find((i) => i.code === code)!.id;
  const definitions = { ons4: instrumentDefinition.parse(ONS4), ucla3: instrumentDefinition.parse(UCLA3) };

  const episodes = rowsOf<EpisodeRow>(
    await tx.execute(sql`
      select r.id as referral_id, r.organisation_id, r.person_id, r.allocated_link_worker_id as link_worker_id,
        (select min(w.held_on)::text from what_matters_conversations w where w.referral_id = r.id)
          as first_what_matters_on,
        d.discharged_on::text as discharged_on
      from referrals r
      left join discharges d on d.referral_id = r.id
      where r.status in ('accepted', 'discharged') and r.allocated_link_worker_id is not null
        and exists (select 1 from what_matters_conversations w where w.referral_id = r.id)
      order by r.received_at, r.id`),
  );

  const rows: (typeof outcomeResponses.$inferInsert)[] = [];
  const add = (
    e: EpisodeRow,
    code: 'ons4' | 'ucla3',
    timepoint: 'baseline' | 'discharge' | 'follow_up_short' | 'follow_up_long',
    on: string,
    answers: Record<string, number>,
    completedBy: 'self' | 'with_link_worker',
  ) => {
    const scored = scoreResponse(definitions[code], answers);
    rows.push({
      id: newId(),
      organisationId: e.organisation_id,
      personId: e.person_id,
      referralId: e.referral_id,
      instrumentId: idOf(code),
      instrumentCode: code,
      timepoint,
      completedOn: on,
      completedBy,
      mode: completedBy === 'self' ? 'online' : 'in_person',
      answers,
      status: scored.status,
      scores: scored.scores.map((s) => ({ code: s.code, value: s.value, band: s.band })),
      submissionId: newId(),
      recordedBy: completedBy === 'self' ? null : e.link_worker_id,
      recordedAt: new Date(`${on}T12:00:00Z`),
    });
  };
  const ons4 = (wellbeing: number, anxiety: number) => ({
    life_satisfaction: clamp(wellbeing + random() * 2 - 1, 0, 10),
    worthwhile: clamp(wellbeing + 1 + random() * 2 - 1, 0, 10),
    happiness: clamp(wellbeing + random() * 2 - 1, 0, 10),
    anxiety: clamp(anxiety + random() * 2 - 1, 0, 10),
  });
  const ucla3 = (lonely: number) => ({
    lack_companionship: clamp(lonely + random() - 0.5, 1, 3),
    left_out: clamp(lonely + random() - 0.5, 1, 3),
    isolated: clamp(lonely + random() - 0.5, 1, 3),
  });

  const consenting: string[] = [];
  for (const e of episodes) {
    // Most people have their baseline; a few were missed (and show as overdue on the caseload).
    if (random() < 0.12) continue;
    const wellbeing = 3 + random() * 3;
    const anxiety = 5 + random() * 3;
    const lonely = 2.2 + random() * 0.8;
    const baselineOn = e.first_what_matters_on;
    add(e, 'ons4', 'baseline', baselineOn, ons4(wellbeing, anxiety), 'with_link_worker');
    add(e, 'ucla3', 'baseline', baselineOn, ucla3(lonely), 'with_link_worker');
    if (!e.discharged_on || random() < 0.2) continue;
    const gain = 0.5 + random() * 2.5;
    add(
      e,
      'ons4',
      'discharge',
      e.discharged_on,
      ons4(wellbeing + gain, anxiety - gain * 0.7),
      'with_link_worker',
    );
    add(e, 'ucla3', 'discharge', e.discharged_on, ucla3(lonely - gain * 0.3), 'with_link_worker');
    if (random() < 0.6) {
      consenting.push(e.referral_id);
      const shortOn = addDays(e.discharged_on, 100);
      if (shortOn <= today) {
        const kept = gain * (0.5 + random() * 0.6);
        add(e, 'ons4', 'follow_up_short', shortOn, ons4(wellbeing + kept, anxiety - kept * 0.6), 'self');
        add(e, 'ucla3', 'follow_up_short', shortOn, ucla3(lonely - kept * 0.3), 'self');
      }
      const longOn = addDays(e.discharged_on, 300);
      if (longOn <= today) {
        const kept = gain * (0.3 + random() * 0.6);
        add(e, 'ons4', 'follow_up_long', longOn, ons4(wellbeing + kept, anxiety - kept * 0.5), 'self');
        add(e, 'ucla3', 'follow_up_long', longOn, ucla3(lonely - kept * 0.3), 'self');
      }
    }
  }
  if (consenting.length) {
    await tx.execute(sql`
      update discharges set consent_to_follow_up = true
      where referral_id in (select (jsonb_array_elements_text(${JSON.stringify(consenting)}::jsonb))::uuid)`);
  }
  for (let i = 0; i < rows.length; i += 500) await tx.insert(outcomeResponses).values(rows.slice(i, i + 500));
  return { responses: rows.length };
}
