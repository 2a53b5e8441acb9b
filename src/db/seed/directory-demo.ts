import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ConnectionKind, ConnectionStatus } from '../../modules/connections/contract.ts';
import { connectionEvents, connections } from '../../modules/connections/schema.ts';
import { service as serviceSchema } from '../../modules/directory/oruk.ts';
import { directoryReports } from '../../modules/directory/schema.ts';
import { writeServices } from '../../modules/directory/store.ts';
import { termByCode } from '../../modules/directory/taxonomy.ts';
import { newId } from '../../platform/ids.ts';
import type { Db } from '../client.ts';
import { rowsOf } from '../client.ts';

/*
 * The demo ICB's community services: walking groups, debt advice, choirs, men's sheds and the rest around the
 * demo postcodes (Riverside Central in XX1/XX2, Moorland Rural in XX3), some verified lately and some stale, a
 * couple reported by link workers, and connections from demo people's plans at every status. All fictional.
 */

/** Stable ids from names, so a re-seeded demo has the same links. */
const idFor = (name: string) => {
  const h = createHash('sha1').update(`linkwork-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const PLACES: Record<string, { lat: number; lon: number; town: string }> = {
  'XX1 1AA': { lat: 53.7961, lon: -1.5478, town: 'Riverside' },
  'XX1 1AB': { lat: 53.797, lon: -1.549, town: 'Riverside' },
  'XX1 2AA': { lat: 53.8012, lon: -1.5391, town: 'Riverside' },
  'XX1 2AB': { lat: 53.802, lon: -1.5402, town: 'Riverside' },
  'XX2 1AA': { lat: 53.8205, lon: -1.5803, town: 'Northgate' },
  'XX2 2AA': { lat: 53.8302, lon: -1.5922, town: 'Northgate' },
  'XX3 1AA': { lat: 54.0102, lon: -1.9503, town: 'Moorfield' },
  'XX3 2AA': { lat: 54.0405, lon: -1.9901, town: 'Highmoor' },
};

interface DemoService {
  name: string;
  org: string;
  terms: string[];
  description: string;
  venue: string | null;
  postcode: keyof typeof PLACES | null;
  byday: string;
  opens: string;
  closes: string;
  attending: string;
  cost: string | null;
  verifiedDaysAgo: number | null;
  minAge?: number;
  languages?: string[];
  accessibility?: string;
  eligibility?: string;
}

const SERVICES: DemoService[] = [
  {
    name: 'Riverside Park Health Walk',
    org: 'Riverside Community Action',
    terms: ['walking'],
    description:
      'A gentle 45-minute led walk around Riverside Park at an easy pace, finishing with tea at the café. Walk leaders are trained volunteers; come as you are.',
    venue: 'Riverside Park café',
    postcode: 'XX1 1AB',
    byday: 'TU',
    opens: '10:00',
    closes: '11:30',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 18,
    accessibility: 'Step-free paths; accessible toilet in the café',
  },
  {
    name: 'Northgate Striders',
    org: 'Northgate Striders',
    terms: ['walking'],
    description:
      'A friendly walking group for people who want a bit more of a stretch: 5 to 8 miles on Saturday mornings.',
    venue: 'Northgate library steps',
    postcode: 'XX2 1AA',
    byday: 'SA',
    opens: '09:30',
    closes: '12:30',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 40,
  },
  {
    name: 'Chair-Based Exercise at St Anne’s',
    org: 'St Anne’s Church',
    terms: ['exercise-classes'],
    description:
      'Seated strength and balance exercises to music, led by a qualified instructor. Good for people who are unsteady on their feet.',
    venue: 'St Anne’s church hall',
    postcode: 'XX1 2AA',
    byday: 'WE',
    opens: '14:00',
    closes: '15:00',
    attending: 'In person',
    cost: '£2 a session',
    verifiedDaysAgo: 65,
    minAge: 50,
    accessibility: 'Level access; hearing loop in the hall',
  },
  {
    name: 'Riverside Men’s Shed',
    org: 'Riverside Men’s Shed',
    terms: ['mens-sheds'],
    description:
      'A workshop where people (mostly men) make, mend and chat. Woodwork, bike repairs and a brew. No experience needed.',
    venue: 'Unit 4, Mill Lane',
    postcode: 'XX1 2AB',
    byday: 'MO,TH',
    opens: '10:00',
    closes: '15:00',
    attending: 'Drop in',
    cost: null,
    verifiedDaysAgo: 12,
  },
  {
    name: 'Moorland Men’s Shed',
    org: 'Moorland Men’s Shed',
    terms: ['mens-sheds'],
    description:
      'Woodwork, gardening and good company in the old forge. Transport can be arranged from outlying villages.',
    venue: 'The Old Forge',
    postcode: 'XX3 1AA',
    byday: 'WE',
    opens: '10:00',
    closes: '14:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 150,
  },
  {
    name: 'Friday Lunch Club',
    org: 'Riverside Community Action',
    terms: ['lunch-clubs'],
    description: 'A hot two-course lunch and company every Friday. Bingo once a month.',
    venue: 'Riverside Community Centre',
    postcode: 'XX1 1AA',
    byday: 'FR',
    opens: '12:00',
    closes: '14:00',
    attending: 'In person',
    cost: '£4.50 for lunch',
    verifiedDaysAgo: 30,
    minAge: 60,
    accessibility: 'Wheelchair accessible; accessible toilet',
  },
  {
    name: 'Telephone Befriending',
    org: 'Age Well Riverside',
    terms: ['befriending'],
    description:
      'A weekly friendly call from the same trained volunteer, for people who find it hard to get out.',
    venue: null,
    postcode: null,
    byday: 'MO,TU,WE,TH,FR',
    opens: '09:00',
    closes: '17:00',
    attending: 'By phone',
    cost: null,
    verifiedDaysAgo: 20,
    minAge: 55,
  },
  {
    name: 'Community Choir',
    org: 'Riverside Sings',
    terms: ['singing'],
    description: 'Sing for fun: pop, folk and gospel, no auditions and no need to read music.',
    venue: 'Riverside Community Centre',
    postcode: 'XX1 1AA',
    byday: 'TH',
    opens: '19:00',
    closes: '20:30',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 25,
  },
  {
    name: 'Singing for Better Breathing',
    org: 'Riverside Sings',
    terms: ['singing', 'condition-groups'],
    description:
      'Singing group for people living with COPD and other lung conditions, led with a respiratory physiotherapist.',
    venue: 'Northgate Health Centre',
    postcode: 'XX2 2AA',
    byday: '2TU',
    opens: '13:30',
    closes: '15:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 45,
  },
  {
    name: 'Craft and Natter',
    org: 'Northgate Library',
    terms: ['arts-crafts'],
    description: 'Bring your knitting, crochet or sewing, or learn something new. Tea and biscuits provided.',
    venue: 'Northgate Library',
    postcode: 'XX2 1AA',
    byday: 'TU',
    opens: '14:00',
    closes: '16:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 9,
    accessibility: 'Step-free entrance; accessible toilet',
  },
  {
    name: 'Museum Memories',
    org: 'Riverside Museum',
    terms: ['museums-heritage'],
    description:
      'Handling sessions with objects from the museum collection, for people with memory loss and their carers.',
    venue: 'Riverside Museum',
    postcode: 'XX1 2AA',
    byday: '1WE',
    opens: '10:30',
    closes: '12:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 120,
  },
  {
    name: 'Riverside Debt Advice Drop-In',
    org: 'Riverside Advice Centre',
    terms: ['debt-advice', 'benefits-advice'],
    description:
      'Free, confidential, independent advice on debts, bills and benefits. Bring any letters you have.',
    venue: 'Riverside Advice Centre',
    postcode: 'XX1 1AB',
    byday: 'MO,WE',
    opens: '09:30',
    closes: '16:00',
    attending: 'In person or by phone',
    cost: null,
    verifiedDaysAgo: 14,
    languages: ['English', 'Urdu', 'Polish'],
  },
  {
    name: 'Benefits Check by Phone',
    org: 'Riverside Advice Centre',
    terms: ['benefits-advice'],
    description: 'An adviser checks what you could claim and helps with forms, over the phone.',
    venue: null,
    postcode: null,
    byday: 'TU,TH',
    opens: '10:00',
    closes: '16:00',
    attending: 'Telephone',
    cost: null,
    verifiedDaysAgo: 14,
  },
  {
    name: 'Warm Homes Advice',
    org: 'Moorland Energy Trust',
    terms: ['energy-support', 'grants'],
    description:
      'Help with energy bills, fuel debt, grants for insulation and boilers, and keeping warm for less.',
    venue: 'Highmoor Village Hall',
    postcode: 'XX3 2AA',
    byday: 'TH',
    opens: '10:00',
    closes: '13:00',
    attending: 'In person or phone',
    cost: null,
    verifiedDaysAgo: 200,
  },
  {
    name: 'Housing Advice Surgery',
    org: 'Riverside Advice Centre',
    terms: ['housing-advice'],
    description: 'Advice on disrepair, rent arrears, eviction notices and finding somewhere to live.',
    venue: 'Riverside Advice Centre',
    postcode: 'XX1 1AB',
    byday: 'TU',
    opens: '13:00',
    closes: '16:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 33,
  },
  {
    name: 'Handyperson Service',
    org: 'Age Well Riverside',
    terms: ['home-adaptations'],
    description: 'Small repairs and safety fittings at home: grab rails, key safes, smoke alarms, odd jobs.',
    venue: null,
    postcode: null,
    byday: 'MO,TU,WE,TH,FR',
    opens: '09:00',
    closes: '16:00',
    attending: 'Home visits; book by phone',
    cost: 'Materials only',
    verifiedDaysAgo: 80,
    minAge: 60,
  },
  {
    name: 'Talking Together Peer Support',
    org: 'Mind in Riverside',
    terms: ['peer-support'],
    description:
      'A peer support group for people living with anxiety or low mood. Share as much or as little as you like.',
    venue: 'Riverside Community Centre',
    postcode: 'XX1 1AA',
    byday: 'WE',
    opens: '18:00',
    closes: '19:30',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 28,
  },
  {
    name: 'NHS Talking Therapies',
    org: 'Riverside and Moorland NHS Talking Therapies',
    terms: ['talking-therapies'],
    description:
      'Free NHS talking therapies for anxiety and depression. You can refer yourself online or by phone.',
    venue: null,
    postcode: null,
    byday: 'MO,TU,WE,TH,FR',
    opens: '08:00',
    closes: '20:00',
    attending: 'Online, phone or in person',
    cost: null,
    verifiedDaysAgo: 60,
  },
  {
    name: 'Mindfulness for Beginners',
    org: 'Northgate Library',
    terms: ['mindfulness'],
    description: 'A six-week introduction to mindfulness and relaxation.',
    venue: 'Northgate Library',
    postcode: 'XX2 1AA',
    byday: 'MO',
    opens: '18:30',
    closes: '20:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 100,
  },
  {
    name: 'Bereavement Café',
    org: 'St Anne’s Church',
    terms: ['bereavement'],
    description: 'A relaxed space to talk with others who have lost someone, over tea and cake.',
    venue: 'St Anne’s church hall',
    postcode: 'XX1 2AA',
    byday: '1TH,3TH',
    opens: '14:00',
    closes: '16:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 35,
  },
  {
    name: 'Riverside Food Pantry',
    org: 'Riverside Community Action',
    terms: ['food'],
    description: 'Choose £15 of groceries for £4 a week. Members also get cooking on a budget tips.',
    venue: 'Riverside Community Centre',
    postcode: 'XX1 1AA',
    byday: 'TU,FR',
    opens: '10:00',
    closes: '13:00',
    attending: 'In person',
    cost: '£4 a week',
    verifiedDaysAgo: 7,
  },
  {
    name: 'Digital Skills Café',
    org: 'Northgate Library',
    terms: ['digital'],
    description:
      'One-to-one help with phones, tablets and getting online: video calls, online shopping, NHS App.',
    venue: 'Northgate Library',
    postcode: 'XX2 1AA',
    byday: 'TH',
    opens: '10:00',
    closes: '12:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 15,
    accessibility: 'Step-free entrance; hearing loop',
  },
  {
    name: 'Dial-a-Ride',
    org: 'Moorland Community Transport',
    terms: ['transport'],
    description: 'Door-to-door minibus for people who cannot use buses easily, across the Moorland villages.',
    venue: null,
    postcode: null,
    byday: 'MO,TU,WE,TH,FR',
    opens: '08:30',
    closes: '17:00',
    attending: 'Book by phone',
    cost: 'Fares from £2',
    verifiedDaysAgo: 90,
  },
  {
    name: 'Carers’ Coffee Morning',
    org: 'Carers Riverside',
    terms: ['carers'],
    description: 'Meet other unpaid carers, get information and a break. Replacement care can be arranged.',
    venue: 'Riverside Community Centre',
    postcode: 'XX1 1AA',
    byday: '2WE',
    opens: '10:00',
    closes: '12:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 22,
  },
  {
    name: 'Volunteer Centre Drop-In',
    org: 'Riverside Volunteer Centre',
    terms: ['volunteering'],
    description: 'Find a volunteering role that suits you: we talk it through and make the introduction.',
    venue: 'Riverside Volunteer Centre',
    postcode: 'XX1 2AB',
    byday: 'WE',
    opens: '10:00',
    closes: '15:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 50,
  },
  {
    name: 'Adult Learning: English Conversation',
    org: 'Northgate Adult Learning',
    terms: ['adult-learning'],
    description: 'Informal English conversation classes for speakers of other languages.',
    venue: 'Northgate Library',
    postcode: 'XX2 1AA',
    byday: 'MO,WE',
    opens: '10:00',
    closes: '12:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 70,
    languages: ['English', 'Arabic', 'Dari'],
  },
  {
    name: 'Immigration Advice Clinic',
    org: 'Riverside Law Centre',
    terms: ['immigration', 'legal-advice'],
    description: 'Regulated immigration advice by appointment. Interpreters available.',
    venue: 'Riverside Law Centre',
    postcode: 'XX1 2AA',
    byday: 'TH',
    opens: '13:00',
    closes: '17:00',
    attending: 'In person by appointment',
    cost: null,
    verifiedDaysAgo: 30,
    languages: ['English', 'Arabic', 'Tigrinya'],
  },
  {
    name: 'Living Well with Diabetes',
    org: 'Riverside and Moorland NHS',
    terms: ['self-management'],
    description: 'A free six-week course on living with type 2 diabetes, food and activity.',
    venue: 'Northgate Health Centre',
    postcode: 'XX2 2AA',
    byday: 'TU',
    opens: '10:00',
    closes: '12:30',
    attending: 'In person or online',
    cost: null,
    verifiedDaysAgo: 110,
  },
  {
    name: 'Moorland Gardening Club',
    org: 'Highmoor Allotments',
    terms: ['gardening'],
    description: 'Shared allotment beds, tools and seeds. Grow food, get fresh air and meet neighbours.',
    venue: 'Highmoor Allotments',
    postcode: 'XX3 2AA',
    byday: 'SA',
    opens: '10:00',
    closes: '13:00',
    attending: 'In person',
    cost: null,
    verifiedDaysAgo: 19,
  },
  {
    name: 'Recovery Café',
    org: 'Forward Steps',
    terms: ['substance-use', 'peer-support'],
    description: 'Peer support for people cutting down or stopping alcohol or drugs, and their families.',
    venue: 'Riverside Community Centre',
    postcode: 'XX1 1AA',
    byday: 'SU',
    opens: '11:00',
    closes: '14:00',
    attending: 'Drop in',
    cost: null,
    verifiedDaysAgo: 26,
  },
];

function daysAgo(now: Date, n: number): string {
  return new Date(now.getTime() - n * 86_400_000).toISOString().slice(0, 10);
}

function orukOf(s: DemoService, now: Date): unknown {
  const id = idFor(`service:${s.name}`);
  const orgId = idFor(`org:${s.org}`);
  const place = s.postcode ? PLACES[s.postcode]! : null;
  const free = s.cost === null;
  const remote = s.postcode === null;
  return {
    id,
    name: s.name,
    description: s.description,
    status: 'active',
    url: `https://example.org/${s.org.toLowerCase().replace(/[^a-z]+/g, '-')}`,
    email: `hello@${s.org.toLowerCase().replace(/[^a-z]+/g, '')}.example.org`,
    ...(s.minAge !== undefined ? { minimum_age: s.minAge } : {}),
    ...(s.eligibility ? { eligibility_description: s.eligibility } : {}),
    ...(s.verifiedDaysAgo !== null
      ? { assured_date: daysAgo(now, s.verifiedDaysAgo), assurer_email: 'directory@demo.linkwork.example' }
      : {}),
    organization: {
      id: orgId,
      name: s.org,
      description: `${s.org} is a fictional organisation in the Linkwork demo.`,
    },
    organization_id: orgId,
    schedules: [
      {
        id: idFor(`schedule:${s.name}`),
        freq: /\d/.test(s.byday) ? 'MONTHLY' : 'WEEKLY',
        byday: s.byday,
        opens_at: s.opens,
        closes_at: s.closes,
        attending_type: s.attending,
      },
    ],
    cost_options: [
      free
        ? { id: idFor(`cost:${s.name}`), option: 'Free', amount: 0 }
        : { id: idFor(`cost:${s.name}`), option: s.cost, amount_description: s.cost },
    ],
    languages: (s.languages ?? []).map((name) => ({ id: idFor(`language:${s.name}:${name}`), name })),
    contacts: [
      {
        id: idFor(`contact:${s.name}`),
        name: 'Service coordinator',
        phones: [
          {
            id: idFor(`phone:${s.name}`),
            number: `0113 496 0${String(SERVICES.indexOf(s)).padStart(3, '0')}`,
          },
        ],
      },
    ],
    attributes: s.terms.map((code) => ({
      id: idFor(`attribute:${s.name}:${code}`),
      taxonomy_term_id: termByCode(code)!.id,
    })),
    service_at_locations:
      remote || !place
        ? []
        : [
            {
              id: idFor(`sal:${s.name}`),
              location: {
                id: idFor(`location:${s.venue}`),
                location_type: 'physical',
                name: s.venue,
                latitude: place.lat,
                longitude: place.lon,
                addresses: [
                  {
                    id: idFor(`address:${s.venue}`),
                    address_1: s.venue,
                    city: place.town,
                    state_province: 'Demoshire',
                    postal_code: s.postcode,
                    country: 'GB',
                    address_type: 'physical',
                  },
                ],
                accessibility: s.accessibility
                  ? [{ id: idFor(`access:${s.venue}`), description: s.accessibility }]
                  : [],
              },
            },
          ],
  };
}

