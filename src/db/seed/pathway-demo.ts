import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { contactModes } from '../../modules/contacts/contract.ts';
import { codedConcepts, codedEvents, contacts } from '../../modules/contacts/schema.ts';
import { lsoaDeprivation, postcodes } from '../../modules/geography/schema.ts';
import { postcodeKey } from '../../modules/geography/service.ts';
import { users } from '../../modules/identity/schema.ts';
import { organisations } from '../../modules/organisations/schema.ts';
import type { dischargeReasons, flagKinds, needPriorities } from '../../modules/pathway/contract.ts';
import {
  allocations,
  appointments,
  discharges,
  goalProgress,
  goals,
  pathwaySettings,
  personFlags,
  supportPlans,
  supportPlanVersions,
  whatMattersConversations,
} from '../../modules/pathway/schema.ts';
import type { ethnicCategories } from '../../modules/people/contract.ts';
import { isProbableMatch } from '../../modules/people/matching.ts';
import { isValidNhsNumber } from '../../modules/people/nhs-number.ts';
import { people } from '../../modules/people/schema.ts';
import type { declineReasons } from '../../modules/referrals/contract.ts';
import { needsDomains, referrals } from '../../modules/referrals/schema.ts';
import { newReference } from '../../modules/referrals/service.ts';
import { newId } from '../../platform/ids.ts';
import { londonDate } from '../../platform/working-days.ts';
import type { Db } from '../client.ts';

/*
 * A living caseload for the demo: about sixty fictional people across the two demo PCNs at every stage of the
 * pathway, written as the rows the pathway would have left behind. Every date is a number of working days from
 * the day the demo is seeded (negative: before, positive: ahead), so the demo always looks current.
 */

type Pcn = 'riverside' | 'moorland';
type Practice = 'rmc' | 'bridge' | 'millbrook' | 'village' | 'hilltop';
type LinkWorker = 'amira' | 'grace' | 'tom';
type Mode = (typeof contactModes)[number];
type Ethnic = (typeof ethnicCategories)[number];
type Priority = (typeof needPriorities)[number];

interface Who {
  given: string;
  family: string;
  dob: string;
  sex: 'female' | 'male';
  ethnic: Ethnic;
  practice: Practice | null;
  postcode: string;
  address: string[];
  /** Self-referrals usually come without an NHS number. */
  nhs?: false;
  email?: string;
  contactBy?: 'phone' | 'text' | 'email' | 'letter';
  times?: string;
  interpreter?: string;
  access?: string;
}

interface Ref {
  source: 'professional' | 'self';
  d: number;
  at?: string;
  reasons: string[];
  context: string;
  urgent?: true;
  triaged?: number;
}

interface Touch {
  d: number;
  at?: string;
  mode: Mode;
  mins?: number;
  note: string;
  present?: string;
  where?: string;
}

type Need = [domain: string, priority: Priority, concern: string];

interface WhatMattersSpec extends Omit<Touch, 'note'> {
  note?: string;
  needs: Need[];
  ownWords: string;
  strengths?: string;
  barriers?: string;
  /** A later conversation that adds a version. */
  revisit?: { d: number; needs?: Need[]; ownWords?: string; strengths?: string; barriers?: string };
}

type Action = [who: string, what: string, byWhen: number | null, done: boolean];

interface GoalSpec {
  text: string;
  domain: string;
  services?: string;
  review?: number;
  status?: 'achieved' | 'stopped';
  /** Added when the plan was revised. */
  added?: true;
  actions: Action[];
}

interface PlanSpec extends Omit<Touch, 'note'> {
  note?: string;
  summary: string;
  goals: GoalSpec[];
  revised?: { d: number; summary?: string };
}

interface Booking {
  d: number;
  at?: string;
  mode: Mode;
  mins?: number;
  where?: string;
  note?: string;
  /** Past bookings only: what became of them. */
  status?: 'did_not_attend' | 'cancelled';
}

interface Story {
  pcn: Pcn;
  who: Who;
  ref: Ref;
  lw?: LinkWorker;
  reallocated?: { from: LinkWorker; d: number; reason: string };
  triage?: { signposted: string } | { declined: (typeof declineReasons)[number]; note: string };
  attempts?: Touch[];
  first?: Touch & { declines?: true };
  wm?: WhatMattersSpec;
  plan?: PlanSpec;
  visits?: Touch[];
  bookings?: Booking[];
  flag?: {
    kind: (typeof flagKinds)[number];
    d: number;
    at?: string;
    note: string;
    resolved?: { d: number; note: string };
  };
  discharge?: {
    d: number;
    reason: (typeof dischargeReasons)[number];
    summary: string;
    offered: string;
    outcome: string;
    gp?: string;
  };
}

