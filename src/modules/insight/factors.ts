import { type SQL, sql } from 'drizzle-orm';
import { ageBandSql, ageBands, ethnicGroupSql, ethnicGroups } from '../outcomes/report.ts';

/*
 * The factors the "what works, for whom, in what circumstances" explorer breaks outcome change down by, in three
 * groups (person context, implementation context, mechanism proxies). Each is a SQL expression giving one level per
 * episode — its code, or null where the episode has nothing recorded — over the explorer's statement's aliases:
 *   f    the episode's facts (insight_episode_facts, schema.ts): the person on the day of the baseline, the
 *        referral, the allocated link worker's implementation context as it was that day, and the episode's
 *        contacts, goals and connections counted, kept by the database beside the records they come from
 *   cl   the link worker's caseload on the first of the baseline's month (from link_worker_caseload_steps)
 * and a fixed order of levels with their labels. The statement joins the caseload only when a factor uses it.
 */

export const factorGroups = {
  person: 'Person context',
  implementation: 'Implementation context (as it was during the episode)',
  mechanism: 'Mechanism proxies',
} as const;
export type FactorGroup = keyof typeof factorGroups;

export type Join = 'caseload';

export interface Factor {
  key: string;
  label: string;
  /** How a sentence names the group: "people aged 65 to 74", "link workers hosted by a VCSE organisation". */
  group: FactorGroup;
  joins: readonly Join[];
  level: SQL;
  /** Levels in the order shown; the first is the usual reference for the adjusted model unless it is small. */
  levels: readonly { code: string; label: string }[];
  /** How a reading names those at a level: (label) => phrase. */
  who: (label: string) => string;
  /** A line on what the factor measures and its limits, shown beside the table. */
  about: string;
}

const levels = (entries: Record<string, string>) =>
  Object.entries(entries).map(([code, label]) => ({ code, label }));

/** A CASE over ordered numeric bands: [code, label, upper bound inclusive]. */
function bands(expr: SQL, list: readonly (readonly [string, string, number])[]) {
  const whens = list.map(([code, , upTo]) => sql`when ${expr} <= ${sql.raw(String(upTo))} then ${code}`);
  return {
    level: sql`case when ${expr} is null then null ${sql.join(whens, sql` `)} else null end`,
    levels: list.map(([code, label]) => ({ code, label })),
  };
}

const ageAtBaseline = sql`f.age`;
const daysToFirstContact = bands(sql`f.days_to_first_contact`, [
  ['0_7', 'Within a week', 7],
  ['8_14', '8 to 14 days', 14],
  ['15_28', '15 to 28 days', 28],
  ['29_plus', 'More than 28 days', 100_000],
]);
const contactCount = bands(sql`case when f.contacts > 0 then f.contacts end`, [
  ['1_2', '1 or 2 contacts', 2],
  ['3_5', '3 to 5 contacts', 5],
  ['6_9', '6 to 9 contacts', 9],
  ['10_plus', '10 or more contacts', 100_000],
]);
const caseload = bands(sql`cl.caseload`, [
  ['under_30', 'Under 30 people', 29],
  ['30_49', '30 to 49 people', 49],
  ['50_79', '50 to 79 people', 79],
  ['80_plus', '80 or more people', 100_000],
]);

