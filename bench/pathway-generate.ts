// Set-based generation of a national-scale pathway dataset for bench/pathway.ts, on PostgreSQL or PGlite.
//
// Everything is INSERT … SELECT over generate_series, driven by a few temporary tables, as the owner of the tables
// (row-level security does not bind the owner). Values come from a hash of the row number, so a run is
// repeatable; ids are UUIDv7-shaped (the row's own time in the first 48 bits, then a table tag and the row
// number), so they sort by time like the app's ids, are unique by construction, and meeting one of the app's
// random ones is vanishingly unlikely.
//
// Foreign keys: the load skips the per-row trigger checks (session_replication_role = replica, when the
// connection is a superuser's) and then checks every foreign key with one set-based query each; a broken reference
// fails the run. Indexes and constraints are the migrations' own and stay in place throughout.
//
// It builds on the demo seed (the demo ICB, its two PCNs and their demo users): 40 PCNs under the demo ICB at full
// scale (the demo's two and 38 more), each with a GP practice, a referrer, 10 link workers and a lead (the demo
// lead for the demo's two); people, referrals over five
// years (mostly closed, open caseloads of 30–60 per link worker, a few hundred awaiting triage per PCN), and the
// contacts, coded events, allocations, "what matters" conversations, plans, goals, progress, appointments, flags
// and discharges that go with each episode's status.
//
// The demo sign-ins keep working; generated users share the demo password (their hash is copied from the demo lead).

export interface Volumes {
  pcns: number;
  linkWorkersPerPcn: number;
  people: number;
  referrals: number;
  /** Approximate: contacts follow from each episode's story, tuned to about 5 per referral. */
  contacts: number;
}

export function volumesAt(scale: number): Volumes {
  return {
    pcns: Math.max(4, Math.round(40 * scale)),
    linkWorkersPerPcn: 10,
    people: Math.round(500_000 * scale),
    referrals: Math.round(1_000_000 * scale),
    contacts: Math.round(5_000_000 * scale),
  };
}

/** Runs one SQL statement as the tables' owner and returns its rows. */
export type RunSql = (text: string) => Promise<Record<string, unknown>[]>;

export const BENCH_EMAIL_DOMAIN = 'bench.linkwork.example';
/** The PCN whose link worker, lead and people are measured (a generated one, index 2), and the one for intake. */
export const MEASURED_PCN = 2;
export const INTAKE_PCN = 3;

// ---------------------------------------------------------------------------------------------------------------
// SQL fragments

/** A non-negative pseudo-random integer from a row number and a salt: repeatable, independent per salt. */
const h = (expr: string, salt: number) =>
  `(hashint8((${expr})::bigint * 1000003 + ${salt})::bigint & 2147483647)`;

/** A UUIDv7-shaped id: milliseconds of `ts`, version 7, a 3-hex-digit table tag, variant 10, the row number. */
const v7 = (ts: string, tag: string, n: string) =>
  `(lpad(to_hex((extract(epoch from ${ts}) * 1000)::bigint), 12, '0') || '7${tag}8' || ` +
  `lpad(to_hex((${n})::bigint), 15, '0'))::uuid`;

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const textArray = (values: readonly string[]) => `ARRAY[${values.map(lit).join(', ')}]::text[]`;
/** values[index mod length], in SQL. */
const pick = (values: readonly string[], index: string) =>
  `(${textArray(values)})[(1 + (${index}) % ${values.length})::int]`;