export const demoServiceId = (name: string) => idFor(`service:${name}`);

export async function seedDirectoryDemo(
  tx: Db,
  icbId: string,
  now: Date,
  users: { directoryManager: string; amira: string; tom: string },
  pcns: { riverside: string; moorland: string },
): Promise<void> {
  // Shared venues appear in more than one service: the same location written once.
  const byVenue = new Map<string, unknown>();
  const items = SERVICES.map((s) => {
    const record = orukOf(s, now) as { service_at_locations: { location: { id: string } }[] };
    for (const sal of record.service_at_locations) {
      const known = byVenue.get(sal.location.id);
      if (known) sal.location = known as { id: string };
      else byVenue.set(sal.location.id, sal.location);
    }
    const parsed = serviceSchema.parse(record);
    return { sourceId: parsed.id, service: parsed };
  });
  const outcomes = await writeServices(tx, icbId, items, {
    source: 'linkwork',
    change: 'created',
    by: users.directoryManager,
    importId: null,
    now,
  });
  const rejected = outcomes.filter((o) => o.outcome === 'rejected');
  if (rejected.length > 0) throw new Error(`Demo services rejected: ${JSON.stringify(rejected)}`);

  await tx.insert(directoryReports).values([
    {
      id: newId(),
      organisationId: icbId,
      serviceId: demoServiceId('Museum Memories'),
      kind: 'details_wrong',
      note: 'Now on the first Thursday, not Wednesday — the museum told me on the phone.',
      reportedBy: users.amira,
      reportedFor: pcns.riverside,
      reportedAt: new Date(now.getTime() - 3 * 86_400_000),
    },
    {
      id: newId(),
      organisationId: icbId,
      serviceId: demoServiceId('Warm Homes Advice'),
      kind: 'closed',
      note: 'Phone line says the Thursday session has stopped until further notice.',
      reportedBy: users.tom,
      reportedFor: pcns.moorland,
      reportedAt: new Date(now.getTime() - 6 * 86_400_000),
    },
  ]);

  await seedDemoConnections(tx, icbId, now);
}