export const FACTORS: readonly Factor[] = [
  {
    key: 'age_band',
    label: 'Age band',
    group: 'person',
    joins: [],
    level: ageBandSql(ageAtBaseline, null),
    levels: Object.entries(ageBands).map(([code, b]) => ({ code, label: b.label })),
    who: (l) => `people aged ${l.toLowerCase()}`,
    about: 'Age on the day of the baseline measure.',
  },
  {
    key: 'sex',
    label: 'Sex',
    group: 'person',
    joins: [],
    level: sql`f.sex`,
    levels: levels({ female: 'Female', male: 'Male', intersex: 'Intersex', not_stated: 'Not stated' }),
    who: (l) => `${l.toLowerCase()} people`,
    about: 'Sex as recorded on the person’s record.',
  },
  {
    key: 'ethnicity',
    label: 'Ethnic group',
    group: 'person',
    joins: [],
    level: ethnicGroupSql(sql`f.ethnic_category`, null),
    levels: Object.entries(ethnicGroups).map(([code, g]) => ({ code, label: g.label })),
    who: (l) => `people in the ethnic group ${l}`,
    about: 'NHS Data Dictionary ethnic category, grouped as in the 2001 census.',
  },
  {
    key: 'imd_quintile',
    label: 'IMD quintile',
    group: 'person',
    joins: [],
    level: sql`case when f.imd_decile is null then null else ((f.imd_decile + 1) / 2)::text end`,
    levels: [
      { code: '1', label: '1 (most deprived)' },
      { code: '2', label: '2' },
      { code: '3', label: '3' },
      { code: '4', label: '4' },
      { code: '5', label: '5 (least deprived)' },
    ],
    who: (l) => `people living in IMD quintile ${l}`,
    about:
      'Index of Multiple Deprivation 2019 quintile of the person’s home area (LSOA from the postcode); not recorded without a postcode.',
  },
  {
    key: 'main_need',
    label: 'Main need at referral',
    group: 'person',
    joins: [],
    level: sql`f.main_need`,
    levels: [],
    who: (l) => `people referred mainly for ${l.toLowerCase()}`,
    about: 'The first need given on the referral.',
  },
  {
    key: 'referral_source',
    label: 'Referral source',
    group: 'person',
    joins: [],
    level: sql`f.referral_source`,
    levels: levels({ professional: 'A professional', self: 'Self-referral', api: 'Another system' }),
    who: (l) => `people referred by ${l.toLowerCase()}`,
    about: 'Who made the referral.',
  },
  {
    key: 'host_model',
    label: 'Link worker’s employer or host',
    group: 'implementation',
    joins: [],
    level: sql`f.employment_model`,
    levels: levels({
      pcn_employed: 'Employed by the PCN',
      practice_employed: 'Employed by a GP practice',
      vcse_hosted: 'Hosted by a VCSE organisation',
      local_authority: 'Hosted by the local authority',
      other: 'Another arrangement',
    }),
    who: (l) => `people whose link worker was ${l.charAt(0).toLowerCase()}${l.slice(1)}`,
    about:
      'The allocated link worker’s employment model on the day of the baseline, from their context history.',
  },
  {
    key: 'supervision',
    label: 'Supervision',
    group: 'implementation',
    joins: [],
    level: sql`f.supervision`,
    levels: levels({
      clinical_supervisor_gp: 'A GP as clinical supervisor',
      lead_link_worker: 'A lead link worker',
      host_organisation_manager: 'A manager at the host organisation',
      peer_group: 'Peer supervision',
      none: 'No supervision',
      other: 'Another arrangement',
    }),
    who: (l) => `people whose link worker was supervised by ${l.charAt(0).toLowerCase()}${l.slice(1)}`,
    about: 'Who supervised the allocated link worker on the day of the baseline.',
  },
  {
    key: 'record_access',
    label: 'Integration: GP record access',
    group: 'implementation',
    joins: [],
    level: sql`f.clinical_system_access`,
    levels: levels({ yes: 'Full access', read_only: 'Read only', no: 'No access' }),
    who: (l) => `people whose link worker had ${l.toLowerCase()} to the GP record`,
    about: 'Whether the link worker could use the practice’s clinical system.',
  },
  {
    key: 'practice_meetings',
    label: 'Integration: practice meetings',
    group: 'implementation',
    joins: [],
    level: sql`f.practice_meetings`,
    levels: levels({ regular: 'Regularly', occasional: 'Occasionally', never: 'Never' }),
    who: (l) => `people whose link worker attended practice meetings ${l.toLowerCase()}`,
    about: 'How often the link worker attended the practice’s team meetings.',
  },
  {
    key: 'delivery_mode',
    label: 'Link worker’s delivery mode',
    group: 'implementation',
    joins: [],
    level: sql`f.delivery_mode`,
    levels: levels({ in_person: 'In person', remote: 'Remote', hybrid: 'A mix of in person and remote' }),
    who: (l) => `people whose link worker worked ${l.toLowerCase()}`,
    about: 'How the link worker mostly delivered support, from their context history.',
  },
  {
    key: 'caseload',
    label: 'Link worker’s caseload',
    group: 'implementation',
    joins: ['caseload'],
    level: caseload.level,
    levels: caseload.levels,
    who: (l) => `people whose link worker’s caseload was ${l.toLowerCase()}`,
    about:
      'People allocated to the link worker and not discharged on the first day of the month of the baseline.',
  },
  {
    key: 'days_to_first_contact',
    label: 'Time to first contact',
    group: 'mechanism',
    joins: [],
    level: daysToFirstContact.level,
    levels: daysToFirstContact.levels,
    who: (l) => `people first contacted ${l.toLowerCase()} after referral`,
    about: 'Days from the referral arriving to the first contact; not recorded where no first contact is.',
  },
  {
    key: 'contacts',
    label: 'Number of contacts',
    group: 'mechanism',
    joins: [],
    level: contactCount.level,
    levels: contactCount.levels,
    who: (l) => `people who had ${l.toLowerCase()}`,
    about:
      'Contacts in the episode (first contact and later ones; attempts that did not reach the person are not counted).',
  },
  {
    key: 'contact_mode',
    label: 'Mode of contacts',
    group: 'mechanism',
    joins: [],
    level: sql`case when f.contacts = 0 then null
      when f.in_person * 3 >= f.contacts * 2 then 'mostly_in_person'
      when f.in_person * 3 <= f.contacts then 'mostly_remote' else 'mixed' end`,
    levels: levels({
      mostly_in_person: 'Mostly in person',
      mixed: 'Mixed',
      mostly_remote: 'Mostly remote (phone, video, messages)',
    }),
    who: (l) => `people whose contacts were ${l.charAt(0).toLowerCase()}${l.slice(1)}`,
    about:
      'In person: at the practice, at home or at a community venue. Mostly: at least two thirds of the contacts.',
  },
  {
    key: 'goals',
    label: 'Goal co-production',
    group: 'mechanism',
    joins: [],
    level: sql`case when f.goals > 0 then 'goals' else 'no_goals' end`,
    levels: levels({ goals: 'Goals agreed with the person', no_goals: 'No goals recorded' }),
    who: (l) => `people with ${l.charAt(0).toLowerCase()}${l.slice(1)}`,
    about: 'Whether the support plan holds goals written with the person.',
  },
  {
    key: 'connection_kind',
    label: 'Warm handover or signposting',
    group: 'mechanism',
    joins: [],
    level: sql`case when f.warm > 0 then 'warm' when f.signposted > 0 then 'signposted' else 'none' end`,
    levels: levels({
      warm: 'At least one warm handover or referral',
      signposted: 'Signposting only',
      none: 'No connection made',
    }),
    who: (l) => `people with ${l.charAt(0).toLowerCase()}${l.slice(1)}`,
    about: 'How the link worker connected the person to community services.',
  },
  {
    key: 'connections_attended',
    label: 'Connections attended',
    group: 'mechanism',
    joins: [],
    level: sql`case when f.attended = 0 then '0' when f.attended = 1 then '1' else '2_plus' end`,
    levels: levels({ '0': 'None attended', '1': 'One attended', '2_plus': 'Two or more attended' }),
    who: (l) => `people with ${l.charAt(0).toLowerCase()}${l.slice(1)}`,
    about: 'Connections the person went to (attended, completed, or dropped out after starting).',
  },
];

export const factorKeys = FACTORS.map((f) => f.key) as [string, ...string[]];
export const factorByKey = new Map(FACTORS.map((f) => [f.key, f]));

/** The joins the statement needs for these factors. */
export function joinsFor(factors: readonly Factor[]): Set<Join> {
  return new Set<Join>(factors.flatMap((f) => f.joins));
}