const practiceNames: Record<Practice, string> = {
  rmc: 'Riverside Medical Centre',
  bridge: 'Bridge Street Surgery',
  millbrook: 'Millbrook Health Centre',
  village: 'Moorland Village Practice',
  hilltop: 'Hilltop Surgery',
};
const practiceOds: Record<Practice, string> = {
  rmc: 'Z99011',
  bridge: 'Z99012',
  millbrook: 'Z99013',
  village: 'Z99021',
  hilltop: 'Z99022',
};
const pcnOds: Record<Pcn, string> = { riverside: 'U99001', moorland: 'U99002' };
const staffEmails = {
  lead: 'lead@demo.linkwork.example',
  amira: 'amira.hassan@demo.linkwork.example',
  grace: 'grace.lee@demo.linkwork.example',
  tom: 'tom.bennett@demo.linkwork.example',
  referrer: 'dr.jones@demo.linkwork.example',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Riverside Central PCN: Amira Hassan and Grace Lee (Grace works remotely, so mostly phone and video).
// ---------------------------------------------------------------------------------------------------------------

const riverside: Story[] = [
  // Amira: awaiting first contact
  {
    pcn: 'riverside',
    who: {
      given: 'Yusuf',
      family: 'Demir',
      dob: '1986-03-11',
      sex: 'male',
      ethnic: 'S',
      practice: 'bridge',
      postcode: 'XX1 2AB',
      address: ['27 Foundry Walk', 'Riverside'],
      contactBy: 'text',
    },
    ref: {
      source: 'professional',
      d: -3,
      reasons: ['money_debt_benefits', 'employment_education_volunteering'],
      context:
        'Self-employed taxi driver; fares have dropped and he is behind with his council tax. Says the worry is keeping him awake. Would like help with a budget and any benefits he may be entitled to.',
    },
    lw: 'amira',
    bookings: [{ d: 2, at: '10:00', mode: 'phone', mins: 30, note: 'First call, booked by text.' }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Bernadette',
      family: 'Walsh',
      dob: '1950-10-02',
      sex: 'female',
      ethnic: 'B',
      practice: 'rmc',
      postcode: 'XX1 1AB',
      address: ['Flat 6, Mercer House', 'Dock Road', 'Riverside'],
      access: 'Uses a walking frame; ground-floor flat.',
    },
    ref: {
      source: 'professional',
      d: -15,
      reasons: ['loneliness', 'long_term_condition'],
      context:
        'COPD; housebound for most of the winter. Her friends from the parish have moved away and she says days can pass without speaking to anyone.',
    },
    lw: 'amira',
    attempts: [
      {
        d: -9,
        mode: 'phone',
        note: 'Called the mobile number on the referral: no answer and no voicemail set up. Will try the landline the practice holds.',
      },
    ],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Kyle',
      family: 'Robinson',
      dob: '1998-06-21',
      sex: 'male',
      ethnic: 'A',
      practice: 'millbrook',
      postcode: 'XX1 2AA',
      address: ['14 Tannery Close', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -22,
      reasons: ['mental_wellbeing', 'employment_education_volunteering'],
      context:
        'Lost his warehouse job in the summer and is staying with his mum. Agreed to the referral but was unsure what it would involve.',
    },
    lw: 'amira',
    attempts: [
      { d: -17, mode: 'phone', note: 'No answer. Left a voicemail giving my name and the service only.' },
      {
        d: -12,
        mode: 'text_or_email',
        note: 'Sent a text introducing the service and asking him to call or reply with a good time.',
      },
      {
        d: -6,
        mode: 'phone',
        note: 'No answer; voicemail box full. Third attempt. Asked Helen whether to close as unable to contact or ask the practice to check the number first.',
      },
    ],
  },
  // Amira: first contact made, "what matters" conversation to come
  {
    pcn: 'riverside',
    who: {
      given: 'Fatima',
      family: 'Begum',
      dob: '1969-01-17',
      sex: 'female',
      ethnic: 'K',
      practice: 'rmc',
      postcode: 'XX1 1AA',
      address: ['41 Canal Row', 'Riverside'],
      interpreter: 'Sylheti',
      contactBy: 'phone',
      times: 'Mornings',
    },
    ref: {
      source: 'professional',
      d: -12,
      reasons: ['loneliness', 'physical_activity', 'long_term_condition'],
      context:
        'Type 2 diabetes. Rarely leaves home since her children moved out and would like to be more active. Needs a Sylheti interpreter.',
    },
    lw: 'amira',
    first: {
      d: -5,
      mode: 'phone',
      mins: 25,
      present: 'Telephone interpreter (Sylheti)',
      note: 'Spoke with Fatima through a telephone interpreter. She would like the service and asked to meet at home with an interpreter there. Booked a home visit.',
    },
    bookings: [
      {
        d: 3,
        at: '10:30',
        mode: 'home_visit',
        mins: 60,
        note: 'What matters conversation. Face-to-face Sylheti interpreter booked.',
      },
    ],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Lewis',
      family: 'Grant',
      dob: '1983-08-05',
      sex: 'male',
      ethnic: 'M',
      practice: 'bridge',
      postcode: 'XX1 2AB',
      address: ['9 Chapel Street', 'Riverside'],
    },
    ref: {
      source: 'self',
      d: -10,
      reasons: ['housing', 'mental_wellbeing'],
      context:
        'My landlord is selling the house and I have to be out by the end of next month. I do not know where to start and it is getting on top of me.',
    },
    lw: 'amira',
    first: {
      d: -3,
      mode: 'phone',
      mins: 20,
      note: 'Lewis would like help. His main worry is the notice from his landlord; he has not yet contacted the council. Gave him the housing options number today and booked a longer meeting.',
    },
    bookings: [{ d: 4, at: '14:00', mode: 'in_practice', mins: 60, where: 'Bridge Street Surgery, room 2' }],
  },
  // Amira: conversation held, plan to agree
  {
    pcn: 'riverside',
    who: {
      given: 'Agnieszka',
      family: 'Zielińska',
      dob: '1987-04-30',
      sex: 'female',
      ethnic: 'C',
      practice: 'millbrook',
      postcode: 'XX2 1AA',
      address: ['3 Orchard Way', 'Riverside'],
      email: 'a.zielinska@example.com',
      contactBy: 'email',
    },
    ref: {
      source: 'professional',
      d: -25,
      reasons: ['employment_education_volunteering', 'digital_inclusion', 'loneliness'],
      context:
        'Moved from Poland two years ago; qualified as an accountant there. Now cleaning part-time and feeling isolated. Would like help using her skills.',
    },
    lw: 'amira',
    first: {
      d: -19,
      mode: 'phone',
      note: 'Agnieszka is keen. Prefers email for arranging meetings. Booked an appointment at Millbrook.',
    },
    wm: {
      d: -13,
      mode: 'in_practice',
      mins: 60,
      needs: [
        [
          'employment_education_volunteering',
          'high',
          'Wants work that uses her accountancy training; unsure how her qualifications are recognised here.',
        ],
        [
          'loneliness',
          'medium',
          'Knows few people outside work; evenings are long while her partner works nights.',
        ],
        [
          'digital_inclusion',
          'low',
          'Uses her phone for everything; no laptop to write a CV or apply for jobs.',
        ],
      ],
      ownWords:
        'At home I was somebody. Here I clean offices and nobody knows what I can do. I want to work with numbers again and to have friends here.',
      strengths: 'Qualified accountant, good English, organised and determined. Her partner is supportive.',
      barriers: 'No UK references; no laptop; confidence knocked by rejections.',
    },
    bookings: [
      {
        d: 2,
        at: '11:00',
        mode: 'in_practice',
        mins: 45,
        where: 'Millbrook Health Centre, wellbeing room',
        note: 'Agree the support plan.',
      },
    ],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Harold',
      family: 'Jenkins',
      dob: '1940-12-08',
      sex: 'male',
      ethnic: 'A',
      practice: 'rmc',
      postcode: 'XX2 2AA',
      address: ['18 Victoria Terrace', 'Riverside'],
      access:
        'Hard of hearing: face him and speak clearly. Phone calls are difficult; contact through his daughter.',
    },
    ref: {
      source: 'professional',
      d: -28,
      reasons: ['bereavement', 'loneliness', 'food'],
      context:
        'His wife died in the spring after 58 years of marriage. His daughter says he is not cooking and has lost weight. Hard of hearing.',
    },
    lw: 'amira',
    first: {
      d: -23,
      mode: 'phone',
      present: 'Daughter (Karen), on speakerphone',
      note: 'Called through his daughter Karen as Harold finds the phone hard. He agreed to a visit at home with Karen there.',
    },
    wm: {
      d: -16,
      mode: 'home_visit',
      mins: 75,
      present: 'Daughter (Karen)',
      needs: [
        [
          'bereavement',
          'high',
          'Misses his wife, Joan, every hour of the day; has not talked to anyone about it.',
        ],
        [
          'food',
          'medium',
          'Joan did the cooking; he lives on toast and tins. Karen brings meals at weekends.',
        ],
        ['loneliness', 'high', 'Used to go to the British Legion club with Joan; has not been since.'],
      ],
      ownWords: 'The house is too quiet. Joan would tell me off for sitting here all day.',
      strengths:
        'Close to his daughter; good sense of humour; a keen gardener and a Legion member for forty years.',
      barriers: 'Hearing loss makes groups tiring; no longer drives.',
      revisit: {
        d: -9,
        needs: [
          [
            'bereavement',
            'high',
            'Misses his wife, Joan, every hour of the day; has not talked to anyone about it.',
          ],
          [
            'food',
            'medium',
            'Joan did the cooking; he lives on toast and tins. Karen brings meals at weekends.',
          ],
          ['loneliness', 'high', 'Used to go to the British Legion club with Joan; has not been since.'],
          [
            'arts_culture_nature',
            'medium',
            'Would like to get the garden going again; Joan loved the roses.',
          ],
        ],
      },
    },
    visits: [
      {
        d: -9,
        mode: 'home_visit',
        mins: 45,
        present: 'Daughter (Karen)',
        note: 'Second visit. Harold talked more about Joan and showed me the garden. Added the garden to what matters to him. Karen has bought him a microwave and some easy meals.',
      },
    ],
    bookings: [
      {
        d: 5,
        at: '11:00',
        mode: 'home_visit',
        mins: 60,
        note: 'Agree the support plan; Karen will join.',
      },
    ],
  },
  // Amira: supporting
  {
    pcn: 'riverside',
    who: {
      given: 'Olive',
      family: 'Thompson',
      dob: '1943-02-19',
      sex: 'female',
      ethnic: 'A',
      practice: 'rmc',
      postcode: 'XX1 1AA',
      address: ['Flat 12, Mercer House', 'Dock Road', 'Riverside'],
      contactBy: 'phone',
      times: 'Afternoons',
    },
    ref: {
      source: 'professional',
      d: -62,
      reasons: ['loneliness', 'money_debt_benefits'],
      context:
        'Lives alone; seems low and is often short of money before her pension day. Would benefit from company and a benefits check.',
    },
    lw: 'amira',
    first: {
      d: -56,
      mode: 'phone',
      mins: 20,
      note: 'Olive is happy to have support. Prefers afternoons. Booked a home visit.',
    },
    wm: {
      d: -51,
      mode: 'home_visit',
      mins: 60,
      needs: [
        ['loneliness', 'high', 'Sees nobody most days apart from her son, who calls in on pension day.'],
        [
          'money_debt_benefits',
          'high',
          'Often has no money left by the middle of the week; not sure what she is entitled to.',
        ],
      ],
      ownWords: 'I would like a bit of company and to stop worrying about money. I used to love a dance.',
      strengths: 'Friendly and chatty, with a good memory for people; has lived in Riverside all her life.',
      barriers: 'Nervous of going out alone since a fall last year; relies on her son for shopping.',
    },
    plan: {
      d: -46,
      mode: 'home_visit',
      mins: 45,
      summary:
        'Olive wants company in the week and to understand her money. Amira will go with her to the lunch club the first time and arrange a benefits check.',
      goals: [
        {
          text: "Go to the lunch club at St Anne's on Thursdays",
          domain: 'loneliness',
          services: "St Anne's lunch club (Thursdays 12 to 2); Riverside Community Action befriending",
          review: -1,
          actions: [
            ['Amira', 'Go with Olive to her first lunch club', -41, true],
            ['Olive', 'Go on her own, or with Maureen from next door', null, true],
          ],
        },
        {
          text: 'Have enough money to last the week, with only me using my bank card',
          domain: 'money_debt_benefits',
          services: 'Citizens Advice Riverside (benefits check, Pension Credit)',
          review: 3,
          actions: [
            ['Amira', 'Book a benefits check with Citizens Advice', -43, true],
            ['Olive', 'Take her pension letters to the appointment', -36, true],
            ['Olive', 'Ask the bank for a card that only she uses', -20, true],
          ],
        },
      ],
      revised: { d: -7, summary: 'Olive now goes to lunch club most weeks and has her own bank card.' },
    },
    visits: [
      {
        d: -41,
        at: '12:00',
        mode: 'community_venue',
        mins: 90,
        where: "St Anne's church hall",
        note: 'Went with Olive to the lunch club. She knew two people from her old street and stayed for the bingo.',
      },
      {
        d: -33,
        mode: 'home_visit',
        mins: 45,
        note: 'Citizens Advice think she may be entitled to Pension Credit; application started. Olive seemed worried when her son came up in conversation.',
      },
      {
        d: -30,
        at: '14:00',
        mode: 'home_visit',
        mins: 40,
        note: 'Olive told me her son takes her bank card on pension day. With her agreement, spoke to Helen and made a safeguarding referral (see flag). Olive has the reference and knows who will call.',
      },
      {
        d: -18,
        mode: 'phone',
        mins: 20,
        note: 'Adult social care have visited and Olive feels listened to. Pension Credit awarded. Still going to lunch club.',
      },
      {
        d: -7,
        mode: 'home_visit',
        mins: 45,
        note: "Olive has a new bank card that only she uses, arranged with the bank's support team. Going to lunch club most weeks.",
      },
    ],
    bookings: [
      {
        d: -25,
        mode: 'home_visit',
        status: 'cancelled',
        note: 'Olive cancelled: her son was visiting. Rebooked by phone.',
      },
      { d: 2, at: '14:00', mode: 'home_visit', mins: 45, note: 'Goal review.' },
    ],
    flag: {
      kind: 'safeguarding_concern',
      d: -30,
      at: '16:30',
      note: "Olive told me her son takes her bank card on pension day and decides what she can spend; she says she feels unable to refuse. Discussed with Helen Okafor (lead) the same day. With Olive's consent a safeguarding referral was made to the council's adult social care team (she has the reference). At each contact check she feels safe and has money for the week. Do not discuss this by phone if her son may be there.",
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Samuel',
      family: 'Adeyemi',
      dob: '1961-07-23',
      sex: 'male',
      ethnic: 'N',
      practice: 'bridge',
      postcode: 'XX1 2AA',
      address: ['52 Wharf Street', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -48,
      reasons: ['money_debt_benefits', 'physical_activity'],
      context:
        'Knee problems have ended his work as a hospital porter. A PIP review letter has arrived and he is anxious about it. Would like to get fitter.',
    },
    lw: 'amira',
    first: {
      d: -44,
      mode: 'phone',
      note: 'Samuel wants help, mainly with the PIP review form. Booked a meeting at the practice.',
    },
    wm: {
      d: -39,
      mode: 'in_practice',
      mins: 60,
      needs: [
        [
          'money_debt_benefits',
          'high',
          'PIP review form due back in four weeks; finds the form overwhelming.',
        ],
        [
          'physical_activity',
          'medium',
          'Has put on weight since stopping work; wants to walk more but worries about his knee.',
        ],
      ],
      ownWords: 'If I lose the PIP I lose the flat. Once that is sorted I want to get moving again.',
      strengths: 'Methodical and keeps all his letters; a supportive church community.',
      barriers: 'Knee pain on stairs and hills; long forms are hard going.',
    },
    plan: {
      d: -37,
      mode: 'in_practice',
      summary: 'First the PIP review, then a gentle return to walking.',
      goals: [
        {
          text: 'Get my PIP review form in on time, with my evidence',
          domain: 'money_debt_benefits',
          services: 'Citizens Advice Riverside (form-filling appointment)',
          review: -2,
          actions: [
            ['Amira', 'Book a Citizens Advice form-filling appointment', -35, true],
            ['Samuel', 'Ask the practice for copies of his recent letters', -33, true],
            ['Samuel', 'Post the form by recorded delivery', -25, true],
          ],
        },
        {
          text: 'Walk to Riverside Park and back three times a week',
          domain: 'physical_activity',
          services: 'Riverside Walking for Health (Wednesdays, flat route)',
          review: 1,
          actions: [
            ['Amira', 'Ask the walk leader about a shorter loop', -22, true],
            ['Samuel', 'Try the Wednesday walking group', -20, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -30,
        mode: 'phone',
        note: 'The form-filling appointment went well; Citizens Advice completed the form with him.',
      },
      { d: -24, mode: 'phone', mins: 15, note: 'Form posted by recorded delivery. Samuel relieved.' },
      {
        d: -15,
        mode: 'in_practice',
        mins: 30,
        where: 'Bridge Street Surgery, room 2',
        note: 'Has been to the walking group twice; knee sore after the first walk, better on the shorter loop.',
      },
      {
        d: -5,
        mode: 'phone',
        note: 'Still waiting for the PIP decision. Walking twice a week and has met a neighbour who walks too.',
      },
    ],
    bookings: [{ d: 6, at: '10:30', mode: 'in_practice', mins: 30, where: 'Bridge Street Surgery, room 2' }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Chloe',
      family: 'Marsh',
      dob: '1997-11-02',
      sex: 'female',
      ethnic: 'A',
      practice: 'millbrook',
      postcode: 'XX2 1AB',
      address: ['7 Ashgrove Court', 'Riverside'],
      contactBy: 'text',
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -55,
      reasons: ['mental_wellbeing', 'loneliness'],
      context:
        'Since I moved here for a job I mostly stay in my flat when I am not at work. I used to do art and I would like to meet people, but I get really anxious.',
    },
    lw: 'amira',
    first: {
      d: -50,
      mode: 'phone',
      mins: 20,
      note: 'Chloe wants support. Prefers texts to arrange things and video or meeting in person to talk. Booked a video call.',
    },
    wm: {
      d: -45,
      at: '16:00',
      mode: 'video',
      mins: 50,
      needs: [
        [
          'mental_wellbeing',
          'high',
          'Anxious about going to places on her own; sometimes turns back at the door.',
        ],
        ['loneliness', 'high', 'No friends locally; speaks to her mum on the phone most evenings.'],
        ['arts_culture_nature', 'medium', 'Studied illustration; has not drawn for two years and misses it.'],
      ],
      ownWords: 'I want something to look forward to that is not work, and people to do it with.',
      strengths: 'Creative, reflective and good at planning; in steady work.',
      barriers: 'Anxiety in new places; works some Saturdays.',
    },
    plan: {
      d: -40,
      at: '16:00',
      mode: 'video',
      summary: 'Start small: one creative group, with Amira meeting Chloe at the door the first time.',
      goals: [
        {
          text: 'Go to a creative group where I can meet people',
          domain: 'arts_culture_nature',
          services: 'Riverside Community Action art café (Tuesday evenings)',
          review: 8,
          actions: [
            ['Amira', 'Meet Chloe outside the art café for her first visit', -32, true],
            ['Chloe', 'Go three times before deciding', -15, true],
          ],
        },
        {
          text: 'Feel less anxious about going out on my own',
          domain: 'mental_wellbeing',
          services: 'NHS Talking Therapies (self-referral)',
          review: 8,
          actions: [['Chloe', 'Refer herself to NHS Talking Therapies', -36, true]],
        },
        {
          text: 'Join the Saturday sketching walks along the canal',
          domain: 'arts_culture_nature',
          services: 'Art café sketch walks (first Saturday of the month)',
          review: -1,
          added: true,
          actions: [['Chloe', 'Swap a Saturday shift with a colleague', -8, true]],
        },
      ],
      revised: {
        d: -20,
        summary: 'Going well at the art café; Chloe has added the Saturday sketching walks.',
      },
    },
    visits: [
      {
        d: -32,
        at: '18:00',
        mode: 'community_venue',
        mins: 30,
        where: 'Riverside Community Action art café',
        note: 'Met Chloe outside the art café. She stayed for the whole session and swapped numbers with another member.',
      },
      {
        d: -20,
        at: '16:30',
        mode: 'video',
        mins: 30,
        note: 'Chloe has been three times and wants to keep going. Has started NHS Talking Therapies. Updated the plan to add the sketching walks.',
      },
      {
        d: -9,
        at: '16:30',
        mode: 'video',
        mins: 25,
        note: 'Went on her first sketch walk. Still feels anxious beforehand, but says it passes once she is there.',
      },
    ],
    bookings: [{ d: 7, at: '16:30', mode: 'video', mins: 30 }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Imran',
      family: 'Hussain',
      dob: '1957-05-27',
      sex: 'male',
      ethnic: 'J',
      practice: 'rmc',
      postcode: 'XX1 2AA',
      address: ['23 Mill Lane', 'Riverside'],
      contactBy: 'phone',
    },
    ref: {
      source: 'professional',
      d: -50,
      reasons: ['caring', 'long_term_condition', 'digital_inclusion'],
      context:
        'Full-time carer for his wife since her stroke last year; has a heart condition himself. Has not had a break in months. Struggles to order prescriptions online.',
    },
    lw: 'amira',
    reallocated: {
      from: 'grace',
      d: -38,
      reason:
        'Mr Hussain asked to meet in person at the practice and Grace works remotely. Agreed with both link workers.',
    },
    first: {
      d: -45,
      mode: 'phone',
      note: "Imran would like help. Finds phone calls hard to fit around his wife's care and asked whether he could meet someone at the practice.",
    },
    wm: {
      d: -33,
      mode: 'in_practice',
      mins: 60,
      where: 'Riverside Medical Centre, room 4',
      needs: [
        ['caring', 'high', 'Cares for his wife day and night; no break since her stroke; sleep is broken.'],
        ['long_term_condition', 'medium', 'Misses his own check-ups because he cannot leave his wife.'],
        [
          'digital_inclusion',
          'medium',
          'Has a smartphone but has not set up the NHS App; orders repeat prescriptions on paper.',
        ],
      ],
      ownWords:
        'I will always look after her. But I need a few hours to myself sometimes, or I will not manage.',
      strengths: 'Devoted to his wife; a large family nearby who would help if asked; good with numbers.',
      barriers: 'Feels guilty asking for help; his wife is anxious with strangers.',
    },
    plan: {
      d: -28,
      mode: 'in_practice',
      where: 'Riverside Medical Centre, room 4',
      summary: 'A regular break, support as a carer, and the NHS App so that prescriptions are easier.',
      goals: [
        {
          text: 'Have one afternoon a week for myself',
          domain: 'caring',
          services: "Riverside Carers' Hub (carer's assessment, sitting service)",
          review: 4,
          actions: [
            ['Amira', "Refer to the Carers' Hub for a carer's assessment", -26, true],
            ['Imran', 'Ask his nephew about sitting with his wife on Fridays', -20, true],
          ],
        },
        {
          text: 'Order my prescriptions on the NHS App',
          domain: 'digital_inclusion',
          services: 'Millbrook Library digital drop-in (Mondays)',
          review: -1,
          status: 'achieved',
          actions: [
            ['Amira', 'Go through the NHS App log-in steps with Imran', -22, true],
            ['Imran', 'Order one prescription on the app', -12, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -22,
        mode: 'in_practice',
        mins: 30,
        where: 'Riverside Medical Centre, room 4',
        note: 'Set up the NHS App together; he logged in by himself the second time.',
      },
      {
        d: -14,
        mode: 'phone',
        mins: 15,
        note: "Carers' Hub assessment booked. His nephew now sits with his wife on Friday afternoons; Imran went to the mosque and for a walk.",
      },
      {
        d: -6,
        mode: 'in_practice',
        mins: 30,
        where: 'Riverside Medical Centre, room 4',
        note: "Ordered his repeat prescription on the app without help. Carer's assessment done; waiting to hear about the sitting service.",
      },
    ],
    bookings: [
      { d: 4, at: '13:30', mode: 'in_practice', mins: 30, where: 'Riverside Medical Centre, room 4' },
    ],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Rosa',
      family: 'Fernandes',
      dob: '1980-09-09',
      sex: 'female',
      ethnic: 'C',
      practice: 'bridge',
      postcode: 'XX1 1AB',
      address: ['Flat 2, 88 Dock Road', 'Riverside'],
      contactBy: 'text',
      times: 'School hours',
    },
    ref: {
      source: 'professional',
      d: -40,
      reasons: ['housing', 'money_debt_benefits'],
      context:
        'Mother of two; black mould in the flat and the children keep getting chesty coughs. Behind with the energy bills.',
    },
    lw: 'amira',
    first: {
      d: -36,
      mode: 'phone',
      mins: 15,
      note: 'Rosa wants help with the landlord and the bills. Available in school hours.',
    },
    wm: {
      d: -32,
      mode: 'home_visit',
      mins: 60,
      needs: [
        ['housing', 'high', 'Black mould in both bedrooms; the landlord has not acted on two reports.'],
        [
          'money_debt_benefits',
          'high',
          'About £600 behind on the energy account; a prepayment meter was fitted last month.',
        ],
      ],
      ownWords: 'I just want the children to sleep in a dry room, and to stop being scared of the post.',
      strengths: 'Organised, keeps photos and letters; a supportive neighbour.',
      barriers: 'Worried that complaining will get her evicted.',
    },
    plan: {
      d: -29,
      mode: 'home_visit',
      mins: 40,
      summary: 'Get the mould dealt with, and the energy debt on a plan Rosa can afford.',
      goals: [
        {
          text: 'Get the damp and mould in the flat fixed',
          domain: 'housing',
          services: 'Council private sector housing team; Citizens Advice Riverside (housing)',
          review: -2,
          actions: [
            ['Rosa', 'Write to the landlord again with photos (template from Amira)', -25, true],
            ['Amira', "Refer to the council's private sector housing team if no reply in 14 days", -14, true],
          ],
        },
        {
          text: 'Get help with the energy arrears',
          domain: 'money_debt_benefits',
          services: "Energy supplier's hardship fund; Riverside Community Action energy advice",
          review: 3,
          actions: [
            ['Amira', 'Book energy advice with Riverside Community Action', -26, true],
            ['Rosa', "Apply to the supplier's hardship fund", -18, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -24,
        mode: 'phone',
        mins: 15,
        note: 'Letter sent to the landlord. Energy advice appointment booked.',
      },
      {
        d: -17,
        mode: 'phone',
        note: 'Applied to the hardship fund with the energy adviser. No reply from the landlord.',
      },
      {
        d: -12,
        mode: 'home_visit',
        mins: 30,
        note: "The landlord has not replied. With Rosa's agreement, referred to the council's private sector housing team.",
      },
      {
        d: -4,
        mode: 'phone',
        mins: 15,
        note: 'Council inspection booked for next week. The hardship fund has cleared half of the arrears.',
      },
    ],
    bookings: [{ d: 5, at: '10:00', mode: 'phone', mins: 20 }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Mei Ling',
      family: 'Chen',
      dob: '1949-03-28',
      sex: 'female',
      ethnic: 'R',
      practice: 'millbrook',
      postcode: 'XX2 2AA',
      address: ['5 Orchard Way', 'Riverside'],
      interpreter: 'Cantonese',
    },
    ref: {
      source: 'professional',
      d: -70,
      reasons: ['loneliness', 'digital_inclusion'],
      context:
        'Widowed; her son and grandchildren live in Canada. Speaks some English; a Cantonese interpreter helps for longer conversations.',
    },
    lw: 'amira',
    first: {
      d: -64,
      mode: 'phone',
      mins: 20,
      present: 'Telephone interpreter (Cantonese)',
      note: 'Mei Ling welcomed the call. She would like to see her grandchildren more and to meet people who speak Cantonese.',
    },
    wm: {
      d: -58,
      mode: 'home_visit',
      mins: 60,
      present: 'Interpreter (Cantonese)',
      needs: [
        ['loneliness', 'high', 'Lives alone; most of her friends have moved away or died.'],
        ['digital_inclusion', 'high', 'Has a tablet from her son but does not know how to make video calls.'],
      ],
      ownWords: 'I want to see my grandchildren’s faces, not only hear them.',
      strengths: 'Active and walks every day; a keen cook.',
      barriers: 'Limited English in groups; the tablet feels complicated.',
    },
    plan: {
      d: -54,
      mode: 'home_visit',
      mins: 40,
      present: 'Interpreter (Cantonese)',
      summary: 'Video calls with her family, and a Cantonese-speaking group nearby.',
      goals: [
        {
          text: 'Video call my grandchildren in Vancouver every week',
          domain: 'digital_inclusion',
          services: 'Millbrook Library digital drop-in (Cantonese-speaking volunteer on Tuesdays)',
          review: -3,
          status: 'achieved',
          actions: [
            ['Amira', 'Ask the library about the Tuesday volunteer', -52, true],
            ['Mei Ling', 'Go to three digital sessions', -40, true],
          ],
        },
        {
          text: 'Find a Chinese community group near me',
          domain: 'loneliness',
          services: "Riverside Chinese Community Centre (elders' lunch, Fridays)",
          review: 6,
          actions: [
            ['Amira', "Phone the community centre about the elders' lunch", -50, true],
            ['Mei Ling', 'Go to the Friday lunch with her neighbour Mrs Lau', -30, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -47,
        mode: 'phone',
        mins: 15,
        note: 'Went to the library drop-in; the volunteer helped her open the video app.',
      },
      {
        d: -38,
        mode: 'home_visit',
        mins: 30,
        note: "Made her first video call to Vancouver on her own. Tried the Friday elders' lunch.",
      },
      {
        d: -24,
        mode: 'phone',
        mins: 15,
        note: 'Video calls every Sunday now. Going to the lunch most Fridays.',
      },
      {
        d: -10,
        mode: 'phone',
        mins: 15,
        note: 'Doing well. Talked about ending support soon; Mei Ling would like one more visit first.',
      },
    ],
    bookings: [
      { d: 3, at: '11:00', mode: 'home_visit', mins: 45, note: 'Review; likely discharge with goals met.' },
    ],
  },
  // Grace: awaiting first contact
  {
    pcn: 'riverside',
    who: {
      given: 'Ethan',
      family: 'Walker',
      dob: '2002-02-14',
      sex: 'male',
      ethnic: 'A',
      practice: 'rmc',
      postcode: 'XX1 2AB',
      address: ['31 Chapel Street', 'Riverside'],
      contactBy: 'text',
    },
    ref: {
      source: 'professional',
      d: -4,
      reasons: ['employment_education_volunteering', 'mental_wellbeing'],
      context:
        'Left college last year; not working and spends most of the day in his room. His parents are worried. He agreed to talk to someone.',
    },
    lw: 'grace',
  },
  // Grace: first contact made
  {
    pcn: 'riverside',
    who: {
      given: 'Aisha',
      family: 'Mohammed',
      dob: '1992-06-03',
      sex: 'female',
      ethnic: 'N',
      practice: 'bridge',
      postcode: 'XX1 1AA',
      address: ['Flat 9, Mercer House', 'Dock Road', 'Riverside'],
      contactBy: 'phone',
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -9,
      reasons: ['money_debt_benefits', 'housing', 'legal_immigration'],
      context:
        'We are a family of five in a one-bedroom flat. My husband is waiting for his visa decision and cannot work. I need advice and someone to talk to.',
    },
    lw: 'grace',
    first: {
      d: -4,
      mode: 'phone',
      mins: 25,
      note: 'Aisha accepted support. Main worries are overcrowding and money while her husband cannot work. Booked a video call for a longer conversation.',
    },
    bookings: [{ d: 1, at: '10:00', mode: 'video', mins: 60, note: 'What matters conversation.' }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Derek',
      family: 'Shaw',
      dob: '1954-10-20',
      sex: 'male',
      ethnic: 'A',
      practice: 'millbrook',
      postcode: 'XX2 1AA',
      address: ['12 Beech Road', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -14,
      reasons: ['physical_activity', 'long_term_condition', 'loneliness'],
      context:
        'Recovering after a heart attack and has finished cardiac rehab. Has lost confidence about exercise and rarely goes out.',
    },
    lw: 'grace',
    first: { d: -7, mode: 'phone', note: 'Derek is happy to talk. Prefers the phone; not keen on video.' },
    bookings: [{ d: 6, at: '11:30', mode: 'phone', mins: 45, note: 'What matters conversation.' }],
  },
  // Grace: planning
  {
    pcn: 'riverside',
    who: {
      given: 'Niamh',
      family: 'Gallagher',
      dob: '1988-01-25',
      sex: 'female',
      ethnic: 'B',
      practice: 'rmc',
      postcode: 'XX2 2AA',
      address: ['44 Victoria Terrace', 'Riverside'],
      email: 'niamh.g@example.com',
      contactBy: 'email',
      times: 'School hours',
    },
    ref: {
      source: 'professional',
      d: -21,
      reasons: ['caring', 'mental_wellbeing'],
      context:
        'Single parent of a son with autism who is out of school at the moment. Exhausted and low; no time for herself.',
    },
    lw: 'grace',
    first: {
      d: -16,
      mode: 'phone',
      mins: 20,
      note: 'Niamh would like support. Can only talk in school hours or when her son is settled; prefers video.',
    },
    wm: {
      d: -10,
      mode: 'video',
      mins: 50,
      needs: [
        [
          'caring',
          'high',
          'Her son (11) has been out of school for six weeks waiting for a new placement; she cannot work.',
        ],
        ['mental_wellbeing', 'high', 'Feels worn out and tearful; no time to herself.'],
        [
          'money_debt_benefits',
          'medium',
          "Has lost earnings; not sure whether she can claim Carer's Allowance.",
        ],
      ],
      ownWords: 'I love him to bits but I have lost myself. I need one thing that is just mine.',
      strengths: "Knows her son's needs inside out; a good friend nearby; used to run.",
      barriers: 'Cannot leave her son with most people; no family locally.',
    },
    bookings: [{ d: 3, at: '13:30', mode: 'video', mins: 45, note: 'Agree the support plan.' }],
  },
  // Grace: supporting
  {
    pcn: 'riverside',
    who: {
      given: 'Peter',
      family: 'Kowalczyk',
      dob: '1967-12-12',
      sex: 'male',
      ethnic: 'C',
      practice: 'bridge',
      postcode: 'XX1 2AA',
      address: ['60 Wharf Street', 'Riverside'],
      contactBy: 'phone',
    },
    ref: {
      source: 'professional',
      d: -66,
      reasons: ['employment_education_volunteering', 'money_debt_benefits', 'mental_wellbeing'],
      context:
        'Lorry driver; lost his licence on medical grounds for a year (now restored). Universal Credit payments keep changing. Low in mood.',
    },
    lw: 'grace',
    first: {
      d: -60,
      mode: 'phone',
      mins: 20,
      note: 'Peter accepted support. Sounds flat; said he has "had enough of forms".',
    },
    wm: {
      d: -55,
      mode: 'phone',
      mins: 50,
      needs: [
        [
          'employment_education_volunteering',
          'high',
          'Licence restored last month; wants to drive again but has a gap in his work history.',
        ],
        [
          'money_debt_benefits',
          'high',
          'Universal Credit payments vary month to month; two weeks behind with the rent.',
        ],
        ['mental_wellbeing', 'high', 'Feels hopeless at times; sleeping badly.'],
      ],
      ownWords: 'I just want to be back on the road and paying my own way.',
      strengths: 'Twenty years of driving experience with a clean record; his brother lives nearby.',
      barriers: 'Low mood; finds forms and the online journal hard.',
    },
    plan: {
      d: -50,
      mode: 'phone',
      mins: 40,
      summary: 'Work first, with his money sorted alongside. The GP is aware of his low mood.',
      goals: [
        {
          text: 'Get back to work driving',
          domain: 'employment_education_volunteering',
          services: "Jobcentre work coach; local haulage firms' recruitment days",
          review: 2,
          actions: [
            ['Grace', 'Send details of the haulage recruitment day', -45, true],
            ['Peter', 'Update his CV with his Jobcentre work coach', -40, true],
          ],
        },
        {
          text: 'Get my Universal Credit right so I can pay the rent',
          domain: 'money_debt_benefits',
          services: 'Citizens Advice Riverside (Help to Claim)',
          review: -4,
          status: 'achieved',
          actions: [
            ['Grace', 'Refer to Citizens Advice Help to Claim', -48, true],
            ['Peter', 'Take his payslips to the appointment', -41, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -44,
        at: '11:00',
        mode: 'phone',
        mins: 30,
        note: "Peter said he sometimes feels life is not worth the bother; he said he has no plans to harm himself. Followed the PCN's risk procedure (see flag).",
      },
      {
        d: -36,
        mode: 'phone',
        note: 'The GP has seen Peter and he has started NHS Talking Therapies. Citizens Advice found a mistake in his claim.',
      },
      {
        d: -26,
        mode: 'video',
        mins: 25,
        note: 'Went to the haulage recruitment day; second interview next week. Rent arrears cleared by the backdated payment.',
      },
      {
        d: -13,
        mode: 'phone',
        note: 'Started agency driving two days a week. He says his mood is much better.',
      },
      {
        d: -3,
        mode: 'phone',
        mins: 15,
        note: 'Offered more days by the agency. Talked about ending support in the next few weeks.',
      },
    ],
    bookings: [{ d: 8, at: '09:30', mode: 'phone', mins: 20 }],
    flag: {
      kind: 'risk',
      d: -44,
      at: '12:15',
      note: 'During a call Peter said he sometimes feels life is not worth the bother. He said he has no plans to harm himself. Followed the PCN risk procedure: told the duty GP straight away (the GP phoned him that afternoon) and gave him the Samaritans and local crisis line numbers. Ask how he is feeling at each contact.',
      resolved: {
        d: -20,
        note: 'Reviewed with Grace: Peter is seeing NHS Talking Therapies, is back at work and says he feels much better. No concerns at the last three contacts. The GP is aware.',
      },
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Janet',
      family: 'Holloway',
      dob: '1959-04-04',
      sex: 'female',
      ethnic: 'A',
      practice: 'millbrook',
      postcode: 'XX2 1AB',
      address: ['2 Beech Road', 'Riverside'],
      times: 'Mornings',
    },
    ref: {
      source: 'professional',
      d: -44,
      reasons: ['caring', 'mental_wellbeing'],
      context:
        "Cares for her husband, who has Parkinson's. Has given up her choir and sees no one. Tearful at her own appointment.",
    },
    lw: 'grace',
    first: {
      d: -40,
      mode: 'phone',
      mins: 20,
      note: 'Janet welcomed the call. Can talk in the mornings while her husband rests.',
    },
    wm: {
      d: -35,
      at: '10:00',
      mode: 'video',
      mins: 50,
      needs: [
        ['caring', 'high', "Cares for her husband around the clock; has not had a carer's assessment."],
        ['loneliness', 'medium', 'Gave up the community choir two years ago and misses her friends there.'],
      ],
      ownWords: 'I do not want to stop caring for him. I want to remember I am Janet as well.',
      strengths: 'Warm and practical; her daughter is willing to help on Wednesday evenings.',
      barriers: 'Worried about leaving her husband; little time.',
    },
    plan: {
      d: -31,
      at: '10:00',
      mode: 'video',
      summary: "A carer's assessment, and one evening a week back at choir.",
      goals: [
        {
          text: "Get a carer's assessment",
          domain: 'caring',
          services: "Riverside Carers' Hub; council adult social care",
          review: -2,
          actions: [
            ['Grace', "Refer to the Carers' Hub", -30, true],
            ['Janet', "Complete the carer's assessment call", -18, true],
          ],
        },
        {
          text: 'Go back to choir on Wednesday evenings',
          domain: 'loneliness',
          services: 'Riverside Sings community choir (Wednesdays, 7pm)',
          review: 10,
          actions: [
            ['Janet', 'Ask her daughter to sit with her husband on Wednesdays', -25, true],
            ['Janet', 'Email the choir leader', -24, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -25,
        at: '10:00',
        mode: 'phone',
        mins: 15,
        note: 'Her daughter agreed to Wednesdays. Janet has emailed the choir.',
      },
      {
        d: -16,
        at: '10:00',
        mode: 'video',
        mins: 25,
        note: 'Back at choir twice: "like coming home". Carer\'s assessment done; waiting for the outcome.',
      },
      {
        d: -6,
        at: '10:30',
        mode: 'phone',
        mins: 15,
        note: "The Carers' Hub has also offered a monthly carers' café. Janet sounds brighter.",
      },
    ],
    bookings: [{ d: 9, at: '10:30', mode: 'video', mins: 30 }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Kwame',
      family: 'Asante',
      dob: '1976-08-16',
      sex: 'male',
      ethnic: 'N',
      practice: 'rmc',
      postcode: 'XX1 1AB',
      address: ['19 Canal Row', 'Riverside'],
      times: 'After 1pm',
    },
    ref: {
      source: 'professional',
      d: -45,
      reasons: ['money_debt_benefits', 'food'],
      context:
        'Single father; his hours at work have been cut. Has used the food bank three times this winter.',
    },
    lw: 'grace',
    attempts: [
      {
        d: -40,
        at: '10:30',
        mode: 'phone',
        note: 'No answer; left a voicemail giving my name and the service only.',
      },
    ],
    first: {
      d: -33,
      at: '13:30',
      mode: 'phone',
      mins: 15,
      note: 'Kwame accepted. He works mornings, which is why my earlier call was missed; best to call after 1pm.',
    },
    wm: {
      d: -29,
      at: '14:00',
      mode: 'phone',
      mins: 45,
      needs: [
        ['money_debt_benefits', 'high', 'Hours cut from 37 to 24 a week; not claiming any top-up.'],
        ['food', 'high', 'Uses the food bank; worried about his son eating well.'],
      ],
      ownWords: 'I want to be able to feed my boy properly without asking for help.',
      strengths: 'A good cook; close to his son; reliable at work.',
      barriers: 'Pride about asking for help; his shifts change every week.',
    },
    plan: {
      d: -26,
      at: '14:00',
      mode: 'phone',
      summary: 'Check his income and benefits, and stretch the food budget.',
      goals: [
        {
          text: 'Stop needing the food bank by the spring',
          domain: 'money_debt_benefits',
          services:
            'Citizens Advice Riverside (benefits check); Riverside Food Pantry (£5 a week membership)',
          review: 6,
          actions: [
            ['Grace', 'Book a benefits check', -24, true],
            ['Kwame', 'Join the Riverside Food Pantry', -20, true],
          ],
        },
        {
          text: 'Cook cheap, healthy meals with my son',
          domain: 'food',
          services: 'Riverside Community Action "Cook and Eat" course (Saturdays)',
          review: 6,
          actions: [['Kwame', 'Sign up for the Saturday course with his son', -15, true]],
        },
      ],
    },
    visits: [
      {
        d: -20,
        at: '14:30',
        mode: 'phone',
        mins: 15,
        note: 'Benefits check done: he can claim Universal Credit as a top-up, and the claim is in.',
      },
      {
        d: -11,
        at: '13:30',
        mode: 'phone',
        mins: 15,
        note: 'Joined the pantry; no food bank this month. Started the cooking course with his son, who loved it.',
      },
    ],
    bookings: [{ d: 2, at: '13:30', mode: 'phone', mins: 20 }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Sunita',
      family: 'Patel',
      dob: '1965-05-19',
      sex: 'female',
      ethnic: 'H',
      practice: 'bridge',
      postcode: 'XX2 2AA',
      address: ['8 Laburnum Grove', 'Riverside'],
      access: 'Arthritis in both knees; needs step-free venues.',
    },
    ref: {
      source: 'professional',
      d: -58,
      reasons: ['long_term_condition', 'physical_activity', 'loneliness'],
      context:
        'Rheumatoid arthritis; rarely goes out since giving up work. Would like to be more active within her limits.',
    },
    lw: 'grace',
    first: { d: -53, mode: 'phone', note: 'Sunita is keen. Prefers video calls and can manage the laptop.' },
    wm: {
      d: -48,
      mode: 'video',
      mins: 45,
      needs: [
        ['physical_activity', 'high', 'Stiff and sore; has stopped walking far; wants gentle exercise.'],
        ['loneliness', 'medium', 'Misses her colleagues since retiring on health grounds.'],
        [
          'long_term_condition',
          'medium',
          'Parking close to shops and venues is the main barrier to getting out.',
        ],
      ],
      ownWords: 'I am not ready to sit at home for the rest of my life.',
      strengths: 'Determined; a supportive husband; drives short distances.',
      barriers: 'Pain on bad days; the distance from car parks to venues.',
    },
    plan: {
      d: -44,
      mode: 'video',
      summary: 'Gentle exercise, a blue badge, and a group to belong to.',
      goals: [
        {
          text: 'Try a chair-based exercise class',
          domain: 'physical_activity',
          services: 'Riverside Leisure Centre gentle movement class (Tuesdays)',
          review: -1,
          actions: [
            ['Grace', 'Send the class timetable', -43, true],
            ['Sunita', 'Try two classes', -30, true],
          ],
        },
        {
          text: 'Get a blue badge so I can go out more',
          domain: 'long_term_condition',
          services: 'Council blue badge team',
          review: 4,
          status: 'achieved',
          actions: [['Sunita', 'Apply online with Grace on a video call', -38, true]],
        },
        {
          text: 'Join a group where I can chat with other women',
          domain: 'loneliness',
          services: "Riverside Asian women's group (Thursday mornings)",
          review: 12,
          actions: [['Grace', 'Ask the group about step-free access', -30, true]],
        },
      ],
    },
    visits: [
      { d: -38, mode: 'video', mins: 30, note: 'Completed the blue badge application together on the call.' },
      {
        d: -29,
        mode: 'phone',
        mins: 15,
        note: 'Tried the chair exercise class twice; sore afterwards but enjoyed it.',
      },
      {
        d: -19,
        mode: 'video',
        mins: 20,
        note: "Blue badge arrived. Went to the women's group for the first time.",
      },
      {
        d: -8,
        mode: 'phone',
        mins: 15,
        note: 'Going to the class weekly. Would like to try the warm-water session too.',
      },
    ],
    bookings: [{ d: 5, at: '11:00', mode: 'video', mins: 30 }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Callum',
      family: 'Fraser',
      dob: '1999-09-30',
      sex: 'male',
      ethnic: 'A',
      practice: 'millbrook',
      postcode: 'XX2 1AB',
      address: ['Flat 4, 17 Station Road', 'Riverside'],
      contactBy: 'text',
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -35,
      reasons: ['mental_wellbeing', 'employment_education_volunteering', 'loneliness'],
      context:
        'I have been out of work for a year and I have lost my routine. I would like to do something outdoors and meet people.',
    },
    lw: 'grace',
    first: {
      d: -31,
      mode: 'phone',
      mins: 15,
      note: 'Callum wants to get going. Prefers texts and short calls.',
    },
    wm: {
      d: -26,
      mode: 'video',
      mins: 40,
      needs: [
        [
          'employment_education_volunteering',
          'medium',
          'Would like to volunteer first, then work; interested in outdoor work.',
        ],
        ['mental_wellbeing', 'high', 'Days run into each other; up late and asleep in the day.'],
        ['loneliness', 'medium', 'Has lost touch with friends from school.'],
      ],
      ownWords: 'I need a reason to get up in the morning.',
      strengths: 'Fit, likes being outside, good with his hands.',
      barriers: 'Confidence; no bike or car.',
    },
    plan: {
      d: -22,
      mode: 'video',
      summary: 'A volunteering routine outdoors, two mornings a week.',
      goals: [
        {
          text: 'Volunteer somewhere outdoors two mornings a week',
          domain: 'employment_education_volunteering',
          services: 'Millbrook community allotment; canal towpath conservation volunteers',
          review: 2,
          actions: [
            ['Grace', 'Introduce Callum to the allotment coordinator by email', -20, true],
            ['Callum', 'Go to the Tuesday and Thursday allotment sessions', -10, true],
          ],
        },
        {
          text: 'Have a routine for the week',
          domain: 'mental_wellbeing',
          review: 9,
          actions: [['Callum', 'Set an alarm for allotment days', -18, true]],
        },
      ],
    },
    visits: [
      { d: -15, mode: 'phone', mins: 10, note: 'First allotment session: he enjoyed it and was asked back.' },
      {
        d: -5,
        mode: 'video',
        mins: 20,
        note: 'Going twice a week and getting up on time on those days. Asked about a conservation skills course.',
      },
    ],
    bookings: [{ d: 7, at: '12:00', mode: 'phone', mins: 15 }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Zainab',
      family: 'Ali',
      dob: '1985-12-22',
      sex: 'female',
      ethnic: 'J',
      practice: 'rmc',
      postcode: 'XX1 2AB',
      address: ['15 Foundry Walk', 'Riverside'],
      interpreter: 'Urdu',
    },
    ref: {
      source: 'professional',
      d: -46,
      reasons: ['employment_education_volunteering', 'digital_inclusion'],
      context:
        'Wants to improve her English and find work now her children are at school. Has not used a computer before.',
    },
    lw: 'grace',
    first: {
      d: -42,
      mode: 'phone',
      mins: 20,
      present: 'Telephone interpreter (Urdu)',
      note: 'Zainab is keen. Spoke through a telephone interpreter.',
    },
    wm: {
      d: -37,
      mode: 'video',
      mins: 45,
      present: 'Interpreter (Urdu)',
      needs: [
        [
          'employment_education_volunteering',
          'high',
          'Wants a job in a school kitchen or a shop, in school hours.',
        ],
        ['digital_inclusion', 'high', 'Has never used a computer; needs one for job applications.'],
      ],
      ownWords: 'I want my own money, and to speak for myself at the doctor and at school.',
      strengths: 'Hard-working; has run a household budget for years; cooks for large events at the mosque.',
      barriers: 'English; childcare after 3pm.',
    },
    plan: {
      d: -34,
      mode: 'video',
      present: 'Interpreter (Urdu)',
      summary: 'English and computer skills first, then job applications.',
      goals: [
        {
          text: 'Do an English course with computer lessons',
          domain: 'digital_inclusion',
          services: 'Riverside Adult Learning: English with digital skills (Monday and Wednesday mornings)',
          review: 3,
          actions: [
            ['Grace', 'Help Zainab enrol by phone', -32, true],
            ['Zainab', 'Go to the Monday and Wednesday classes', null, false],
          ],
        },
        {
          text: 'Apply for jobs in a school kitchen',
          domain: 'employment_education_volunteering',
          services: 'Council school catering recruitment; online food hygiene course',
          review: 15,
          actions: [['Zainab', 'Complete the food hygiene certificate', 8, false]],
        },
      ],
    },
    visits: [
      {
        d: -28,
        mode: 'phone',
        mins: 15,
        present: 'Telephone interpreter (Urdu)',
        note: 'Enrolled on the English course; starts next week.',
      },
      {
        d: -14,
        mode: 'phone',
        mins: 15,
        present: 'Telephone interpreter (Urdu)',
        note: 'Enjoying the course and used a computer for the first time. Started the food hygiene course at the library.',
      },
    ],
    bookings: [{ d: 4, at: '10:00', mode: 'video', mins: 30, note: 'Telephone interpreter (Urdu) booked.' }],
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Brian',
      family: 'Cooper',
      dob: '1947-06-11',
      sex: 'male',
      ethnic: 'A',
      practice: 'bridge',
      postcode: 'XX2 1AA',
      address: ['27 Beech Road', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -52,
      reasons: ['bereavement', 'loneliness'],
      context:
        'His partner of thirty years, Michael, died in the summer. Has stopped going to his bowls club.',
    },
    lw: 'grace',
    first: {
      d: -48,
      mode: 'phone',
      mins: 20,
      note: 'Brian appreciated the call and talked about Michael for a while. Agreed to regular calls.',
    },
    wm: {
      d: -43,
      mode: 'phone',
      mins: 50,
      needs: [
        ['bereavement', 'high', 'Grieving for Michael; evenings and Sundays are the worst.'],
        ['loneliness', 'high', 'Stopped going to bowls because they always went together.'],
      ],
      ownWords: 'Michael would want me back on the green. I just cannot face walking in on my own.',
      strengths: 'Sociable, with many friends at the bowls club; keeps well.',
      barriers: 'Grief; the club holds a lot of memories.',
    },
    plan: {
      d: -39,
      mode: 'phone',
      summary: 'Support with grief and a gradual return to bowls.',
      goals: [
        {
          text: 'Get back to the bowls club',
          domain: 'loneliness',
          services: 'Riverside Bowls Club (his friend Ken has offered to go with him)',
          review: -2,
          actions: [['Brian', 'Call Ken to arrange going together', -34, true]],
        },
        {
          text: 'Talk to someone about losing Michael',
          domain: 'bereavement',
          services: 'Bereavement support service; Riverside LGBT+ over-50s social',
          review: 7,
          actions: [
            ['Grace', 'Send details of bereavement support', -38, true],
            ['Brian', 'Call to book a first session', -30, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -33,
        mode: 'phone',
        mins: 20,
        note: 'Brian went to the club with Ken: hard, but he is glad he did.',
      },
      {
        d: -21,
        mode: 'phone',
        mins: 20,
        note: 'Started bereavement support sessions. Playing bowls weekly.',
      },
      { d: -9, mode: 'phone', mins: 15, note: 'Tried the over-50s social group. Sundays are still hard.' },
    ],
    bookings: [{ d: 3, at: '15:00', mode: 'phone', mins: 20 }],
  },
  // Awaiting triage (the probable duplicate of Kathleen Doyle, discharged earlier in the year, is the first)
  {
    pcn: 'riverside',
    who: {
      given: 'Kathleen',
      family: 'Doyle',
      dob: '1956-09-14',
      sex: 'female',
      ethnic: 'B',
      practice: null,
      postcode: 'XX1 2AA',
      address: ['Flat 1, 5 Tannery Close', 'Riverside'],
      contactBy: 'phone',
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -1,
      at: '19:42',
      reasons: ['bereavement', 'loneliness'],
      context:
        'I had help from a link worker earlier this year and it made a big difference. I have moved to a smaller flat and my sister has gone into a care home, and I am struggling again.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Liam',
      family: "O'Connor",
      dob: '1993-03-03',
      sex: 'male',
      ethnic: 'B',
      practice: 'millbrook',
      postcode: 'XX2 1AB',
      address: ['11 Station Road', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -2,
      reasons: ['money_debt_benefits', 'mental_wellbeing'],
      context:
        'Has stopped gambling with help from a support group but is struggling with the repayments and feels very low about it.',
    },
  },
  // Discharged
  {
    pcn: 'riverside',
    who: {
      given: 'Kathleen',
      family: 'Doyle',
      dob: '1956-09-14',
      sex: 'female',
      ethnic: 'B',
      practice: 'rmc',
      postcode: 'XX2 1AB',
      address: ['22 Station Road', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -84,
      reasons: ['loneliness', 'physical_activity'],
      context:
        'Recently retired; lives alone and says she has lost her sense of purpose. Would like to be more active.',
    },
    lw: 'amira',
    first: {
      d: -80,
      mode: 'phone',
      note: 'Kathleen is keen to get started. Booked a meeting at the practice.',
    },
    wm: {
      d: -76,
      mode: 'in_practice',
      mins: 45,
      needs: [
        ['loneliness', 'high', 'Misses the people at work; weekends feel empty.'],
        ['physical_activity', 'medium', 'Wants to walk more and feel fitter.'],
      ],
      ownWords: 'I want a reason to get dressed in the morning.',
      strengths: 'Sociable and organised; a retired school administrator.',
      barriers: 'Shy in new groups at first.',
    },
    plan: {
      d: -73,
      mode: 'in_practice',
      summary: 'Walking and volunteering.',
      goals: [
        {
          text: 'Join the walking group and go every week',
          domain: 'physical_activity',
          services: 'Riverside Walking for Health (Wednesdays)',
          status: 'achieved',
          actions: [['Kathleen', 'Go to the Wednesday walk', -68, true]],
        },
        {
          text: 'Volunteer two mornings a week',
          domain: 'employment_education_volunteering',
          services: 'Riverside Community Action volunteer centre',
          status: 'achieved',
          actions: [
            ['Amira', 'Introduce Kathleen to the volunteer centre', -70, true],
            ['Kathleen', 'Start at the charity shop', -55, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -66,
        mode: 'phone',
        mins: 15,
        note: 'Walked with the group twice; has an interview at the volunteer centre.',
      },
      {
        d: -56,
        mode: 'in_practice',
        mins: 30,
        note: 'Started at the charity shop on Tuesday and Friday mornings. Walking every week.',
      },
      {
        d: -46,
        mode: 'phone',
        mins: 15,
        note: 'Kathleen feels ready to carry on by herself. Agreed to close.',
      },
    ],
    discharge: {
      d: -44,
      reason: 'goals_met',
      summary:
        'Kathleen walks weekly with the group and volunteers two mornings a week at the Riverside Community Action charity shop. Both goals met; she feels ready to carry on without support and knows how to come back.',
      offered:
        'Six contacts over seven weeks: a "what matters to me" conversation, a support plan with two goals, and introductions to Walking for Health and the Riverside Community Action volunteer centre.',
      outcome:
        'Goals met. Walking weekly and volunteering two mornings a week; she says she has "a reason to get up" again.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Winston',
      family: 'Campbell',
      dob: '1946-01-29',
      sex: 'male',
      ethnic: 'M',
      practice: 'bridge',
      postcode: 'XX1 1AA',
      address: ['30 Canal Row', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -82,
      reasons: ['money_debt_benefits', 'loneliness'],
      context: 'Struggling to heat his flat; sees few people during the week.',
    },
    lw: 'grace',
    first: { d: -78, mode: 'phone', note: 'Winston accepted support. Does not like long phone calls.' },
    wm: {
      d: -74,
      mode: 'phone',
      mins: 40,
      needs: [
        ['money_debt_benefits', 'high', 'Not claiming Pension Credit; struggles with heating costs.'],
        ['loneliness', 'medium', 'Sees his church friends on Sundays only.'],
      ],
      ownWords: 'I would like to be warm, and to have somewhere to go in the week.',
      strengths: 'A strong church community; good-humoured.',
      barriers: 'No internet; does not like the phone for long.',
    },
    plan: {
      d: -71,
      mode: 'phone',
      mins: 25,
      summary: 'Claim what he is entitled to, and find a weekday club.',
      goals: [
        {
          text: 'Claim the Pension Credit I am entitled to',
          domain: 'money_debt_benefits',
          services: 'Citizens Advice Riverside (benefits check)',
          status: 'achieved',
          actions: [['Grace', 'Book a home benefits check with Citizens Advice', -69, true]],
        },
        {
          text: 'Go to the Tuesday dominoes club at the community centre',
          domain: 'loneliness',
          services: 'Canal Side Community Centre dominoes club (Tuesdays)',
          status: 'achieved',
          actions: [['Winston', 'Go along with his neighbour Errol', -60, true]],
        },
      ],
    },
    visits: [
      {
        d: -60,
        mode: 'phone',
        mins: 15,
        note: 'Pension Credit claim made with Citizens Advice. Went to dominoes with Errol.',
      },
      { d: -45, mode: 'phone', mins: 15, note: 'Pension Credit awarded. Going to dominoes every week.' },
      { d: -32, mode: 'phone', mins: 10, note: 'All going well; Winston happy to close.' },
    ],
    discharge: {
      d: -30,
      reason: 'goals_met',
      summary:
        'Winston now receives Pension Credit, which has also brought the Warm Home Discount, and goes to the dominoes club every Tuesday. Goals met.',
      offered:
        'Six phone contacts over ten weeks: a benefits check through Citizens Advice Riverside (Pension Credit claim) and an introduction to the Tuesday dominoes club at Canal Side Community Centre.',
      outcome:
        'Goals met. Pension Credit awarded; he goes to the dominoes club every week and says the flat is warmer.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Sarah',
      family: 'Mitchell',
      dob: '1973-07-07',
      sex: 'female',
      ethnic: 'A',
      practice: 'millbrook',
      postcode: 'XX2 1AA',
      address: ['9 Beech Road', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -75,
      reasons: ['money_debt_benefits', 'mental_wellbeing'],
      context: 'Debts across cards and loans; not opening her post. Very worried.',
    },
    lw: 'amira',
    first: { d: -71, mode: 'phone', mins: 20, note: 'Sarah accepted and was relieved someone called.' },
    wm: {
      d: -66,
      mode: 'in_practice',
      mins: 50,
      needs: [
        [
          'money_debt_benefits',
          'high',
          'Around £14,000 of debt across cards and loans; letters from bailiffs.',
        ],
        ['mental_wellbeing', 'high', 'Constant worry; has stopped opening her post.'],
      ],
      ownWords: 'I cannot see a way out.',
      strengths: 'Works full time; a supportive sister.',
      barriers: 'Ashamed of the debt.',
    },
    plan: {
      d: -63,
      mode: 'in_practice',
      summary: 'Specialist debt advice with a warm handover.',
      goals: [
        {
          text: 'Get specialist debt advice and a plan I can stick to',
          domain: 'money_debt_benefits',
          services: 'Citizens Advice Riverside debt casework',
          status: 'achieved',
          actions: [
            ['Amira', 'Make a warm handover to the debt caseworker', -61, true],
            ['Sarah', 'Bring all her letters to the first appointment', -58, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -58,
        mode: 'phone',
        mins: 15,
        note: 'First debt appointment done; Sarah opened all her post with the caseworker.',
      },
      {
        d: -50,
        mode: 'phone',
        mins: 15,
        note: 'Her debt caseworker is applying for a debt relief order. Sarah does not need more from us and agreed to close.',
      },
    ],
    discharge: {
      d: -48,
      reason: 'referred_on',
      summary:
        'Sarah is now supported by a specialist debt caseworker at Citizens Advice Riverside, who will see her through a debt relief order. She does not need further link worker support.',
      offered:
        'Five contacts: a "what matters to me" conversation, a support plan, and a warm handover to Citizens Advice Riverside debt casework.',
      outcome:
        'Referred on to specialist debt advice. Creditors are on hold while her caseworker applies for a debt relief order; Sarah says she is opening her post again.',
      gp: 'Sarah has been low in mood because of the debt; she would welcome a check on how she is at her next appointment.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Jordan',
      family: 'Hughes',
      dob: '1994-04-12',
      sex: 'male',
      ethnic: 'A',
      practice: 'rmc',
      postcode: 'XX1 2AB',
      address: ['Flat 3, 44 Chapel Street', 'Riverside'],
      contactBy: 'text',
    },
    ref: {
      source: 'professional',
      d: -60,
      reasons: ['mental_wellbeing', 'physical_activity'],
      context: 'Low motivation since a knee injury stopped his football. Would like to get fit again.',
    },
    lw: 'grace',
    first: { d: -55, mode: 'phone', mins: 15, note: 'Jordan agreed to try the service; quiet on the phone.' },
    wm: {
      d: -50,
      mode: 'video',
      mins: 30,
      needs: [
        ['physical_activity', 'medium', 'Wants to get back to the gym now his knee has healed.'],
        ['mental_wellbeing', 'medium', 'Low motivation; spends a lot of time in his room.'],
      ],
      ownWords: 'I just want to feel like myself again.',
      strengths: 'Used to play football twice a week; friends from the team still message him.',
      barriers: 'Motivation; money for a gym membership.',
    },
    bookings: [{ d: -40, mode: 'video', status: 'did_not_attend', note: 'Did not join the video call.' }],
    attempts: [
      { d: -38, mode: 'text_or_email', note: 'Texted to offer a new time; no reply.' },
      { d: -31, mode: 'phone', note: 'No answer; left a voicemail.' },
      { d: -25, mode: 'phone', note: 'No answer. Third attempt since the missed appointment.' },
    ],
    discharge: {
      d: -22,
      reason: 'disengaged_or_unable_to_contact',
      summary:
        'After a first call and a "what matters to me" conversation, Jordan missed his next appointment and did not reply to three attempts by text and phone. Discharged in line with the PCN\'s policy; he can be referred again or refer himself at any time.',
      offered:
        'First contact and a "what matters to me" conversation by video; options for the gym-based exercise referral scheme discussed.',
      outcome: 'Disengaged: no contact after the second session despite three attempts.',
      gp: 'Jordan was low in motivation when last seen; you may wish to check in at his next appointment.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Patricia',
      family: 'Moore',
      dob: '1962-11-30',
      sex: 'female',
      ethnic: 'A',
      practice: 'bridge',
      postcode: 'XX2 2AA',
      address: ['3 Laburnum Grove', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -45,
      reasons: ['loneliness', 'physical_activity'],
      context: 'Recently separated and living alone; would like to meet people and be more active.',
    },
    lw: 'amira',
    first: { d: -41, mode: 'phone', note: 'Patricia accepted support.' },
    wm: {
      d: -37,
      mode: 'in_practice',
      mins: 45,
      needs: [
        ['loneliness', 'medium', 'Evenings and weekends alone since the separation.'],
        ['physical_activity', 'medium', 'Would like to swim again.'],
      ],
      ownWords: 'I need to build a life of my own now.',
      strengths: 'Outgoing; a good friend nearby; used to swim.',
      barriers: 'Confidence after the separation.',
    },
    visits: [
      {
        d: -30,
        mode: 'phone',
        mins: 10,
        note: 'Patricia has been offered a job at the garden centre starting next week and feels she no longer needs support.',
      },
    ],
    discharge: {
      d: -29,
      reason: 'declined',
      summary:
        'Patricia decided she no longer wanted support after being offered a new job, which she expects to meet her need for company and activity.',
      offered:
        'First contact and a "what matters to me" conversation; information on swimming sessions and local clubs.',
      outcome: 'Declined further support after starting a new job; she knows how to come back.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Albert',
      family: 'Singh',
      dob: '1934-08-01',
      sex: 'male',
      ethnic: 'H',
      practice: 'millbrook',
      postcode: 'XX2 2AA',
      address: ['14 Laburnum Grove', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -70,
      reasons: ['loneliness', 'arts_culture_nature'],
      context: 'Frail and housebound; misses his faith community. His wife Harjit cares for him.',
    },
    lw: 'grace',
    first: {
      d: -66,
      mode: 'phone',
      mins: 20,
      present: 'Wife (Harjit)',
      note: 'Spoke with Albert and his wife Harjit together. They would welcome support.',
    },
    wm: {
      d: -61,
      mode: 'video',
      mins: 40,
      present: 'Wife (Harjit) and grandson',
      needs: [
        ['loneliness', 'high', 'Housebound; misses the gurdwara community.'],
        ['arts_culture_nature', 'medium', 'Misses hearing the kirtan (devotional music) at the gurdwara.'],
      ],
      ownWords: 'I would like visitors, and to hear the kirtan again.',
      strengths: 'A close family and a strong faith community.',
      barriers: 'Frailty; cannot travel.',
    },
    plan: {
      d: -58,
      mode: 'video',
      present: 'Wife (Harjit) and grandson',
      summary: 'Visitors from the gurdwara and the services at home.',
      goals: [
        {
          text: 'Have a visitor from the gurdwara each week',
          domain: 'loneliness',
          services: 'Gurdwara visiting team (sewa volunteers)',
          status: 'achieved',
          actions: [['Grace', 'Contact the gurdwara visiting team', -57, true]],
        },
        {
          text: 'Hear the kirtan live from home',
          domain: 'arts_culture_nature',
          services: "The gurdwara's live stream, set up on the television by his grandson",
          status: 'achieved',
          actions: [['Grandson (Jas)', "Set up the gurdwara's live stream on the television", -52, true]],
        },
      ],
    },
    visits: [
      {
        d: -50,
        mode: 'phone',
        mins: 15,
        present: 'Wife (Harjit)',
        note: 'Weekly visits have started and the stream works.',
      },
      {
        d: -38,
        mode: 'phone',
        mins: 15,
        present: 'Wife (Harjit)',
        note: 'Albert enjoys the visits; Harjit says he is frailer.',
      },
    ],
    discharge: {
      d: -27,
      reason: 'died',
      summary:
        'Harjit let us know that Albert died peacefully at home last week. In his last weeks he had weekly visitors from the gurdwara and listened to the services at home.',
      offered:
        'Five contacts: a "what matters to me" conversation, a connection to the gurdwara visiting team, and help for his grandson to set up the live stream of services.',
      outcome:
        'Albert died at home. His family said the weekly visitors and hearing the services meant a great deal to him.',
      gp: 'Harjit (his wife, also registered with you) may welcome bereavement support; she has been given details and knows she can be referred to us.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Hannah',
      family: 'Lewis',
      dob: '1991-05-15',
      sex: 'female',
      ethnic: 'A',
      practice: 'rmc',
      postcode: 'XX1 1AB',
      address: ['Flat 8, Mercer House', 'Dock Road', 'Riverside'],
      contactBy: 'text',
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -40,
      reasons: ['mental_wellbeing', 'loneliness'],
      context: 'I had a baby four months ago and I feel very alone. My family are far away.',
    },
    lw: 'grace',
    first: {
      d: -36,
      mode: 'phone',
      mins: 20,
      note: 'Hannah would like support. Mentioned that her health visitor is also in touch.',
    },
    wm: {
      d: -31,
      mode: 'video',
      mins: 40,
      needs: [
        ['loneliness', 'high', 'A new mum with no family nearby; her partner works away.'],
        ['mental_wellbeing', 'medium', 'Feels flat and tired.'],
      ],
      ownWords: 'I want to meet other mums so the days are not so long.',
      strengths: 'Her partner is supportive when home; she is good at finding things out.',
      barriers: 'Getting out with the baby; tiredness.',
    },
    visits: [
      {
        d: -24,
        mode: 'phone',
        mins: 15,
        note: "Hannah has joined the health visitor's new parents' group and has been offered the practice's health and wellbeing coach; she would rather have one person supporting her.",
      },
    ],
    discharge: {
      d: -23,
      reason: 'other',
      summary:
        "Hannah chose to continue with the practice's health and wellbeing coach, who also runs the new parents' group she has joined, rather than have two workers. Discharged with her agreement.",
      offered:
        'First contact and a "what matters to me" conversation by video; information on baby and toddler groups and the new parents\' group.',
      outcome:
        "Now supported by the practice's health and wellbeing coach, by her choice. Going to the new parents' group every week.",
      gp: 'Hannah mentioned feeling flat and tired; her health visitor is aware.',
    },
  },
  // Closed at triage, or by the person at first contact
  {
    pcn: 'riverside',
    who: {
      given: 'Marcus',
      family: 'Bell',
      dob: '1981-02-02',
      sex: 'male',
      ethnic: 'D',
      practice: 'bridge',
      postcode: 'XX1 2AA',
      address: ['6 Tannery Close', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -30,
      reasons: ['mental_wellbeing', 'housing'],
      context:
        'Very low, not sleeping and not eating properly; in temporary accommodation after a relationship breakdown.',
    },
    triage: {
      declined: 'needs_clinical_service',
      note: 'Declined for now: the referral describes needs that call for a clinical assessment first. Phoned Bridge Street Surgery the same day; the GP will arrange an urgent mental health review. Happy to take a new referral for housing and practical support when Marcus is ready.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Ivy',
      family: 'Chambers',
      dob: '1931-10-10',
      sex: 'female',
      ethnic: 'A',
      practice: 'rmc',
      postcode: 'XX2 2AA',
      address: ['Orchard House Care Home', 'Orchard Way', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -20,
      reasons: ['loneliness', 'arts_culture_nature'],
      context: 'Lives at Orchard House care home; would like to get to church on Sundays.',
    },
    triage: {
      declined: 'not_appropriate',
      note: "Not one for the link worker service: Orchard House has an activities coordinator who can arrange church visits with the church's visiting scheme. Spoke to the home's manager, who will arrange it, and let Dr Jones know.",
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Ravi',
      family: 'Sharma',
      dob: '1971-03-16',
      sex: 'male',
      ethnic: 'H',
      practice: 'millbrook',
      postcode: 'XX2 1AA',
      address: ['40 Beech Road', 'Riverside'],
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -12,
      reasons: ['long_term_condition'],
      context: 'I need help applying for a blue badge.',
    },
    triage: {
      signposted:
        "Signposted: Ravi needs help with a blue badge application only. Sent him the council's online form and the Riverside Community Action form-filling drop-in times (Mondays 10 to 12). Told him he can come back to us for anything else.",
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Ellie',
      family: 'Watson',
      dob: '2004-08-08',
      sex: 'female',
      ethnic: 'A',
      practice: 'rmc',
      postcode: 'XX1 2AB',
      address: ['21 Foundry Walk', 'Riverside'],
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -8,
      reasons: ['employment_education_volunteering'],
      context: 'I am taking a year out before university and want to volunteer with animals or outdoors.',
    },
    triage: {
      signposted:
        'Signposted to the Riverside Community Action volunteer centre (online listings and Thursday drop-in), which can match her with animal and outdoor projects. No other needs described.',
    },
  },
  {
    pcn: 'riverside',
    who: {
      given: 'Paul',
      family: 'Davies',
      dob: '1963-12-03',
      sex: 'male',
      ethnic: 'A',
      practice: 'rmc',
      postcode: 'XX1 1AA',
      address: ['55 Canal Row', 'Riverside'],
    },
    ref: {
      source: 'professional',
      d: -27,
      reasons: ['physical_activity', 'loneliness'],
      context: 'Retired early; his wife is worried he sits at home all day.',
    },
    lw: 'amira',
    first: {
      d: -22,
      mode: 'phone',
      mins: 10,
      declines: true,
      note: 'Paul said he agreed to the referral because his wife asked him to and does not want support at the moment. Respected his decision and gave him the service number in case he changes his mind.',
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Moorland Rural PCN: Tom Bennett, mostly home visits and the two practices; long distances, few buses.
// ---------------------------------------------------------------------------------------------------------------

const moorland: Story[] = [
  {
    pcn: 'moorland',
    who: {
      given: 'Shirley',
      family: 'Barker',
      dob: '1942-04-26',
      sex: 'female',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AA',
      address: ['Rose Cottage', 'Back Lane', 'Moorland Village'],
      access: 'Partially sighted: large-print letters, or phone.',
    },
    ref: {
      source: 'professional',
      d: -2,
      at: '11:20',
      triaged: -2,
      urgent: true,
      reasons: ['food', 'loneliness'],
      context:
        'Partially sighted; the neighbour who did her shopping has moved away. Says she is managing, but the practice nurse found little food in the house.',
    },
    lw: 'tom',
    attempts: [
      {
        d: -1,
        at: '10:00',
        mode: 'phone',
        note: 'No answer at 10am. Will try again this afternoon and tomorrow morning.',
      },
    ],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Craig',
      family: 'Whitaker',
      dob: '1978-10-06',
      sex: 'male',
      ethnic: 'A',
      practice: 'hilltop',
      postcode: 'XX3 2AA',
      address: ['4 Quarry Cottages', 'Hilltop'],
      contactBy: 'text',
      times: 'Works shifts at the quarry: evenings are best',
    },
    ref: {
      source: 'professional',
      d: -16,
      reasons: ['money_debt_benefits', 'mental_wellbeing'],
      context: 'Money worries since his divorce; says he is drinking more than he would like.',
    },
    lw: 'tom',
    attempts: [
      { d: -10, at: '16:30', mode: 'phone', note: 'No answer; he works shifts. Left a voicemail.' },
      {
        d: -4,
        at: '12:00',
        mode: 'text_or_email',
        note: 'Texted asking for a good time to call and offering an evening slot.',
      },
    ],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Anna',
      family: 'Kovács',
      dob: '1990-07-12',
      sex: 'female',
      ethnic: 'C',
      practice: 'village',
      postcode: 'XX3 1AB',
      address: ['2 Low Moor Farm Cottages', 'Moorland Village'],
      email: 'anna.kovacs@example.com',
      contactBy: 'email',
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -5,
      reasons: ['loneliness', 'employment_education_volunteering'],
      context:
        "We moved here from Budapest for my husband's farm job. I do not know anyone and there is no bus. I was a nurse at home and would like to work.",
    },
    lw: 'tom',
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Robert',
      family: 'Ashworth',
      dob: '1951-02-08',
      sex: 'male',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AA',
      address: ['Beck Side', 'Moorland Village'],
    },
    ref: {
      source: 'professional',
      d: -11,
      reasons: ['loneliness', 'physical_activity'],
      context: 'Gave up driving as his eyesight worsened; used to walk the fells. Says he feels stuck.',
    },
    lw: 'tom',
    first: { d: -6, mode: 'phone', note: 'Robert (Bob) would like support and asked for a home visit.' },
    bookings: [{ d: 2, at: '10:30', mode: 'home_visit', mins: 60, note: 'What matters conversation.' }],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Siân',
      family: 'Morgan',
      dob: '1982-09-18',
      sex: 'female',
      ethnic: 'A',
      practice: 'hilltop',
      postcode: 'XX3 2AA',
      address: ['The Old Forge', 'Church Lane', 'Hilltop'],
      contactBy: 'phone',
    },
    ref: {
      source: 'professional',
      d: -13,
      reasons: ['caring', 'mental_wellbeing'],
      context: 'Caring for her dad, who has dementia, and two teenagers. Exhausted and stressed.',
    },
    lw: 'tom',
    first: {
      d: -8,
      mode: 'phone',
      mins: 20,
      note: 'Siân accepted; would rather meet at the surgery than at home.',
    },
    bookings: [{ d: 5, at: '09:30', mode: 'in_practice', mins: 60, where: 'Hilltop Surgery, room 1' }],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Frank',
      family: 'Lister',
      dob: '1945-12-30',
      sex: 'male',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AB',
      address: ['6 The Green', 'Moorland Village'],
      access: 'Wears hearing aids.',
    },
    ref: {
      source: 'professional',
      d: -24,
      reasons: ['loneliness', 'physical_activity', 'digital_inclusion'],
      context: 'Widower and keen woodworker; his wife died last year. Spends most days in the house.',
    },
    lw: 'tom',
    first: { d: -19, mode: 'phone', note: 'Frank agreed to a visit, "as long as it is not bingo".' },
    wm: {
      d: -12,
      mode: 'home_visit',
      mins: 60,
      needs: [
        ['loneliness', 'high', 'Sees nobody from one week to the next except at the shop.'],
        ['physical_activity', 'medium', 'Stiff knees; used to walk the dog every day until the dog died.'],
        ['digital_inclusion', 'low', 'Would like to email his son in Australia.'],
      ],
      ownWords: 'I have still got good hands. I would like to be useful to somebody.',
      strengths: 'A skilled carpenter; friendly; drives locally.',
      barriers: 'Grief; does not like "organised fun".',
    },
    bookings: [
      {
        d: 4,
        at: '14:00',
        mode: 'home_visit',
        mins: 45,
        note: "Agree the plan; bring the Men's Shed leaflet.",
      },
    ],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Priti',
      family: 'Chauhan',
      dob: '1971-06-14',
      sex: 'female',
      ethnic: 'H',
      practice: 'hilltop',
      postcode: 'XX3 2AA',
      address: ['Hilltop Stores', 'Main Street', 'Hilltop'],
      times: 'Between 2pm and 3pm, when the shop is quiet',
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -26,
      reasons: ['mental_wellbeing', 'money_debt_benefits'],
      context:
        'I have run the village shop alone since my husband became ill. I work seven days a week and I am exhausted and worried about money.',
    },
    lw: 'tom',
    first: {
      d: -21,
      at: '14:15',
      mode: 'phone',
      mins: 20,
      note: 'Priti accepted. Can only talk when the shop is quiet, between 2 and 3.',
    },
    wm: {
      d: -15,
      at: '14:00',
      mode: 'phone',
      mins: 45,
      needs: [
        ['mental_wellbeing', 'high', 'Works seven days; no time off in a year; feels exhausted.'],
        ['money_debt_benefits', 'high', 'Shop takings down while energy bills and business rates rise.'],
        ['caring', 'medium', 'Her husband had a stroke and needs help at home.'],
      ],
      ownWords: 'I want one day off a week without losing the shop.',
      strengths: 'Knows everyone in the village; business-minded; a supportive daughter at university.',
      barriers: 'Cannot leave the shop; proud.',
    },
    bookings: [{ d: 7, at: '14:30', mode: 'phone', mins: 30, note: 'Agree the plan.' }],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Alan',
      family: 'Fenwick',
      dob: '1955-11-05',
      sex: 'male',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AA',
      address: ['Low Moor Farm', 'Moor Road', 'Moorland Village'],
    },
    ref: {
      source: 'professional',
      d: -65,
      reasons: ['loneliness', 'money_debt_benefits', 'food'],
      context:
        'Lives alone on a remote farm; stopped farming after a back injury. Looks thinner and is struggling with the cost of heating oil.',
    },
    lw: 'tom',
    first: {
      d: -60,
      mode: 'phone',
      mins: 15,
      note: 'Alan agreed to a visit "as long as it is not charity".',
    },
    wm: {
      d: -56,
      at: '10:30',
      mode: 'home_visit',
      mins: 75,
      needs: [
        ['money_debt_benefits', 'high', 'Heating oil tank nearly empty; not claiming any benefits.'],
        ['food', 'high', 'Not eating properly; nine miles to the nearest supermarket and no car at present.'],
        ['loneliness', 'high', 'Sees nobody most weeks since he gave up the farm.'],
      ],
      ownWords: 'I have looked after myself all my life. I just need to get through this winter.',
      strengths: 'Practical and independent; a skilled mechanic.',
      barriers: 'Remote; no car; proud about accepting help.',
    },
    plan: {
      d: -52,
      mode: 'home_visit',
      mins: 40,
      summary: "Warm and fed through the winter first; then the Men's Shed.",
      goals: [
        {
          text: 'Keep warm and fed this winter',
          domain: 'money_debt_benefits',
          services:
            'Council household support fund; Moorland Food Share deliveries; Citizens Advice (benefits check by phone)',
          review: -1,
          actions: [
            ['Tom', 'Apply to the household support fund for heating oil', -50, true],
            ['Tom', 'Arrange Moorland Food Share deliveries', -49, true],
            ['Alan', 'Phone Citizens Advice for a benefits check', -40, true],
          ],
        },
        {
          text: "Get to the Men's Shed on Wednesdays",
          domain: 'loneliness',
          services: "Moorland Men's Shed; Moorland Community Transport",
          review: 6,
          actions: [
            ['Tom', 'Book community transport for Wednesdays', -30, true],
            ['Alan', 'Go to the Shed three times', null, false],
          ],
        },
      ],
    },
    visits: [
      {
        d: -48,
        mode: 'phone',
        mins: 15,
        note: 'The household support fund paid for 500 litres of oil. The first food delivery has arrived.',
      },
      {
        d: -38,
        mode: 'home_visit',
        mins: 40,
        note: 'Citizens Advice think he can claim Universal Credit because of his back; claim started.',
      },
      { d: -28, mode: 'phone', mins: 15, note: 'Community transport booked for Wednesdays.' },
      {
        d: -18,
        mode: 'home_visit',
        mins: 30,
        note: "Has been to the Men's Shed twice and is fixing a lawnmower for the village hall.",
      },
      {
        d: -6,
        mode: 'phone',
        mins: 15,
        note: 'Oil running low again; applied for a second payment. Still going to the Shed.',
      },
    ],
    bookings: [{ d: 3, at: '11:00', mode: 'home_visit', mins: 45 }],
    flag: {
      kind: 'risk',
      d: -56,
      at: '13:00',
      note: 'Lives alone on a remote farm with no car. At the first visit the heating oil was nearly gone and there was little food in the house. With his consent, told the practice and arranged emergency oil and food deliveries. Check heating and food at every contact through the winter; if he does not answer two calls, ask the village warden to call round.',
    },
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Jean',
      family: 'Halliwell',
      dob: '1938-05-05',
      sex: 'female',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AB',
      address: ['Fell View', 'Moorland Village'],
    },
    ref: {
      source: 'professional',
      d: -57,
      reasons: ['loneliness', 'long_term_condition'],
      context: 'Two falls this year; her daughter lives in London. Anxious about going out.',
    },
    lw: 'tom',
    first: {
      d: -53,
      mode: 'phone',
      present: 'Daughter (Claire), on the line from London',
      note: 'Jean accepted support; Claire joined the call.',
    },
    wm: {
      d: -49,
      mode: 'home_visit',
      mins: 60,
      needs: [
        ['loneliness', 'high', 'Used to go to the village lunch club but stopped after the falls.'],
        ['long_term_condition', 'medium', 'Frightened of falling again when alone at home.'],
      ],
      ownWords: 'I want to get back to my friends at the lunch club without being frightened.',
      strengths: 'Has lived in the village for sixty years; many friends; sharp as a tack.',
      barriers: 'Fear of falling; the lunch club is up a hill.',
    },
    plan: {
      d: -45,
      mode: 'home_visit',
      summary: 'Feel safe at home, and get back to the lunch club with a lift.',
      goals: [
        {
          text: 'Get back to the village lunch club',
          domain: 'loneliness',
          services: 'Moorland Village Hall lunch club (Tuesdays); volunteer driver scheme',
          review: 2,
          actions: [['Tom', 'Arrange a volunteer driver for Tuesdays', -42, true]],
        },
        {
          text: 'Have a pendant alarm so I feel safe at home',
          domain: 'long_term_condition',
          services: 'Council community alarm service',
          review: -20,
          status: 'achieved',
          actions: [['Tom', "Refer to the community alarm service with Jean's consent", -44, true]],
        },
      ],
    },
    visits: [
      { d: -40, mode: 'phone', mins: 15, note: 'Alarm fitted; Jean feels safer.' },
      {
        d: -30,
        mode: 'home_visit',
        mins: 30,
        note: 'Went to the lunch club with the volunteer driver; a friend had saved her a seat.',
      },
      { d: -16, mode: 'phone', mins: 10, note: 'Going every week now.' },
      { d: -4, mode: 'phone', mins: 10, note: 'Still going weekly. Talked about ending support.' },
    ],
    bookings: [
      { d: 8, at: '10:00', mode: 'home_visit', mins: 30, note: 'Review; likely discharge with goals met.' },
    ],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Matthew',
      family: 'Kerr',
      dob: '1987-03-21',
      sex: 'male',
      ethnic: 'A',
      practice: 'hilltop',
      postcode: 'XX3 2AA',
      address: ['Top Farm', 'Hilltop'],
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -42,
      at: '21:15',
      reasons: ['mental_wellbeing', 'money_debt_benefits'],
      context:
        'I farm with my dad. It has been a bad year, I am worried about the farm and I do not sleep. I do not want to talk to the doctor about it.',
    },
    lw: 'tom',
    first: {
      d: -38,
      mode: 'phone',
      mins: 20,
      note: 'Matthew wants to talk but is worried about anyone in the village knowing. Agreed to meet at Hilltop Surgery at the end of the day.',
    },
    wm: {
      d: -34,
      at: '17:00',
      mode: 'in_practice',
      mins: 60,
      needs: [
        ['mental_wellbeing', 'high', 'Worn down by worry about the farm; working all hours.'],
        ['money_debt_benefits', 'high', 'Farm income down; the overdraft is at its limit.'],
      ],
      ownWords: 'I need someone to talk to who gets farming, and a bit of time off.',
      strengths: 'Hard-working; close to his partner; knows other young farmers.',
      barriers: 'Worried about people knowing; no time off.',
    },
    plan: {
      d: -30,
      at: '17:00',
      mode: 'in_practice',
      summary: 'Someone who understands farming, time off, and advice on the farm finances.',
      goals: [
        {
          text: 'Talk to someone who understands farming',
          domain: 'mental_wellbeing',
          services: "Farming support charity (helpline and farm visits); Young Farmers' social evenings",
          review: -2,
          actions: [
            ['Tom', 'Give Matthew details of the farming support charity', -30, true],
            ['Matthew', 'Call the helpline', -25, true],
          ],
        },
        {
          text: 'Take one afternoon off a week',
          domain: 'mental_wellbeing',
          review: 6,
          actions: [['Matthew', 'Agree Sunday afternoons off with his dad', -20, true]],
        },
        {
          text: "Get advice on the farm's finances",
          domain: 'money_debt_benefits',
          services: 'Farm business adviser (free through the farming charity)',
          review: 10,
          actions: [['Matthew', 'Book the farm business adviser', -10, false]],
        },
      ],
    },
    visits: [
      {
        d: -24,
        at: '18:00',
        mode: 'phone',
        mins: 20,
        note: 'Called the farming charity; a volunteer who farms nearby will visit.',
      },
      {
        d: -14,
        at: '17:00',
        mode: 'in_practice',
        mins: 30,
        note: 'Taking most Sunday afternoons off. Has not booked the business adviser yet; will do it this week.',
      },
    ],
    bookings: [{ d: 1, at: '17:00', mode: 'in_practice', mins: 30, where: 'Hilltop Surgery, room 1' }],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Leanne',
      family: 'Foster',
      dob: '1995-01-09',
      sex: 'female',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AB',
      address: ['12 Moorside Close', 'Moorland Village'],
      contactBy: 'text',
    },
    ref: {
      source: 'professional',
      d: -36,
      reasons: ['employment_education_volunteering', 'money_debt_benefits'],
      context:
        'Single mum of a toddler; wants to work but there is no childcare nearby and she cannot drive.',
    },
    lw: 'tom',
    first: { d: -31, mode: 'phone', mins: 15, note: 'Leanne is keen. Texts are best to arrange things.' },
    wm: {
      d: -27,
      mode: 'home_visit',
      mins: 45,
      needs: [
        ['employment_education_volunteering', 'high', 'Wants part-time work; she was a care assistant.'],
        ['money_debt_benefits', 'medium', 'Not sure what help with childcare costs Universal Credit gives.'],
      ],
      ownWords: 'I want to work and be a good example for her.',
      strengths: 'Experienced in care work; determined; her mum helps one day a week.',
      barriers: 'No car and two buses a day; no nursery in the village.',
    },
    plan: {
      d: -23,
      mode: 'home_visit',
      summary: 'Driving, childcare, then work.',
      goals: [
        {
          text: 'Pass my driving theory test',
          domain: 'employment_education_volunteering',
          services: 'Moorland Community Learning (theory test course)',
          review: 5,
          actions: [['Leanne', 'Book the theory test', -10, true]],
        },
        {
          text: 'Find childcare so I can work',
          domain: 'money_debt_benefits',
          services: 'Council family information service; Universal Credit childcare costs',
          review: -1,
          actions: [
            ['Tom', 'Ask the family information service about childminders', -20, true],
            ['Leanne', 'Visit the childminder in Hilltop', -12, true],
          ],
        },
      ],
    },
    visits: [
      {
        d: -18,
        mode: 'phone',
        mins: 15,
        note: 'Two childminders have spaces; Leanne will visit the one in Hilltop.',
      },
      {
        d: -8,
        mode: 'phone',
        mins: 15,
        note: 'Theory test booked for next month. The childminder in Hilltop has a place two days a week.',
      },
    ],
    bookings: [
      {
        d: -13,
        mode: 'phone',
        status: 'did_not_attend',
        note: 'No answer at the booked time; Leanne texted later that her daughter was poorly.',
      },
      { d: 6, at: '13:00', mode: 'phone', mins: 20 },
    ],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Gurpreet',
      family: 'Kaur',
      dob: '1962-02-27',
      sex: 'female',
      ethnic: 'H',
      practice: 'hilltop',
      postcode: 'XX3 2AA',
      address: ['2 Church Lane', 'Hilltop'],
    },
    ref: {
      source: 'professional',
      d: -55,
      reasons: ['loneliness', 'physical_activity'],
      context:
        'Moved to Hilltop to be near her son after her husband died; misses her community in the city. Would like to be more active.',
    },
    lw: 'tom',
    first: { d: -46, mode: 'phone', note: 'Gurpreet would like support; happy for a home visit.' },
    wm: {
      d: -42,
      mode: 'home_visit',
      mins: 50,
      needs: [
        ['loneliness', 'high', 'Misses the gurdwara and her friends in the city; her son works long hours.'],
        ['physical_activity', 'medium', 'Wants to walk more but is nervous on the fell paths alone.'],
      ],
      ownWords: 'I want friends here, and to go to the gurdwara on Sundays.',
      strengths: 'Warm; loves cooking for people; walks well on the flat.',
      barriers: 'No car; only two buses a day to town.',
    },
    plan: {
      d: -38,
      mode: 'home_visit',
      summary: 'Transport to the gurdwara, and company for walking.',
      goals: [
        {
          text: 'Go to the gurdwara in town on Sundays',
          domain: 'loneliness',
          services: 'Moorland Community Transport (Sunday bookings)',
          review: 9,
          actions: [['Tom', 'Register Gurpreet with community transport', -36, true]],
        },
        {
          text: 'Join the short walks with the ramblers',
          domain: 'physical_activity',
          services: 'Moorland Ramblers "Easy Strolls" (Thursdays, two miles)',
          review: -3,
          actions: [['Gurpreet', 'Go on the Thursday stroll', -28, true]],
        },
      ],
    },
    visits: [
      {
        d: -33,
        mode: 'phone',
        mins: 15,
        note: 'Registered with community transport; first Sunday trip booked.',
      },
      {
        d: -22,
        mode: 'phone',
        mins: 15,
        note: 'Went to the gurdwara twice and on one stroll. Made a friend, Margaret.',
      },
      {
        d: -9,
        mode: 'home_visit',
        mins: 30,
        note: 'Walking on Thursdays with Margaret. Has offered to cook for the village hall lunch.',
      },
    ],
    bookings: [{ d: 10, at: '11:00', mode: 'phone', mins: 20 }],
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Edward',
      family: 'Thornton',
      dob: '1957-08-24',
      sex: 'male',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AA',
      address: ['The Barn', 'Moor Road', 'Moorland Village'],
    },
    ref: {
      source: 'professional',
      d: -30,
      reasons: ['caring', 'digital_inclusion'],
      context: 'Cares for his wife, who has MS. Would like online shopping set up and a break.',
    },
    lw: 'tom',
    first: {
      d: -26,
      mode: 'phone',
      note: 'Edward accepted; asked for a visit at home so his wife can join.',
    },
    wm: {
      d: -21,
      mode: 'home_visit',
      mins: 50,
      present: 'Wife (Ruth)',
      needs: [
        ['caring', 'high', "No break in two years; his wife's needs are growing."],
        ['digital_inclusion', 'medium', 'Drives twenty miles for shopping; would like deliveries instead.'],
      ],
      ownWords: 'If the shopping came to us I would have a few hours back every week.',
      strengths: 'Organised; close to his wife; handy with tools.',
      barriers: 'Poor broadband; unsure with computers.',
    },
    plan: {
      d: -17,
      mode: 'home_visit',
      present: 'Wife (Ruth)',
      summary: 'Online shopping first, then regular time off.',
      goals: [
        {
          text: 'Get the weekly shop delivered',
          domain: 'digital_inclusion',
          services: 'Moorland Village Hall digital buddy (Fridays)',
          review: 5,
          actions: [
            ['Tom', 'Book a digital buddy session', -15, true],
            ['Edward', 'Set up a supermarket account with the buddy', -8, true],
          ],
        },
        {
          text: 'Have a few hours off each week',
          domain: 'caring',
          services: "Carers' Hub (Moorland outreach); council carer's assessment",
          review: 8,
          actions: [['Tom', "Refer to the Carers' Hub", -16, true]],
        },
      ],
    },
    visits: [
      {
        d: -9,
        mode: 'phone',
        mins: 15,
        note: "First online shop arrived. Carers' Hub will call him next week.",
      },
    ],
    bookings: [{ d: 4, at: '14:30', mode: 'home_visit', mins: 45 }],
  },
  // Awaiting triage
  {
    pcn: 'moorland',
    who: {
      given: 'Marjorie',
      family: 'Fielding',
      dob: '1936-01-19',
      sex: 'female',
      ethnic: 'A',
      practice: 'hilltop',
      postcode: 'XX3 2AA',
      address: ['Ivy Cottage', 'Church Lane', 'Hilltop'],
    },
    ref: {
      source: 'professional',
      d: -3,
      reasons: ['loneliness', 'arts_culture_nature'],
      context:
        'A retired piano teacher; lives alone since her husband moved into a nursing home. Would like to play music with other people.',
    },
  },
  // Discharged
  {
    pcn: 'moorland',
    who: {
      given: 'Tony',
      family: 'Rigby',
      dob: '1958-03-08',
      sex: 'male',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AB',
      address: ['3 Moorside Close', 'Moorland Village'],
    },
    ref: {
      source: 'professional',
      d: -80,
      reasons: ['physical_activity', 'loneliness', 'long_term_condition'],
      context:
        'Told at his health check that he is at risk of diabetes; retired early and misses his workmates.',
    },
    lw: 'tom',
    first: { d: -76, mode: 'phone', note: 'Tony keen to get going.' },
    wm: {
      d: -72,
      mode: 'home_visit',
      mins: 45,
      needs: [
        ['physical_activity', 'high', 'Wants to lose weight and get fitter.'],
        ['loneliness', 'medium', 'Misses the people from work.'],
      ],
      ownWords: 'I want to be around to see my grandchildren grow up.',
      strengths: 'Motivated; good company; handy.',
      barriers: 'Not used to exercise.',
    },
    plan: {
      d: -69,
      mode: 'home_visit',
      summary: 'Walking and the Men’s Shed.',
      goals: [
        {
          text: 'Walk with the Moorland Ramblers every week',
          domain: 'physical_activity',
          services: 'Moorland Ramblers (Saturday walks)',
          status: 'achieved',
          actions: [['Tony', 'Go on a Saturday walk', -65, true]],
        },
        {
          text: "Join the Men's Shed",
          domain: 'loneliness',
          services: "Moorland Men's Shed (Wednesdays)",
          status: 'achieved',
          actions: [['Tom', 'Introduce Tony to the Shed coordinator', -66, true]],
        },
      ],
    },
    visits: [
      { d: -60, mode: 'phone', mins: 15, note: 'Two walks done; first visit to the Shed.' },
      {
        d: -50,
        mode: 'phone',
        mins: 15,
        note: 'Walking every Saturday. Helping to build benches at the Shed.',
      },
      { d: -40, mode: 'phone', mins: 10, note: 'Tony feels settled and happy to close.' },
    ],
    discharge: {
      d: -38,
      reason: 'goals_met',
      summary: "Tony walks with the Ramblers every week and goes to the Men's Shed on Wednesdays. Goals met.",
      offered:
        'Six contacts: a "what matters to me" conversation, a support plan, and introductions to the Moorland Ramblers and Moorland Men\'s Shed.',
      outcome:
        "Goals met. Walks every Saturday and goes to the Men's Shed weekly; says he has lost half a stone and feels fitter.",
    },
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Lucy',
      family: 'Brennan',
      dob: '1985-06-30',
      sex: 'female',
      ethnic: 'B',
      practice: 'hilltop',
      postcode: 'XX3 2AA',
      address: ['1 Church Lane Cottages', 'Hilltop'],
    },
    ref: {
      source: 'professional',
      d: -55,
      reasons: ['loneliness', 'mental_wellbeing'],
      context: 'Recently separated; her family are in Scotland. Feeling very isolated.',
    },
    lw: 'tom',
    first: { d: -50, mode: 'phone', note: 'Lucy accepted support.' },
    wm: {
      d: -45,
      mode: 'phone',
      mins: 40,
      needs: [
        ['loneliness', 'high', 'Isolated since the separation; her family are in Glasgow.'],
        ['mental_wellbeing', 'medium', 'Low and unsettled.'],
      ],
      ownWords: 'I need my people around me.',
      strengths: 'Close to her family; works from home.',
      barriers: 'No friends locally.',
    },
    visits: [
      {
        d: -35,
        mode: 'phone',
        mins: 15,
        note: 'Lucy has decided to move back to Glasgow next month to be near her family.',
      },
    ],
    discharge: {
      d: -25,
      reason: 'moved_away',
      summary:
        'Lucy has moved to Glasgow to be near her family. Gave her details of social prescribing in her new area and a copy of her "what matters" notes to share if she wishes.',
      offered:
        'Three phone contacts: a "what matters to me" conversation, information about local groups, and help finding social prescribing in Glasgow.',
      outcome:
        'Moved away: now living near her family in Glasgow, which she feels will help more than anything.',
    },
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Keith',
      family: 'Marsden',
      dob: '1960-10-15',
      sex: 'male',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AA',
      address: ['5 Mill Row', 'Moorland Village'],
    },
    ref: {
      source: 'professional',
      d: -68,
      reasons: ['substance_use', 'loneliness', 'money_debt_benefits'],
      context: 'Drinking daily since he was made redundant; wants to cut down. Lives alone.',
    },
    lw: 'tom',
    first: { d: -63, mode: 'phone', note: 'Keith wants help and agreed to a home visit.' },
    wm: {
      d: -58,
      mode: 'home_visit',
      mins: 50,
      needs: [
        ['substance_use', 'high', 'Drinking most of the day; wants to stop but has tried before on his own.'],
        ['loneliness', 'medium', 'Lost touch with people since leaving work.'],
        ['money_debt_benefits', 'medium', 'His redundancy money is nearly gone.'],
      ],
      ownWords: 'I want to stop before it stops me.',
      strengths: 'Honest about the drinking; a brother who is supportive.',
      barriers: 'Has tried alone before; no transport to town.',
    },
    plan: {
      d: -55,
      mode: 'home_visit',
      summary: 'Specialist help with the drinking, and his money sorted.',
      goals: [
        {
          text: 'Get proper help to stop drinking',
          domain: 'substance_use',
          services: 'Moorland Recovery Service (drug and alcohol)',
          status: 'achieved',
          actions: [
            ['Tom', 'Refer to the recovery service with Keith', -54, true],
            ['Tom', 'Go with Keith to his first assessment', -42, true],
          ],
        },
        {
          text: 'Get a benefits check',
          domain: 'money_debt_benefits',
          services: 'Citizens Advice (phone appointment)',
          status: 'achieved',
          actions: [['Keith', 'Call Citizens Advice', -50, true]],
        },
      ],
    },
    visits: [
      {
        d: -50,
        mode: 'phone',
        mins: 15,
        note: 'Recovery service assessment booked; Universal Credit claim started.',
      },
      {
        d: -42,
        mode: 'community_venue',
        mins: 60,
        where: 'Moorland Recovery Service, Market Street',
        note: 'Went with Keith to his assessment. He has a key worker and starts the weekly group.',
      },
      { d: -35, mode: 'phone', mins: 15, note: 'Keith has a peer mentor too. Agreed we can step back.' },
    ],
    discharge: {
      d: -33,
      reason: 'referred_on',
      summary:
        'Keith is now supported by a key worker at the Moorland Recovery Service, with a peer mentor and a weekly group. His benefits are sorted. He and his key worker agreed the link worker service could step back.',
      offered:
        'Six contacts: a "what matters to me" conversation, a support plan, a referral to the Moorland Recovery Service (Tom went with him to the first appointment) and a benefits check.',
      outcome: 'Referred on to the Moorland Recovery Service; going weekly. Universal Credit in payment.',
      gp: 'Keith has agreed that the recovery service can share updates with the practice.',
    },
  },
  // Closed at triage, or by the person
  {
    pcn: 'moorland',
    who: {
      given: 'Philip',
      family: 'Raine',
      dob: '1966-07-29',
      sex: 'male',
      ethnic: 'A',
      practice: null,
      postcode: 'XX3 1AB',
      address: ['Beck Cottage', 'Moorland Village'],
    },
    ref: {
      source: 'professional',
      d: -18,
      reasons: ['employment_education_volunteering'],
      context: 'Looking for work after moving; asked about volunteering.',
    },
    triage: {
      declined: 'other',
      note: 'Declined: Philip has moved into town and registered with a practice outside Moorland Rural PCN. Passed the referral to that PCN’s social prescribing service with his consent and told him who will call.',
    },
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Carol',
      family: 'Ingham',
      dob: '1954-04-17',
      sex: 'female',
      ethnic: 'A',
      practice: 'hilltop',
      postcode: 'XX3 2AA',
      address: ['Holly Bank', 'Church Lane', 'Hilltop'],
      nhs: false,
    },
    ref: {
      source: 'self',
      d: -9,
      reasons: ['arts_culture_nature'],
      context: 'Newly retired; I would like a gardening or art group nearby.',
    },
    triage: {
      signposted:
        'Signposted: Carol would like a local group and has no other needs. Sent details of the Hilltop Gardening Club and the Moorland Art Society, and told her she can come back to us if anything changes.',
    },
  },
  {
    pcn: 'moorland',
    who: {
      given: 'Stuart',
      family: 'Lomax',
      dob: '1968-09-01',
      sex: 'male',
      ethnic: 'A',
      practice: 'village',
      postcode: 'XX3 1AA',
      address: ['Moor End', 'Moorland Village'],
    },
    ref: {
      source: 'professional',
      d: -20,
      reasons: ['loneliness', 'physical_activity'],
      context: 'Lives alone; his GP suggested a walking group.',
    },
    lw: 'tom',
    first: {
      d: -14,
      mode: 'phone',
      mins: 10,
      declines: true,
      note: 'Stuart thanked me but said he is "not a joiner" and is content as he is. He did not want an appointment. Left him the service number.',
    },
  },
];

const stories: Story[] = [...riverside, ...moorland];

// ---------------------------------------------------------------------------------------------------------------
// Building the rows
// ---------------------------------------------------------------------------------------------------------------

/** A tiny seeded PRNG (mulberry32), so the demo is the same every time it is seeded. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
const dayNumber = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
const isoOfDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
// Day 0 (1970-01-01) was a Thursday: 0 = Monday … 6 = Sunday.
const weekday = (n: number) => (((n + 3) % 7) + 7) % 7;
const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Working-day offsets from the seeding day, turned into dates and instants in England. */
class DemoCalendar {
  private readonly today: number;
  constructor(now: Date) {
    this.today = dayNumber(londonDate(now));
  }

  /** The date `offset` working days from today: negative before, positive ahead. */
  date(offset: number): string {
    let n = this.today;
    let counted = 0;
    const step = Math.sign(offset);
    while (counted < Math.abs(offset)) {
      n += step;
      if (weekday(n) < 5) counted++;
    }
    return isoOfDay(n);
  }

  /** The instant of a wall-clock time in England on that working day. */
  at(offset: number, hhmm: string): Date {
    const guess = Date.parse(`${this.date(offset)}T${hhmm}:00Z`);
    const [h, m] = londonClock.format(new Date(guess)).split(':').map(Number);
    const [wantH, wantM] = hhmm.split(':').map(Number);
    const offsetMinutes = (h! * 60 + m! - (wantH! * 60 + wantM!) + 1440) % 1440;
    return new Date(guess - offsetMinutes * 60_000);
  }
}

/** NHS numbers in the 999 test range, valid under modulus 11, never a real person's. */
function testNhsNumbers(): () => string {
  let serial = 100_000;
  return () => {
    for (;;) {
      serial += 7;
      const first9 = `999${String(serial).padStart(6, '0')}`;
      let sum = 0;
      for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (10 - i);
      const check = 11 - (sum % 11);
      if (check === 10) continue;
      const nhs = `${first9}${check === 11 ? 0 : check}`;
      if (isValidNhsNumber(nhs)) return nhs;
    }
  };
}

type Stage =
  | 'awaiting_triage'
  | 'awaiting_first_contact'
  | 'what_matters'
  | 'planning'
  | 'supporting'
  | 'discharged'
  | 'declined'
  | 'signposted'
  | 'declined_by_person';

export interface PathwayDemoSummary {
  people: number;
  byPcn: Record<string, Partial<Record<Stage, number>>>;
  openByLinkWorker: Record<string, number>;
}

function stageOf(s: Story): Stage {
  if (s.triage) return 'signposted' in s.triage ? 'signposted' : 'declined';
  if (!s.lw) return 'awaiting_triage';
  if (s.first?.declines) return 'declined_by_person';
  if (s.discharge) return 'discharged';
  if (!s.first) return 'awaiting_first_contact';
  if (!s.wm) return 'what_matters';
  if (!s.plan) return 'planning';
  return 'supporting';
}

/**
 * Adds the demo caseload to the two demo PCNs seeded by seedDemo, in the same transaction: people, referrals at
 * every stage, allocations, contacts and attempts, coded events, appointments, "what matters" conversations,
 * support plans with goals and progress, flags, discharges with their message back, and the PCN settings.
 */
export async function seedPathwayDemo(tx: Db, now: Date): Promise<PathwayDemoSummary> {
  const random = mulberry32(20_261_126);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const calendar = new DemoCalendar(now);
  const nextNhsNumber = testNhsNumbers();

  // What seedDemo made: the organisations by ODS code, the staff by email, and its referrals.
  const orgRows = await tx
    .select({ id: organisations.id, ods: organisations.odsCode })
    .from(organisations)
    .where(inArray(organisations.odsCode, [...Object.values(pcnOds), ...Object.values(practiceOds)]));
  const orgId = (ods: string) => {
    const row = orgRows.find((o) => o.ods === ods);
    if (!row) throw new Error(`The demo organisation ${ods} is missing`);
    return row.id;
  };
  const staffRows = await tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, Object.values(staffEmails)));
  const staff = (key: keyof typeof staffEmails) => {
    const row = staffRows.find((u) => u.email === staffEmails[key]);
    if (!row) throw new Error(`The demo user ${staffEmails[key]} is missing`);
    return row.id;
  };
  const lead = staff('lead');
  const pcnIds = (Object.keys(pcnOds) as Pcn[]).map((p) => orgId(pcnOds[p]));

  const [accepted] = await tx
    .select()
    .from(codedConcepts)
    .where(eq(codedConcepts.purpose, 'social_prescribing_accepted'))
    .orderBy(desc(codedConcepts.version))
    .limit(1);
  const [declined] = await tx
    .select()
    .from(codedConcepts)
    .where(eq(codedConcepts.purpose, 'social_prescribing_declined'))
    .orderBy(desc(codedConcepts.version))
    .limit(1);
  if (!accepted || !declined) throw new Error('The social prescribing codes are missing from coded_concepts');

  const knownDomains = new Set(
    (await tx.select({ code: needsDomains.code }).from(needsDomains)).map((r) => r.code),
  );
  const place = new Map(
    (
      await tx
        .select({
          postcode: postcodes.postcode,
          lsoaCode: postcodes.lsoaCode,
          imdDecile: lsoaDeprivation.imdDecile,
        })
        .from(postcodes)
        .leftJoin(lsoaDeprivation, eq(lsoaDeprivation.lsoaCode, postcodes.lsoaCode))
        .where(inArray(postcodes.postcode, [...new Set(stories.map((s) => postcodeKey(s.who.postcode)))]))
    ).map((r) => [r.postcode, r]),
  );

  const rows = {
    people: [] as (typeof people.$inferInsert)[],
    referrals: [] as (typeof referrals.$inferInsert)[],
    allocations: [] as (typeof allocations.$inferInsert)[],
    contacts: [] as (typeof contacts.$inferInsert)[],
    codedEvents: [] as (typeof codedEvents.$inferInsert)[],
    appointments: [] as (typeof appointments.$inferInsert)[],
    whatMatters: [] as (typeof whatMattersConversations.$inferInsert)[],
    plans: [] as (typeof supportPlans.$inferInsert)[],
    planVersions: [] as (typeof supportPlanVersions.$inferInsert)[],
    goals: [] as (typeof goals.$inferInsert)[],
    progress: [] as (typeof goalProgress.$inferInsert)[],
    flags: [] as (typeof personFlags.$inferInsert)[],
    discharges: [] as (typeof discharges.$inferInsert)[],
  };

  // The allocations seedDemo's accepted referrals were made with (the migration that adds the history ran first).
  const earlier = await tx
    .select()
    .from(referrals)
    .where(and(inArray(referrals.organisationId, pcnIds), isNotNull(referrals.allocatedLinkWorkerId)));
  for (const r of earlier) {
    rows.allocations.push({
      id: newId(),
      organisationId: r.organisationId,
      referralId: r.id,
      fromLinkWorkerId: null,
      toLinkWorkerId: r.allocatedLinkWorkerId!,
      reason: 'Allocated at triage',
      allocatedBy: r.triagedBy ?? lead,
      allocatedAt: r.triagedAt ?? r.receivedAt,
    });
  }

  const summary: PathwayDemoSummary = { people: 0, byPcn: {}, openByLinkWorker: {} };
  const slots = ['09:30', '10:00', '10:30', '11:00', '11:30', '13:30', '14:00', '14:30', '15:00', '15:30'];
  const clock = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const awaitingTriage: { referral: typeof referrals.$inferInsert; story: Story; personId: string }[] = [];

  for (const s of stories) {
    const name = `${s.who.given} ${s.who.family}`;
    const fail = (why: string): never => {
      throw new Error(`Demo caseload, ${name}: ${why}`);
    };
    const pcnId = orgId(pcnOds[s.pcn]);
    const practiceId = s.who.practice ? orgId(practiceOds[s.who.practice]) : null;
    const personId = newId();
    const referralId = newId();
    const stage = stageOf(s);
    const past = (d: number, hhmm: string) => {
      if (d >= 0) fail(`an event in the past must be at least one working day ago (got ${d})`);
      const when = calendar.at(d, hhmm);
      if (when > now) fail('an event is in the future');
      return when;
    };
    for (const reason of s.ref.reasons) if (!knownDomains.has(reason)) fail(`unknown needs domain ${reason}`);

    // The person
    const facts = place.get(postcodeKey(s.who.postcode));
    const receivedAt = past(
      s.ref.d,
      s.ref.at ??
        clock(s.ref.source === 'self' ? between(7 * 60, 21 * 60) : between(8 * 60 + 30, 17 * 60 + 15)),
    );
    rows.people.push({
      id: personId,
      organisationId: pcnId,
      nhsNumber: s.who.nhs === false ? null : nextNhsNumber(),
      givenName: s.who.given,
      familyName: s.who.family,
      dateOfBirth: s.who.dob,
      sex: s.who.sex,
      ethnicCategory: s.who.ethnic,
      addressLines: s.who.address,
      postcode: s.who.postcode,
      lsoaCode: facts?.lsoaCode ?? null,
      imdDecile: facts?.imdDecile ?? null,
      phone: `07700 900${String(200 + summary.people).padStart(3, '0')}`,
      email: s.who.email ?? null,
      preferredContactMethod: s.who.contactBy ?? null,
      preferredContactTimes: s.who.times ?? null,
      interpreterLanguage: s.who.interpreter ?? null,
      accessibilityNeeds: s.who.access ?? null,
      registeredPracticeId: practiceId,
      consentToShareWithServices: true,
      createdAt: receivedAt,
      updatedAt: receivedAt,
    });
    summary.people++;

    // Triage and allocation
    const triagedAt =
      stage === 'awaiting_triage'
        ? null
        : s.ref.triaged === s.ref.d
          ? new Date(receivedAt.getTime() + 2 * 3_600_000)
          : past(s.ref.triaged ?? s.ref.d + 1, clock(between(9 * 60, 9 * 60 + 55)));
    if (triagedAt && (triagedAt <= receivedAt || triagedAt > now)) fail('triage must follow the referral');
    let version = triagedAt ? 2 : 1;
    let updatedAt = triagedAt ?? receivedAt;
    const reallocatedAt = s.reallocated ? past(s.reallocated.d, '09:15') : null;
    const lwKey = (at: Date): LinkWorker =>
      s.reallocated && reallocatedAt && at < reallocatedAt ? s.reallocated.from : s.lw!;
    const lwAt = (at: Date) => staff(lwKey(at));
    if (s.lw && triagedAt) {
      rows.allocations.push({
        id: newId(),
        organisationId: pcnId,
        referralId,
        fromLinkWorkerId: null,
        toLinkWorkerId: staff(s.reallocated?.from ?? s.lw),
        reason: 'Allocated at triage',
        allocatedBy: lead,
        allocatedAt: triagedAt,
      });
      if (s.reallocated && reallocatedAt) {
        rows.allocations.push({
          id: newId(),
          organisationId: pcnId,
          referralId,
          fromLinkWorkerId: staff(s.reallocated.from),
          toLinkWorkerId: staff(s.lw),
          reason: s.reallocated.reason,
          allocatedBy: lead,
          allocatedAt: reallocatedAt,
        });
        version++;
        updatedAt = reallocatedAt;
      }
    }

    // Every touch with the person in time order: contacts, attempts, and the appointments they were booked at.
    type Event = {
      at: Date;
      kind: 'first_contact' | 'contact' | 'attempt';
      touch: Touch;
      note: string;
      booked: boolean;
      contactId: string;
    };
    const events: Event[] = [];
    const addEvent = (kind: Event['kind'], touch: Touch, note: string, booked: boolean) => {
      const at = past(touch.d, touch.at ?? pick(slots));
      if (triagedAt && at <= triagedAt) fail('a contact cannot come before triage');
      const event = { at, kind, touch, note, booked, contactId: newId() };
      events.push(event);
      return event;
    };
    for (const a of s.attempts ?? []) addEvent('attempt', a, a.note, false);
    const first = s.first ? addEvent('first_contact', s.first, s.first.note, false) : null;
    const wm = s.wm
      ? addEvent(
          'contact',
          { ...s.wm, note: '' },
          s.wm.note ?? 'Had the "what matters to me" conversation; recorded in full on the episode.',
          true,
        )
      : null;
    const plan = s.plan
      ? addEvent(
          'contact',
          { ...s.plan, note: '' },
          s.plan.note ?? `Agreed the support plan together; ${s.who.given} has a copy.`,
          true,
        )
      : null;
    const visits = (s.visits ?? []).map((v) => addEvent('contact', v, v.note, true));
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    if (first && events.some((e) => e.kind !== 'attempt' && e.at < first.at))
      fail('every contact follows the first contact');
    if (wm && plan && plan.at <= wm.at) fail('the plan follows the "what matters" conversation');
    const dischargedAt = s.discharge ? past(s.discharge.d, clock(between(15 * 60, 16 * 60 + 30))) : null;
    if (dischargedAt && events.some((e) => e.at >= dischargedAt)) fail('nothing follows the discharge');

    const modeWhere = (mode: Mode, where?: string) =>
      where ??
      (mode === 'in_practice'
        ? s.who.practice
          ? practiceNames[s.who.practice]
          : null
        : mode === 'home_visit'
          ? 'Home visit'
          : mode === 'community_venue'
            ? 'Community venue'
            : null);
    const lastContactBefore = (at: Date) =>
      [...events].reverse().find((e) => e.kind !== 'attempt' && e.at < at)?.at ?? triagedAt ?? receivedAt;

    for (const e of events) {
      rows.contacts.push({
        id: e.contactId,
        organisationId: pcnId,
        referralId,
        personId,
        linkWorkerId: lwAt(e.at),
        occurredAt: e.at,
        mode: e.touch.mode,
        durationMinutes:
          e.touch.mins ??
          (e.kind === 'attempt' ? null : e.booked ? pick([20, 30, 30, 45]) : pick([10, 15, 15, 20])),
        kind: e.kind,
        note: e.note,
        present: e.touch.present ?? null,
        createdAt: new Date(e.at.getTime() + between(5, 90) * 60_000),
      });
      if (e.booked) {
        const createdAt = lastContactBefore(e.at);
        rows.appointments.push({
          id: newId(),
          organisationId: pcnId,
          referralId,
          personId,
          linkWorkerId: lwAt(e.at),
          startsAt: e.at,
          durationMinutes: e.touch.mins ?? 30,
          mode: e.touch.mode,
          location: modeWhere(e.touch.mode, e.touch.where),
          status: 'attended',
          note: null,
          version: 2,
          createdAt,
          updatedAt: e.at,
        });
      }
    }
    for (const b of s.bookings ?? []) {
      if (b.d < 0 && !b.status) fail('a past booking says what became of it');
      if (b.d > 0 && (b.status || s.discharge || !s.lw)) fail('only an open episode has appointments ahead');
      const startsAt = b.d > 0 ? calendar.at(b.d, b.at ?? pick(slots)) : past(b.d, b.at ?? pick(slots));
      const createdAt = lastContactBefore(b.d > 0 ? now : startsAt);
      rows.appointments.push({
        id: newId(),
        organisationId: pcnId,
        referralId,
        personId,
        linkWorkerId: lwAt(startsAt),
        startsAt,
        durationMinutes: b.mins ?? 30,
        mode: b.mode,
        location: modeWhere(b.mode, b.where),
        status: b.status ?? 'booked',
        note: b.note ?? null,
        version: b.status ? 2 : 1,
        createdAt,
        // A cancellation comes before the time booked; a missed appointment is recorded after it.
        updatedAt: !b.status
          ? createdAt
          : new Date(startsAt.getTime() + (b.status === 'cancelled' ? -4 : 1) * 3_600_000),
      });
    }

    // The first contact: the person's answer, coded once for the episode (PCN DES).
    if (first) {
      const concept = s.first?.declines ? declined : accepted;
      rows.codedEvents.push({
        id: newId(),
        organisationId: pcnId,
        referralId,
        personId,
        purpose: concept.purpose,
        system: concept.system,
        code: concept.code,
        display: concept.display,
        recordedAt: first.at,
        recordedBy: lwAt(first.at),
      });
      version++;
      if (first.at > updatedAt) updatedAt = first.at;
    }

    // "What matters to me", with a second version when it was revisited.
    if (s.wm && wm) {
      rows.whatMatters.push({
        id: newId(),
        organisationId: pcnId,
        referralId,
        personId,
        version: 1,
        heldOn: londonDate(wm.at),
        needs: s.wm.needs.map(([domain, priority, concern]) => ({ domain, priority, concern })),
        ownWords: s.wm.ownWords,
        strengths: s.wm.strengths ?? null,
        barriers: s.wm.barriers ?? null,
        recordedBy: lwAt(wm.at),
        recordedAt: new Date(wm.at.getTime() + 75 * 60_000),
      });
      for (const [domain] of [...s.wm.needs, ...(s.wm.revisit?.needs ?? [])]) {
        if (!knownDomains.has(domain)) fail(`unknown needs domain ${domain}`);
      }
      if (s.wm.revisit) {
        const revisitedAt = past(s.wm.revisit.d, '16:40');
        const r = { ...s.wm, ...s.wm.revisit };
        rows.whatMatters.push({
          id: newId(),
          organisationId: pcnId,
          referralId,
          personId,
          version: 2,
          heldOn: londonDate(revisitedAt),
          needs: r.needs.map(([domain, priority, concern]) => ({ domain, priority, concern })),
          ownWords: r.ownWords,
          strengths: r.strengths ?? null,
          barriers: r.barriers ?? null,
          recordedBy: lwAt(revisitedAt),
          recordedAt: revisitedAt,
        });
      }
    }

    // The support plan, its goals, each saved version as it was, and progress at each contact since.
    if (s.plan && plan) {
      const planId = newId();
      const agreedOn = londonDate(plan.at);
      const later = visits.filter((v) => v.at > plan.at);
      const changed = s.plan.goals.some((g) => g.added || g.status || g.actions.some((a) => a[3]));
      const revisedAt = s.plan.revised
        ? past(s.plan.revised.d, '16:20')
        : changed && later.length
          ? new Date(later[later.length - 1]!.at.getTime() + 40 * 60_000)
          : null;
      if (revisedAt && (revisedAt <= plan.at || (dischargedAt && revisedAt >= dischargedAt)))
        fail('the plan revision falls within the plan’s life');
      const goalRows = s.plan.goals.map((g, i) => {
        if (!knownDomains.has(g.domain)) fail(`unknown needs domain ${g.domain}`);
        const reviewOn =
          g.review !== undefined
            ? calendar.date(g.review)
            : londonDate(new Date(plan.at.getTime() + 42 * DAY_MS));
        return {
          spec: g,
          row: {
            id: newId(),
            organisationId: pcnId,
            planId,
            referralId,
            personId,
            position: i + 1,
            description: g.text,
            needsDomain: g.domain,
            services: g.services ?? null,
            reviewOn,
            status: g.status ?? ('active' as const),
            actions: g.actions.map(([who, what, byWhen, done]) => ({
              who,
              what,
              byWhen: byWhen === null ? null : calendar.date(byWhen),
              done,
            })),
            createdAt: g.added && revisedAt ? revisedAt : plan.at,
          },
        };
      });
      const summaryText = s.plan.revised?.summary ?? s.plan.summary;
      rows.plans.push({
        id: planId,
        organisationId: pcnId,
        referralId,
        personId,
        agreedOn,
        summary: summaryText,
        version: revisedAt ? 2 : 1,
        createdBy: lwAt(plan.at),
        createdAt: plan.at,
        updatedBy: lwAt(revisedAt ?? plan.at),
        updatedAt: revisedAt ?? plan.at,
      });
      const snapshot = (first: boolean) => ({
        agreedOn,
        summary: first ? s.plan!.summary : summaryText,
        goals: goalRows
          .filter((g) => !first || !g.spec.added)
          .map(({ row }) => ({
            id: row.id,
            position: row.position,
            description: row.description,
            needsDomain: row.needsDomain,
            services: row.services,
            reviewOn: row.reviewOn,
            status: first ? 'active' : row.status,
            actions: first ? row.actions.map((a) => ({ ...a, done: false })) : row.actions,
          })),
      });
      rows.planVersions.push({
        organisationId: pcnId,
        planId,
        version: 1,
        snapshot: snapshot(true),
        savedBy: lwAt(plan.at),
        savedAt: plan.at,
      });
      if (revisedAt) {
        rows.planVersions.push({
          organisationId: pcnId,
          planId,
          version: 2,
          snapshot: snapshot(false),
          savedBy: lwAt(revisedAt),
          savedAt: revisedAt,
        });
      }
      for (const { spec, row } of goalRows) {
        rows.goals.push(row);
        // 0 not started – 10 achieved, as the person rates it: a start, then steady steps with the odd setback.
        const rated = [plan, ...later].filter((e) => e.at >= row.createdAt);
        let rating = between(1, 3);
        rated.forEach((e, i) => {
          if (i > 0)
            rating = Math.min(9, Math.max(0, rating + (random() < 0.1 ? -1 : pick([0, 1, 1, 2, 2]))));
          if (spec.status === 'achieved' && i === rated.length - 1) rating = 10;
          rows.progress.push({
            id: newId(),
            organisationId: pcnId,
            goalId: row.id,
            referralId,
            personId,
            contactId: e.contactId,
            rating,
            note: null,
            recordedOn: londonDate(e.at),
            recordedBy: lwAt(e.at),
            recordedAt: new Date(e.at.getTime() + 10 * 60_000),
          });
        });
      }
    }

    if (s.flag) {
      const raisedAt = past(s.flag.d, s.flag.at ?? '16:45');
      const resolvedAt = s.flag.resolved ? past(s.flag.resolved.d, '12:00') : null;
      rows.flags.push({
        id: newId(),
        organisationId: pcnId,
        personId,
        kind: s.flag.kind,
        note: s.flag.note,
        raisedBy: lwAt(raisedAt),
        raisedAt,
        resolvedBy: resolvedAt ? lead : null,
        resolvedAt,
        resolutionNote: s.flag.resolved?.note ?? null,
      });
    }

    if (s.discharge && dischargedAt) {
      rows.discharges.push({
        referralId,
        organisationId: pcnId,
        personId,
        reason: s.discharge.reason,
        dischargedOn: londonDate(dischargedAt),
        closingSummary: s.discharge.summary,
        supportOffered: s.discharge.offered,
        outcome: s.discharge.outcome,
        followUpForGp: s.discharge.gp ?? null,
        dischargedBy: lwAt(dischargedAt),
        dischargedAt,
      });
      version++;
      updatedAt = dischargedAt;
    }

    const status =
      stage === 'awaiting_triage' || stage === 'declined' || stage === 'signposted'
        ? stage
        : stage === 'declined_by_person' || stage === 'discharged'
          ? stage
          : ('accepted' as const);
    const referrer = s.ref.source === 'professional' && s.who.practice === 'rmc' ? staff('referrer') : null;
    const referral: typeof referrals.$inferInsert = {
      id: referralId,
      organisationId: pcnId,
      personId,
      source: s.ref.source,
      referrerUserId: referrer,
      referringOrganisationId: s.ref.source === 'professional' ? practiceId : null,
      reasons: s.ref.reasons,
      context: s.ref.context,
      urgency: s.ref.urgent ? 'urgent' : 'routine',
      consentToReferral: true,
      status,
      declineReason: s.triage && 'declined' in s.triage ? s.triage.declined : null,
      triageNote: s.triage ? ('signposted' in s.triage ? s.triage.signposted : s.triage.note) : null,
      allocatedLinkWorkerId: s.lw ? staff(s.lw) : null,
      triagedBy: triagedAt ? lead : null,
      triagedAt,
      receivedAt,
      possibleDuplicatePersonIds: [],
      reference: newReference(),
      version,
      createdAt: receivedAt,
      updatedAt,
    };
    rows.referrals.push(referral);
    if (stage === 'awaiting_triage') awaitingTriage.push({ referral, story: s, personId });

    const counts = summary.byPcn[pcnOds[s.pcn]] ?? {};
    summary.byPcn[pcnOds[s.pcn]] = counts;
    counts[stage] = (counts[stage] ?? 0) + 1;
    if (status === 'accepted' && s.lw) {
      summary.openByLinkWorker[s.lw] = (summary.openByLinkWorker[s.lw] ?? 0) + 1;
    }
  }

  // New referrals awaiting triage carry the people they may be, as the referral service would have found them.
  const existingPeople = await tx
    .select({
      id: people.id,
      organisationId: people.organisationId,
      givenName: people.givenName,
      familyName: people.familyName,
      dateOfBirth: people.dateOfBirth,
      postcode: people.postcode,
    })
    .from(people)
    .where(inArray(people.organisationId, pcnIds));
  const everyone = [
    ...existingPeople,
    ...rows.people.map((p) => ({
      id: p.id,
      organisationId: p.organisationId,
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      postcode: p.postcode ?? null,
    })),
  ];
  for (const { referral, personId } of awaitingTriage) {
    const self = everyone.find((p) => p.id === personId)!;
    referral.possibleDuplicatePersonIds = everyone
      .filter(
        (p) => p.id !== personId && p.organisationId === self.organisationId && isProbableMatch(self, p),
      )
      .map((p) => p.id);
  }

  // Write everything in a handful of statements, parents before children.
  const insert = async <T>(write: (batch: T[]) => Promise<unknown>, all: T[]) => {
    for (let i = 0; i < all.length; i += 500) await write(all.slice(i, i + 500));
  };
  await tx.insert(pathwaySettings).values(
    pcnIds.map((organisationId) => ({
      organisationId,
      firstContactTargetWorkingDays: 10,
      unableToContactAttempts: 3,
      version: 1,
      updatedAt: now,
      updatedBy: lead,
    })),
  );
  await insert((b) => tx.insert(people).values(b), rows.people);
  await insert((b) => tx.insert(referrals).values(b), rows.referrals);
  await insert((b) => tx.insert(allocations).values(b), rows.allocations);
  await insert((b) => tx.insert(contacts).values(b), rows.contacts);
  await insert((b) => tx.insert(codedEvents).values(b), rows.codedEvents);
  await insert((b) => tx.insert(appointments).values(b), rows.appointments);
  await insert((b) => tx.insert(whatMattersConversations).values(b), rows.whatMatters);
  await insert((b) => tx.insert(supportPlans).values(b), rows.plans);
  await insert((b) => tx.insert(supportPlanVersions).values(b), rows.planVersions);
  await insert((b) => tx.insert(goals).values(b), rows.goals);
  await insert((b) => tx.insert(goalProgress).values(b), rows.progress);
  await insert((b) => tx.insert(personFlags).values(b), rows.flags);
  await insert((b) => tx.insert(discharges).values(b), rows.discharges);
  return summary;
}