const NEED_TO_SERVICE: Record<string, string[]> = {
  loneliness: ['Riverside Men’s Shed', 'Friday Lunch Club', 'Telephone Befriending', 'Moorland Men’s Shed'],
  physical_activity: [
    'Riverside Park Health Walk',
    'Chair-Based Exercise at St Anne’s',
    'Northgate Striders',
  ],
  money_debt_benefits: ['Riverside Debt Advice Drop-In', 'Benefits Check by Phone', 'Warm Homes Advice'],
  mental_wellbeing: ['Talking Together Peer Support', 'NHS Talking Therapies'],
  housing: ['Housing Advice Surgery'],
  arts_culture_nature: ['Community Choir', 'Craft and Natter', 'Moorland Gardening Club'],
  bereavement: ['Bereavement Café'],
  caring: ['Carers’ Coffee Morning'],
  digital_inclusion: ['Digital Skills Café'],
  food: ['Riverside Food Pantry'],
};

/** The story each demo connection has reached, cycled over the demo's goals. */
const STORIES: { kind: ConnectionKind; path: ConnectionStatus[]; reason?: string }[] = [
  { kind: 'warm_handover', path: ['referred', 'accepted', 'attended'] },
  { kind: 'referred', path: ['referred'] },
  { kind: 'signposted', path: ['suggested', 'attended', 'completed'] },
  { kind: 'referred', path: ['referred', 'accepted'] },
  { kind: 'warm_handover', path: ['referred', 'accepted', 'did_not_attend'] },
  { kind: 'referred', path: ['referred', 'declined'], reason: 'Group full until the spring' },
  { kind: 'signposted', path: ['suggested'] },
];