const GIVEN = [
  'Olivia',
  'Amelia',
  'Isla',
  'Ava',
  'Mia',
  'Ivy',
  'Grace',
  'Freya',
  'Lily',
  'Florence',
  'Margaret',
  'Patricia',
  'Susan',
  'Janet',
  'Aisha',
  'Fatima',
  'Priya',
  'Zara',
  'Maria',
  'Chloe',
  'Noah',
  'Oliver',
  'George',
  'Arthur',
  'Muhammad',
  'Leo',
  'Harry',
  'Oscar',
  'Jack',
  'Charlie',
  'David',
  'John',
  'Peter',
  'Michael',
  'Kwame',
  'Tomasz',
  'Ravi',
  'Ibrahim',
  'Daniel',
  'Samuel',
];
const FAMILY = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Thomas',
  'Clarke',
  'Jackson',
  'Wood',
  'Harris',
  'Edwards',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  'Ward',
  'Hughes',
  'Khan',
  'Ahmed',
  'Ali',
  'Begum',
  'Okafor',
  'Mensah',
  'Nowak',
  'Kowalski',
  'Murphy',
  'Kelly',
];
// Ethnic category codes (people/contract.ts), weighted roughly like England.
const ETHNIC = [
  'A',
  'A',
  'A',
  'A',
  'A',
  'A',
  'A',
  'A',
  'A',
  'A',
  'A',
  'A',
  'B',
  'C',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'H',
  'J',
  'J',
  'K',
  'L',
  'M',
  'N',
  'N',
  'P',
  'R',
  'S',
  'S',
  'Z',
  'Z',
];
const STREETS = [
  'High Street',
  'Station Road',
  'Church Lane',
  'Mill Lane',
  'Park Road',
  'Victoria Road',
  'Green Lane',
  'Manor Road',
  'Kings Road',
  'Queens Road',
  'The Crescent',
  'Orchard Close',
];
const TOWNS = [
  'Riverside',
  'Moorland',
  'Ashby Vale',
  'Northgate',
  'Eastwick',
  'Southmoor',
  'Westbrook',
  'Kingsford',
];
const POSTCODE_LETTERS = ['AB', 'BD', 'EF', 'GH', 'JL', 'NP', 'QR', 'ST', 'UW', 'XY'];
const NEEDS = [
  'loneliness',
  'mental_wellbeing',
  'physical_activity',
  'money_debt_benefits',
  'housing',
  'employment_education_volunteering',
  'caring',
  'long_term_condition',
  'food',
  'digital_inclusion',
  'legal_immigration',
  'bereavement',
  'substance_use',
  'arts_culture_nature',
];
const CONTEXTS = [
  'Lives alone since a bereavement; rarely goes out.',
  'Struggling with rent arrears after reduced hours at work.',
  'Low mood, would like to meet people and get more active.',
  'Long-term condition, recently retired, spends most days alone.',
  'Caring for a parent with dementia; exhausted and isolated.',
  'Frequent GP attender; problems are mostly social rather than medical.',
  'New to the area, no family nearby, limited English.',
  'Recently out of hospital and lost confidence going out.',
];
const MODES = [
  'in_practice',
  'home_visit',
  'community_venue',
  'phone',
  'phone',
  'phone',
  'video',
  'text_or_email',
];
const CONTACT_NOTES = [
  'Talked through the week; feeling a little more settled.',
  'Went together to the community café; will try the Tuesday group.',
  'Followed up the benefits appointment; form submitted.',
  'Checked in by phone, no new concerns.',
  'Discussed walking group times and transport.',
  'Helped with the housing association letter.',
];
const OWN_WORDS = [
  'I want to get out of the house and see people again.',
  'I need to sort my money out so I can sleep at night.',
  'I would like to feel useful, maybe volunteer somewhere.',
  'I want to walk to the shops on my own again.',
  'I miss singing; I used to be in a choir.',
];
const GOALS = [
  'Go to the Tuesday walking group',
  'Get the benefits check done',
  'Join a choir or singing group',
  'Volunteer one morning a week',
  'Learn to video call the grandchildren',
  'Sort out the rent arrears with the landlord',
];
const LOCATIONS = [
  'Riverside Library, meeting room 2',
  'The surgery, room 4',
  'Community centre café',
  'Home',
];

/** Nine-digit NHS number stem + mod-11 check digit, or NULL when the check digit would be 10 (invalid). */
function nhsNumber(base: string): string {
  const sum = Array.from({ length: 9 }, (_, i) => `((${base}) / ${10 ** (8 - i)} % 10) * ${10 - i}`).join(
    ' + ',
  );
  return `(SELECT CASE WHEN c = 10 THEN NULL ELSE (${base})::text || c::text END
    FROM (SELECT (11 - (${sum}) % 11) % 11 AS c) AS check_digit)`;
}

// ---------------------------------------------------------------------------------------------------------------

export interface Generated {
  ms: number;
  /** Foreign keys checked set-based after a load that skipped the per-row triggers (0 when the triggers ran). */
  foreignKeysChecked: number;
  counts: Record<string, number>;
  steps: { name: string; ms: number }[];
}

/**
 * Generates the dataset into a database that has the migrations and the demo seed. `onStep` hears each step's
 * name and duration as it finishes. Leaves no helper tables behind.
 */