async function seedDemoConnections(tx: Db, icbId: string, now: Date) {
  const goalRows = rowsOf<{
    goal_id: string;
    referral_id: string;
    person_id: string;
    organisation_id: string;
    needs_domain: string | null;
    link_worker_id: string;
    created_at: string;
  }>(
    await tx.execute(sql`
      select g.id as goal_id, g.referral_id, g.person_id, g.organisation_id, g.needs_domain,
        r.allocated_link_worker_id as link_worker_id, g.created_at
      from goals g join referrals r on r.id = g.referral_id
      where r.status in ('accepted', 'discharged') and r.allocated_link_worker_id is not null
      order by g.created_at, g.id`),
  );
  let n = 0;
  for (const g of goalRows) {
    const choices = NEED_TO_SERVICE[g.needs_domain ?? ''];
    if (!choices) continue;
    const serviceName = choices[n % choices.length]!;
    const story = STORIES[n % STORIES.length]!;
    n++;
    const start = new Date(g.created_at);
    const id = newId();
    // One step a week from when the goal was set, never past today.
    const dates = story.path.map((_, i) =>
      new Date(Math.min(start.getTime() + (i * 7 + 1) * 86_400_000, now.getTime()))
        .toISOString()
        .slice(0, 10),
    );
    const last = story.path.length - 1;
    await tx.insert(connections).values({
      id,
      organisationId: g.organisation_id,
      referralId: g.referral_id,
      personId: g.person_id,
      goalId: g.goal_id,
      directoryId: icbId,
      serviceId: demoServiceId(serviceName),
      serviceName,
      kind: story.kind,
      status: story.path[last]!,
      consentToShare: story.kind !== 'signposted',
      note: null,
      statusOn: dates[last]!,
      connectedOn: dates[0]!,
      linkWorkerId: g.link_worker_id,
      version: story.path.length,
      createdAt: new Date(`${dates[0]}T10:00:00Z`),
      updatedAt: new Date(`${dates[last]}T10:00:00Z`),
    });
    await tx.insert(connectionEvents).values(
      story.path.map((status, i) => ({
        id: newId(),
        organisationId: g.organisation_id,
        connectionId: id,
        personId: g.person_id,
        status,
        on: dates[i]!,
        reason: status === 'declined' ? (story.reason ?? null) : null,
        note: null,
        recordedBy: g.link_worker_id,
        recordedAt: new Date(`${dates[i]}T10:${String(10 + i).padStart(2, '0')}:00Z`),
      })),
    );
  }
}