export async function generateDataset(
  run: RunSql,
  v: Volumes,
  options: { kind: 'postgres' | 'pglite'; onStep?: (name: string, ms: number) => void },
): Promise<Generated> {
  const started = performance.now();
  const steps: { name: string; ms: number }[] = [];
  const step = async (name: string, ...statements: string[]) => {
    const t = performance.now();
    for (const s of statements) await run(s);
    const ms = performance.now() - t;
    steps.push({ name, ms });
    options.onStep?.(name, ms);
  };

  const [nowRow] = await run(
    `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`,
  );
  const NOW = `'${String(nowRow!.now)}'::timestamptz`;
  const P = v.people;
  const R = v.referrals;
  const NPCN = v.pcns;
  const LW = v.linkWorkersPerPcn;
  /** People with a long history (about a dozen episodes each): 10 per PCN. */
  const HEAVY = 10 * NPCN;
  const SPAN_DAYS = 1826;
  const personPermutation = 7919; // prime, so n·7919 mod P is a permutation of 0..P-1 for these P

  await step(
    'session settings',
    ...(options.kind === 'postgres'
      ? ['SET synchronous_commit = off', "SET work_mem = '256MB'", "SET maintenance_work_mem = '512MB'"]
      : ["SET work_mem = '64MB'"]),
  );
  // Row-by-row foreign-key triggers are two thirds of the cost of these inserts. Every row here is built from rows
  // that exist, so the load skips the triggers (the constraints stay as they are) and then checks every foreign
  // key of the database in one set-based query each (verifyForeignKeys); a broken reference fails the run.
  let skippedForeignKeyTriggers = false;
  try {
    await run('SET session_replication_role = replica');
    skippedForeignKeyTriggers = true;
  } catch {
    // not a superuser: the triggers check each row, slower but the same result
  }

  // ---- Organisations and staff --------------------------------------------------------------------------------
  await step(
    'PCNs, practices, staff and roles',
    `CREATE TEMP TABLE bench_pcn AS
     SELECT i AS idx,
       CASE i WHEN 0 THEN (SELECT id FROM organisations WHERE ods_code = 'U99001')
              WHEN 1 THEN (SELECT id FROM organisations WHERE ods_code = 'U99002')
              ELSE ${v7(NOW, '0c1', 'i')} END AS id,
       CASE WHEN i < 2 THEN (SELECT id FROM users WHERE email = 'lead@demo.linkwork.example')
            ELSE ${v7(NOW, '0c2', 'i')} END AS lead_id,
       ${v7(NOW, '0c3', 'i')} AS practice_id,
       ${v7(NOW, '0c4', 'i')} AS referrer_id
     FROM generate_series(0, ${NPCN - 1}) AS i`,
    `CREATE TEMP TABLE bench_lw AS
     SELECT pc.idx AS pcn_idx, k, pc.id AS pcn_id, ${v7(NOW, '0c5', 'pc.idx * 1000 + k')} AS id
     FROM bench_pcn pc CROSS JOIN generate_series(0, ${LW - 1}) AS k`,
    `INSERT INTO organisations (id, type, name, ods_code, parent_id, require_mfa_for_all, version, created_at, updated_at)
     SELECT id, 'pcn', 'Generated PCN ' || lpad(idx::text, 2, '0'), 'U9' || lpad(idx::text, 4, '0'),
       (SELECT id FROM organisations WHERE ods_code = 'QZZ'), false, 1, ${NOW}, ${NOW}
     FROM bench_pcn WHERE idx >= 2
     UNION ALL
     SELECT practice_id, 'gp_practice', 'Generated Surgery ' || lpad(idx::text, 2, '0'), 'Z9' || lpad(idx::text, 4, '0'),
       id, false, 1, ${NOW}, ${NOW}
     FROM bench_pcn`,
    `INSERT INTO users (id, email, name, password_hash, active, mfa_enabled, version, created_at, updated_at)
     WITH hash AS (SELECT password_hash FROM users WHERE email = 'lead@demo.linkwork.example')
     SELECT id, 'lw.' || pcn_idx || '.' || k || '@${BENCH_EMAIL_DOMAIN}',
       ${pick(GIVEN, h('pcn_idx * 1000 + k', 11))} || ' ' || ${pick(FAMILY, h('pcn_idx * 1000 + k', 12))},
       (SELECT password_hash FROM hash), true, false, 1, ${NOW}, ${NOW}
     FROM bench_lw
     UNION ALL
     SELECT lead_id, 'lead.' || idx || '@${BENCH_EMAIL_DOMAIN}',
       ${pick(GIVEN, h('idx', 13))} || ' ' || ${pick(FAMILY, h('idx', 14))},
       (SELECT password_hash FROM hash), true, false, 1, ${NOW}, ${NOW}
     FROM bench_pcn WHERE idx >= 2
     UNION ALL
     SELECT referrer_id, 'referrer.' || idx || '@${BENCH_EMAIL_DOMAIN}',
       'Dr ' || ${pick(GIVEN, h('idx', 15))} || ' ' || ${pick(FAMILY, h('idx', 16))},
       (SELECT password_hash FROM hash), true, false, 1, ${NOW}, ${NOW}
     FROM bench_pcn`,
    `INSERT INTO role_assignments (id, user_id, organisation_id, role, created_at)
     SELECT ${v7(NOW, '0c6', 'pcn_idx * 1000 + k')}, id, pcn_id, 'link_worker', ${NOW} FROM bench_lw
     UNION ALL
     SELECT ${v7(NOW, '0c7', 'idx')}, lead_id, id, 'lead_link_worker', ${NOW} FROM bench_pcn WHERE idx >= 2
     UNION ALL
     SELECT ${v7(NOW, '0c8', 'idx')}, referrer_id, practice_id, 'referrer', ${NOW} FROM bench_pcn`,
    `INSERT INTO pathway_settings (organisation_id, first_contact_target_working_days, unable_to_contact_attempts,
       version, updated_at)
     SELECT id, 10, 3, 1, ${NOW} FROM bench_pcn
     ON CONFLICT (organisation_id) DO NOTHING`,
    'ANALYZE bench_pcn',
    'ANALYZE bench_lw',
  );

  // ---- Referrals: one row per episode with its whole story, decided here once -------------------------------
  // Referral n is received (R - n) / R · 5 years ago, so n runs oldest to newest. Every person has a first
  // referral (spread evenly through the five years); the rest go to random people, and one in two hundred to one of
  // the HEAVY people with a long history. Status follows age: awaiting triage for the last 18 days; open
  // ('accepted') for some of the last 6 months, more of the recent ones; the rest declined, signposted, declined by
  // the person at first contact, or discharged.
  // Each level ends in OFFSET 0 so PostgreSQL does not fold it into the next: folded, every reference to a
  // column would repeat the whole expression behind it, and the nested CASEs grow the work many times over.
  await step(
    'plan the episodes (staging table)',
    `CREATE TEMP TABLE bench_ref0 AS
     WITH a AS (
       SELECT n,
         CASE WHEN floor((n + 1) * ${P}::numeric / ${R}) > floor(n * ${P}::numeric / ${R})
                THEN (floor(n * ${P}::numeric / ${R})::bigint * ${personPermutation}) % ${P}
              WHEN n % 200 = 0 THEN (n / 200) % ${HEAVY}
              ELSE ${h('n', 1)} % ${P} END AS p,
         (${R} - n - ${h('n', 2)} % 1000 / 1000.0) * ${SPAN_DAYS}.0 / ${R} AS age,
         ${h('n', 3)} % 100 AS u_status, ${h('n', 4)} % 100 AS u_kind, ${h('n', 5)} % 100 AS u_stage,
         ${h('n', 6)} % 100 AS u_reason, ${h('n', 7)} % 100 AS u_misc, ${h('n', 8)} AS u8
       FROM generate_series(0, ${R - 1}) AS n OFFSET 0
     ), b AS (
       SELECT a.*,
         CASE WHEN age < 18 THEN 'awaiting_triage'
              WHEN age < 180 AND u_status < 40 - age * 0.18 THEN 'accepted'
              WHEN u_kind < 8 THEN 'declined'
              WHEN u_kind < 15 THEN 'signposted'
              WHEN u_kind < 22 THEN 'declined_by_person'
              ELSE 'discharged' END AS status
       FROM a OFFSET 0
     ), c AS (
       SELECT b.*,
         CASE WHEN status <> 'accepted' THEN NULL
              WHEN age < 30 THEN CASE WHEN u_stage < 50 THEN 'afc' WHEN u_stage < 80 THEN 'wm' ELSE 'planning' END
              WHEN age < 60 THEN CASE WHEN u_stage < 15 THEN 'afc' WHEN u_stage < 35 THEN 'wm'
                                      WHEN u_stage < 60 THEN 'planning' ELSE 'supporting' END
              ELSE CASE WHEN u_stage < 5 THEN 'afc' WHEN u_stage < 10 THEN 'wm'
                        WHEN u_stage < 20 THEN 'planning' ELSE 'supporting' END END AS stage,
         CASE WHEN status <> 'discharged' THEN NULL
              WHEN u_reason < 45 THEN 'goals_met' WHEN u_reason < 60 THEN 'referred_on'
              WHEN u_reason < 78 THEN 'disengaged_or_unable_to_contact' WHEN u_reason < 83 THEN 'declined'
              WHEN u_reason < 90 THEN 'moved_away' WHEN u_reason < 92 THEN 'died' ELSE 'other' END AS reason
       FROM b OFFSET 0
     ), d AS (
       SELECT c.*,
         CASE WHEN status = 'declined_by_person' THEN true
              WHEN status = 'accepted' THEN stage <> 'afc'
              WHEN status = 'discharged' THEN NOT (reason = 'disengaged_or_unable_to_contact' AND u_misc < 50)
              ELSE false END AS has_first
       FROM c OFFSET 0
     )
     SELECT d.*,
       -- failed attempts before the first contact
       CASE WHEN status = 'accepted' AND stage = 'afc' THEN u8 % 4
            WHEN status = 'discharged' AND NOT has_first THEN 3
            WHEN status IN ('accepted', 'discharged', 'declined_by_person') THEN u8 % 2
            ELSE 0 END AS n_before,
       -- contacts after the first
       CASE WHEN NOT has_first OR status = 'declined_by_person' THEN 0
            WHEN status = 'discharged' AND reason = 'declined' THEN (u8 >> 4) % 2
            WHEN status = 'discharged' THEN 1 + (u8 >> 4) % 9
            WHEN stage = 'wm' THEN (u8 >> 4) % 2
            WHEN stage = 'planning' THEN 1 + (u8 >> 4) % 2
            ELSE 2 + (u8 >> 4) % 6 END AS n_after,
       -- failed attempts since last reached
       CASE WHEN has_first AND status = 'discharged' AND reason = 'disengaged_or_unable_to_contact' THEN 3
            WHEN status = 'accepted' AND stage = 'supporting' AND u_misc < 8 THEN 3
            ELSE 0 END AS n_tail,
       has_first AND ((status = 'accepted' AND stage IN ('planning', 'supporting'))
                      OR (status = 'discharged' AND reason <> 'declined')) AS has_wm,
       has_first AND ((status = 'accepted' AND stage = 'supporting')
                      OR (status = 'discharged' AND reason <> 'declined' AND (u8 >> 8) % 100 < 85)) AS has_plan,
       1 + (u8 >> 12) % 3 AS n_goals,
       (u8 >> 16) % ${LW} AS lw_k,
       p % ${NPCN} AS pcn_idx
     FROM d`,
    `CREATE TEMP TABLE bench_person AS
     SELECT p, pcn_idx, created_at, ${v7('created_at', '0a1', 'p')} AS id
     FROM (SELECT p, p % ${NPCN} AS pcn_idx, min(${NOW} - make_interval(secs => age * 86400)) AS created_at
           FROM bench_ref0 GROUP BY p) AS s`,
    'ANALYZE bench_person',
  );

  await step(
    `people (${P.toLocaleString('en-GB')})`,
    `INSERT INTO people (id, organisation_id, nhs_number, given_name, family_name, date_of_birth, sex,
       ethnic_category, address_lines, postcode, phone, email, preferred_contact_method, preferred_contact_times,
       interpreter_language, accessibility_needs, registered_practice_id, consent_to_share_with_services, version,
       created_at, updated_at)
     SELECT bp.id, pc.id,
       CASE WHEN ${h('p', 20)} % 100 < 85 THEN ${nhsNumber('999000000 + p')} END,
       ${pick(GIVEN, h('p', 21))}, ${pick(FAMILY, h('p', 22))},
       DATE '1936-01-01' + (${h('p', 23)} % 25550)::int,
       CASE WHEN ${h('p', 24)} % 100 < 55 THEN 'female' WHEN ${h('p', 24)} % 100 < 99 THEN 'male' ELSE 'not_stated' END,
       ${pick(ETHNIC, h('p', 25))},
       jsonb_build_array((1 + ${h('p', 26)} % 180)::text || ' ' || ${pick(STREETS, h('p', 27))},
                         ${pick(TOWNS, 'bp.pcn_idx')}),
       'XX' || (1 + ${h('p', 28)} % 20) || ' ' || (${h('p', 29)} % 10) || ${pick(POSTCODE_LETTERS, h('p', 30))},
       '07700 900' || lpad((${h('p', 31)} % 1000)::text, 3, '0'),
       CASE WHEN ${h('p', 32)} % 100 < 20 THEN 'person' || p || '@example.com' END,
       ${pick(['phone', 'phone', 'phone', 'text', 'email', 'letter'], h('p', 33))},
       CASE WHEN ${h('p', 34)} % 100 < 30 THEN 'Mornings' END,
       CASE WHEN ${h('p', 35)} % 100 < 4 THEN ${pick(['Polish', 'Urdu', 'Bengali', 'Romanian', 'Arabic'], h('p', 36))} END,
       CASE WHEN ${h('p', 37)} % 100 < 5 THEN 'Uses a wheelchair; ground-floor rooms please' END,
       pc.practice_id, ${h('p', 38)} % 100 < 80, 1, bp.created_at, bp.created_at
     FROM bench_person bp JOIN bench_pcn pc ON pc.idx = bp.pcn_idx
     ORDER BY bp.created_at`,
  );

  await step(
    'episode times and ids (staging table)',
    `CREATE TEMP TABLE bench_ref AS
     WITH t AS (
       SELECT r.*, bp.id AS person_id, pc.id AS org_id, pc.lead_id, pc.practice_id, pc.referrer_id, lw.id AS lw_id,
         ${NOW} - make_interval(secs => r.age * 86400) AS received_at,
         r.n_before + r.has_first::int + r.n_after + r.n_tail AS n_contacts
       FROM bench_ref0 r
       JOIN bench_person bp ON bp.p = r.p
       JOIN bench_pcn pc ON pc.idx = r.pcn_idx
       JOIN bench_lw lw ON lw.pcn_idx = r.pcn_idx AND lw.k = r.lw_k
       OFFSET 0
     ), u AS (
       SELECT t.*, ${v7('received_at', '0a2', 'n')} AS id,
         CASE WHEN status <> 'awaiting_triage' THEN received_at + make_interval(hours => (20 + (u8 >> 20) % 80)::int) END
           AS triaged_at
       FROM t OFFSET 0
     ), w AS (
       SELECT u.*,
         CASE WHEN status = 'accepted' THEN ${NOW} - interval '1 hour'
              WHEN status = 'discharged'
                THEN triaged_at + make_interval(secs => least(30 + (u8 >> 9) % 150, (age - 5) * 0.9) * 86400)
              WHEN status = 'declined_by_person' THEN triaged_at + interval '7 days'
              ELSE triaged_at END AS end_at
       FROM u OFFSET 0
     ), x AS (
       SELECT w.*,
         CASE WHEN has_first THEN triaged_at + (end_at - triaged_at) * ((n_before + 1.0) / (n_contacts + 1)) END
           AS first_at
       FROM w OFFSET 0
     ), y AS (
       SELECT x.*, CASE WHEN has_wm THEN first_at + (end_at - first_at) * 0.15 END AS wm_at FROM x OFFSET 0
     )
     SELECT y.*, CASE WHEN has_plan THEN wm_at + (end_at - wm_at) * 0.2 END AS plan_at FROM y
     ORDER BY n`,
    'ANALYZE bench_ref',
  );

  await step(
    `referrals (${R.toLocaleString('en-GB')})`,
    `INSERT INTO referrals (id, organisation_id, person_id, source, referrer_user_id, referring_organisation_id,
       reasons, context, urgency, consent_to_referral, status, decline_reason, triage_note, allocated_link_worker_id,
       triaged_by, triaged_at, received_at, possible_duplicate_person_ids, reference, version, created_at, updated_at)
     SELECT id, org_id, person_id,
       CASE WHEN (u8 >> 20) % 100 < 30 THEN 'self' WHEN (u8 >> 20) % 100 < 35 THEN 'api' ELSE 'professional' END,
       CASE WHEN (u8 >> 20) % 100 >= 30 THEN referrer_id END,
       CASE WHEN (u8 >> 20) % 100 >= 30 THEN practice_id END,
       CASE WHEN u8 % 3 = 0
         THEN jsonb_build_array(${pick(NEEDS, 'u8 >> 3')}, ${pick(NEEDS, '(u8 >> 3) + 1 + (u8 >> 7) % 12')})
         ELSE jsonb_build_array(${pick(NEEDS, 'u8 >> 3')}) END,
       ${pick(CONTEXTS, 'u8 >> 5')},
       CASE WHEN u_misc % 10 = 0 THEN 'urgent' ELSE 'routine' END,
       true, status,
       CASE WHEN status = 'declined' THEN
         ${pick(['not_appropriate', 'needs_clinical_service', 'unable_to_contact', 'other'], 'u8 >> 6')} END,
       CASE WHEN status = 'signposted' THEN 'Signposted to Citizens Advice and the local carers centre.'
            WHEN status = 'declined' THEN 'Discussed with the referrer.' END,
       CASE WHEN status IN ('accepted', 'discharged', 'declined_by_person') THEN lw_id END,
       CASE WHEN triaged_at IS NOT NULL THEN lead_id END,
       triaged_at, received_at, '[]'::jsonb,
       -- LB- rather than the app's LW-, so that a reference the app makes can never meet one made here.
       'LB-' || ${Array.from(
         { length: 8 },
         (_, i) =>
           `substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + ((n::bigint >> ${5 * (7 - i)}) & 31)::int, 1)`,
       )
         .map((c, i) => (i === 4 ? `'-' || ${c}` : c))
         .join(' || ')},
       CASE WHEN status = 'awaiting_triage' THEN 1 WHEN status = 'accepted' THEN 2 ELSE 3 END,
       received_at, coalesce(end_at, received_at)
     FROM bench_ref`,
    `INSERT INTO allocations (id, organisation_id, referral_id, from_link_worker_id, to_link_worker_id, reason,
       allocated_by, allocated_at)
     SELECT ${v7('triaged_at', '0a3', 'n')}, org_id, id, NULL, lw_id, 'Allocated at triage', lead_id, triaged_at
     FROM bench_ref WHERE status IN ('accepted', 'discharged', 'declined_by_person')`,
  );

  // Contact i of an episode happens at i/(count+1) of the way from triage to its end: attempts before the first
  // contact, the first contact, contacts, then (for some) failed attempts since the person was last reached.
  await step(
    `contacts (≈ ${v.contacts.toLocaleString('en-GB')})`,
    `INSERT INTO contacts (id, organisation_id, referral_id, person_id, link_worker_id, occurred_at, mode,
       duration_minutes, kind, note, present, created_at)
     SELECT ${v7('at', '0a4', 'n * 64 + i')}, org_id, id, person_id, lw_id, at,
       ${pick(MODES, h('n * 64 + i', 40))},
       CASE WHEN kind <> 'attempt' THEN 15 + 5 * (${h('n * 64 + i', 41)} % 10) END,
       kind,
       CASE WHEN kind = 'attempt' THEN 'No answer; left a message.'
            ELSE ${pick(CONTACT_NOTES, h('n * 64 + i', 42))} END,
       CASE WHEN kind <> 'attempt' AND ${h('n * 64 + i', 43)} % 100 < 5 THEN 'Daughter' END,
       at
     FROM (
       SELECT r.n, r.org_id, r.id, r.person_id, r.lw_id, i,
         r.triaged_at + (r.end_at - r.triaged_at) * (i::float8 / (r.n_contacts + 1)) AS at,
         CASE WHEN i <= r.n_before THEN 'attempt'
              WHEN i = r.n_before + 1 AND r.has_first THEN 'first_contact'
              WHEN i <= r.n_before + r.has_first::int + r.n_after THEN 'contact'
              ELSE 'attempt' END AS kind
       FROM bench_ref r CROSS JOIN LATERAL generate_series(1, r.n_contacts) AS i
       WHERE r.n_contacts > 0
       OFFSET 0
     ) AS c`,
    `INSERT INTO coded_events (id, organisation_id, referral_id, person_id, purpose, system, code, display,
       recorded_at, recorded_by)
     SELECT ${v7('r.first_at', '0a5', 'r.n')}, r.org_id, r.id, r.person_id, cc.purpose, cc.system, cc.code,
       cc.display, r.first_at, r.lw_id
     FROM bench_ref r
     JOIN (SELECT DISTINCT ON (purpose) purpose, system, code, display FROM coded_concepts
           ORDER BY purpose, version DESC) AS cc
       ON cc.purpose = CASE WHEN r.status = 'declined_by_person' THEN 'social_prescribing_declined'
                            ELSE 'social_prescribing_accepted' END
     WHERE r.has_first`,
  );

  await step(
    'what matters, plans, goals, progress',
    `INSERT INTO what_matters_conversations (id, organisation_id, referral_id, person_id, version, held_on, needs,
       own_words, strengths, barriers, recorded_by, recorded_at)
     SELECT ${v7('wm_at', '0a6', 'n')}, org_id, id, person_id, 1, wm_at::date,
       jsonb_build_array(jsonb_build_object('domain', ${pick(NEEDS, 'u8 >> 3')}, 'priority', 'high',
         'concern', 'Raised by the person at the first conversation.')),
       ${pick(OWN_WORDS, 'u8 >> 10')},
       CASE WHEN u_misc < 60 THEN 'Good neighbour; enjoys gardening.' END,
       CASE WHEN u_misc < 40 THEN 'Anxious in new places; no car.' END,
       lw_id, wm_at
     FROM bench_ref WHERE has_wm`,
    `INSERT INTO support_plans (id, organisation_id, referral_id, person_id, agreed_on, summary, version, created_by,
       created_at, updated_by, updated_at)
     SELECT ${v7('plan_at', '0a7', 'n')}, org_id, id, person_id, plan_at::date,
       'Small steps towards getting out and meeting people.', 1, lw_id, plan_at, lw_id, plan_at
     FROM bench_ref WHERE has_plan`,
    `INSERT INTO support_plan_versions (organisation_id, plan_id, version, snapshot, saved_by, saved_at)
     SELECT org_id, ${v7('plan_at', '0a7', 'n')}, 1,
       jsonb_build_object('agreedOn', plan_at::date, 'goals', n_goals), lw_id, plan_at
     FROM bench_ref WHERE has_plan`,
    `INSERT INTO goals (id, organisation_id, plan_id, referral_id, person_id, position, description, needs_domain,
       services, review_on, status, actions, created_at)
     SELECT ${v7('r.plan_at', '0a8', 'r.n * 4 + g')}, r.org_id, ${v7('r.plan_at', '0a7', 'r.n')}, r.id, r.person_id,
       g, ${pick(GOALS, 'r.u8 + g')}, ${pick(NEEDS, '(r.u8 >> 3) + g')},
       CASE WHEN g = 1 THEN 'Riverside walking group' END,
       CASE WHEN r.status = 'accepted' THEN (r.plan_at + make_interval(days => (14 + 14 * g)::int))::date
            ELSE (r.plan_at + interval '28 days')::date END,
       CASE WHEN r.status = 'accepted' THEN CASE WHEN g = 3 THEN 'achieved' ELSE 'active' END
            WHEN r.reason = 'goals_met' OR g = 1 THEN 'achieved' ELSE 'stopped' END,
       jsonb_build_array(jsonb_build_object('who', 'Link worker', 'what', 'Find the group times and share them',
         'byWhen', NULL, 'done', r.status <> 'accepted')),
       r.plan_at
     FROM bench_ref r CROSS JOIN LATERAL generate_series(1, r.n_goals) AS g
     WHERE r.has_plan`,
    `INSERT INTO goal_progress (id, organisation_id, goal_id, referral_id, person_id, contact_id, rating, note,
       recorded_on, recorded_by, recorded_at)
     SELECT ${v7('at', '0a9', 'n * 16 + g * 4 + q')}, org_id, ${v7('plan_at', '0a8', 'n * 4 + g')}, id, person_id,
       NULL, least(10, 1 + 3 * q + g % 2), CASE WHEN q = 2 THEN 'Feels more confident.' END, at::date, lw_id, at
     FROM (
       SELECT r.*, g, q, r.plan_at + (r.end_at - r.plan_at) * (q / 3.0) AS at
       FROM bench_ref r CROSS JOIN LATERAL generate_series(1, r.n_goals) AS g
       CROSS JOIN LATERAL generate_series(1, 1 + (r.n + g) % 2) AS q
       WHERE r.has_plan
       OFFSET 0
     ) AS gp`,
  );

  await step(
    'appointments, flags, discharges',
    // A past appointment for each episode that got going, and a booked one ahead for open episodes past first contact.
    `INSERT INTO appointments (id, organisation_id, referral_id, person_id, link_worker_id, starts_at,
       duration_minutes, mode, location, status, note, version, created_at, updated_at)
     SELECT ${v7('created', '0aa', 'n * 4 + j')}, org_id, id, person_id, lw_id, starts_at,
       30 + 15 * (u8 % 3), ${pick(MODES, 'u8 >> 2')},
       CASE WHEN u8 % 2 = 0 THEN ${pick(LOCATIONS, 'u8 >> 4')} END,
       CASE WHEN j = 2 THEN 'booked' WHEN u_misc < 85 THEN 'attended' WHEN u_misc < 95 THEN 'did_not_attend'
            ELSE 'cancelled' END,
       NULL, 1, created, created
     FROM (
       SELECT r.*, 1 AS j, r.first_at + (r.end_at - r.first_at) * 0.5 AS starts_at, r.first_at AS created
       FROM bench_ref r WHERE r.has_first AND r.status IN ('accepted', 'discharged')
       UNION ALL
       SELECT r.*, 2, date_trunc('day', ${NOW}) + make_interval(days => (1 + r.n % 21)::int, hours => 10), r.first_at
       FROM bench_ref r WHERE r.has_first AND r.status = 'accepted'
     ) AS a
     ORDER BY n, j`,
    `INSERT INTO person_flags (id, organisation_id, person_id, kind, note, raised_by, raised_at, resolved_by,
       resolved_at, resolution_note)
     SELECT ${v7('raised_at', '0ab', 'p')}, org_id, id, kind, note, raised_by, raised_at,
       CASE WHEN resolved THEN lead_id END,
       CASE WHEN resolved THEN raised_at + (${NOW} - raised_at) * 0.5 END,
       CASE WHEN resolved THEN 'Discussed at supervision; safeguarding lead informed; closed.' END
     FROM (
       SELECT bp.p, bp.id, pc.id AS org_id, pc.lead_id, lw.id AS raised_by,
         CASE WHEN ${h('bp.p', 51)} % 3 = 0 THEN 'safeguarding_concern' ELSE 'risk' END AS kind,
         'Concern noted at a home visit; discussed with the lead link worker.' AS note,
         least(bp.created_at + interval '30 days', ${NOW} - interval '1 day') AS raised_at,
         ${h('bp.p', 52)} % 3 < 2 AS resolved
       FROM bench_person bp
       JOIN bench_pcn pc ON pc.idx = bp.pcn_idx
       JOIN bench_lw lw ON lw.pcn_idx = bp.pcn_idx AND lw.k = ${h('bp.p', 53)} % ${LW}
       WHERE ${h('bp.p', 50)} % 100 < 3
     ) AS f
     ORDER BY raised_at`,
    `INSERT INTO discharges (referral_id, organisation_id, person_id, reason, discharged_on, closing_summary,
       support_offered, outcome, follow_up_for_gp, discharged_by, discharged_at)
     SELECT id, org_id, person_id, reason, end_at::date,
       'Worked together on what mattered; closing by agreement.',
       'What matters conversation, support plan, connection to a walking group and benefits advice.',
       CASE WHEN reason = 'goals_met' THEN 'Goals met; feels more connected.' ELSE 'Partly met.' END,
       CASE WHEN u_misc < 20 THEN 'Please review pain relief at the next appointment.' END,
       lw_id, end_at
     FROM bench_ref WHERE status = 'discharged'`,
  );

  if (skippedForeignKeyTriggers) await run('SET session_replication_role = DEFAULT');
  await step(
    'drop staging tables',
    'DROP TABLE bench_ref',
    'DROP TABLE bench_ref0',
    'DROP TABLE bench_person',
    'DROP TABLE bench_lw',
    'DROP TABLE bench_pcn',
  );

  // The operational report's referral facts and monthly counts (migrations 0039, 0040) are kept by triggers, which
  // the load above skipped (session_replication_role): built once, set-based, from what was loaded. Statistics
  // first: without them the planner reads the freshly loaded tables as empty and the first rebuild at full volume
  // took 44 min against ~5 min with them.
  await step(
    'ANALYZE the loaded pathway tables',
    ...['people', 'referrals', 'allocations', 'contacts', 'coded_events', 'appointments', 'discharges'].map(
      (t) => `ANALYZE ${t}`,
    ),
  );
  await step(
    "the operational report's referral facts and caseload changes (migrations 0039, 0045)",
    `TRUNCATE report_referral_facts, report_referral_months, report_referral_days, report_people_months,
         report_caseload_days,
       report_caseload_months, report_discharge_months`,
    'SELECT report_referral_facts_refresh(ARRAY(SELECT id FROM referrals))',
  );
  await step(
    "the operational report's activity and coded counts by month and by day (migrations 0040, 0041, 0054)",
    'SELECT report_activity_months_rebuild()',
    'SELECT report_coded_months_rebuild()',
    'SELECT report_activity_and_coded_days_rebuild()',
  );

  // Vacuum as autovacuum would have long since done on a live system (visibility map, hint bits), and fresh
  // statistics, so that neither autovacuum nor first-read hint-bit writes land in the middle of the measurements.
  const tables = [
    'organisations',
    'users',
    'role_assignments',
    'pathway_settings',
    'people',
    'referrals',
    'allocations',
    'contacts',
    'coded_events',
    'what_matters_conversations',
    'support_plans',
    'support_plan_versions',
    'goals',
    'goal_progress',
    'appointments',
    'person_flags',
    'discharges',
    'report_referral_facts',
    'report_referral_months',
    'report_referral_days',
    'report_caseload_days',
    'report_caseload_months',
    'report_discharge_months',
    'report_activity_months',
    'report_coded_months',
    'report_activity_days',
    'report_coded_days',
  ];
  await step('VACUUM (ANALYZE)', ...tables.map((t) => `VACUUM (ANALYZE) ${t}`));

  let foreignKeysChecked = 0;
  if (skippedForeignKeyTriggers) {
    const t = performance.now();
    foreignKeysChecked = await verifyForeignKeys(run);
    steps.push({ name: 'check every foreign key (set-based)', ms: performance.now() - t });
    options.onStep?.(
      `check all ${foreignKeysChecked} foreign keys (set-based), none broken`,
      performance.now() - t,
    );
  }

  const counts: Record<string, number> = {};
  for (const t of [
    'people',
    'referrals',
    'contacts',
    'coded_events',
    'allocations',
    'what_matters_conversations',
    'support_plans',
    'goals',
    'goal_progress',
    'appointments',
    'person_flags',
    'discharges',
  ]) {
    const [row] = await run(`SELECT count(*)::bigint AS n FROM ${t}`);
    counts[t] = Number(row!.n);
  }
  const statuses = await run(
    `SELECT status, count(*)::bigint AS n FROM referrals GROUP BY status ORDER BY status`,
  );
  for (const s of statuses) counts[`referrals: ${String(s.status)}`] = Number(s.n);
  return { ms: performance.now() - started, counts, steps, foreignKeysChecked };
}

/** Every single-column foreign key in the public schema, checked with one anti-join each; throws on a broken one. */
async function verifyForeignKeys(run: RunSql): Promise<number> {
  const fks = await run(`
    SELECT c.conname, c.conrelid::regclass::text AS child, a.attname AS col,
      c.confrelid::regclass::text AS parent, pa.attname AS parent_col
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND cardinality(c.conkey) = 1`);
  for (const fk of fks) {
    const [row] = await run(`
      SELECT count(*)::bigint AS broken FROM ${fk.child} AS c
      WHERE c.${fk.col} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ${fk.parent} AS p WHERE p.${fk.parent_col} = c.${fk.col})`);
    if (Number(row!.broken) > 0) {
      throw new Error(`${String(row!.broken)} rows of ${fk.child}.${fk.col} break foreign key ${fk.conname}`);
    }
  }
  return fks.length;
}
