import type { InstrumentInput } from './definition.ts';

/*
 * The instruments Linkwork ships, in the definition format. Wordings, options and reporting bands are the
 * published ones:
 * - ONS4 personal well-being: ONS, "Personal well-being frequently asked questions" and the thresholds ONS reports
 *   (0–4 low, 5–6 medium, 7–8 high, 9–10 very high; anxiety 0–1 very low, 2–3 low, 4–5 medium, 6–10 high).
 * - UCLA 3-item loneliness and the direct question: ONS/GSS loneliness harmonised standard (national indicators of
 *   loneliness, 2018; the four questions for adults aged 16 and over).
 * - SWEMWBS: the University of Warwick's scale; free to use once registered, its notice shown, and the raw → metric
 *   conversion table supplied with the licence (imported as data, never invented here).
 */

const zeroToTen = (notAtAll: string, completely: string) =>
  Array.from({ length: 11 }, (_, v) => ({
    value: v,
    label: v === 0 ? `0 – ${notAtAll}` : v === 10 ? `10 – ${completely}` : String(v),
  }));

const wellbeingBands = [
  { from: 0, to: 4, label: 'Low' },
  { from: 5, to: 6, label: 'Medium' },
  { from: 7, to: 8, label: 'High' },
  { from: 9, to: 10, label: 'Very high' },
];

export const ONS4: InstrumentInput = {
  code: 'ons4',
  version: '1',
  title: 'ONS personal well-being (ONS4)',
  instructions:
    'Next are four questions about your feelings on aspects of your life. There are no right or wrong answers. For each of these questions please give an answer on a scale of 0 to 10, where 0 is “not at all” and 10 is “completely”.',
  licenceNotice:
    'ONS personal well-being questions, Office for National Statistics, Open Government Licence v3.0.',
  items: [
    {
      linkId: 'life_satisfaction',
      text: 'Overall, how satisfied are you with your life nowadays?',
      options: zeroToTen('not at all', 'completely'),
    },
    {
      linkId: 'worthwhile',
      text: 'Overall, to what extent do you feel that the things you do in your life are worthwhile?',
      options: zeroToTen('not at all', 'completely'),
    },
    {
      linkId: 'happiness',
      text: 'Overall, how happy did you feel yesterday?',
      options: zeroToTen('not at all', 'completely'),
    },
    {
      linkId: 'anxiety',
      text: 'On a scale where 0 is “not at all anxious” and 10 is “completely anxious”, overall, how anxious did you feel yesterday?',
      options: zeroToTen('not at all anxious', 'completely anxious'),
    },
  ],
  // Reported separately, never summed.
  scores: [
    {
      code: 'life_satisfaction',
      label: 'Life satisfaction',
      kind: 'item',
      items: ['life_satisfaction'],
      higherIsBetter: true,
      bands: wellbeingBands,
    },
    {
      code: 'worthwhile',
      label: 'Things done in life are worthwhile',
      kind: 'item',
      items: ['worthwhile'],
      higherIsBetter: true,
      bands: wellbeingBands,
    },
    {
      code: 'happiness',
      label: 'Happiness yesterday',
      kind: 'item',
      items: ['happiness'],
      higherIsBetter: true,
      bands: wellbeingBands,
    },
    {
      code: 'anxiety',
      label: 'Anxiety yesterday',
      kind: 'item',
      items: ['anxiety'],
      higherIsBetter: false,
      bands: [
        { from: 0, to: 1, label: 'Very low' },
        { from: 2, to: 3, label: 'Low' },
        { from: 4, to: 5, label: 'Medium' },
        { from: 6, to: 10, label: 'High' },
      ],
    },
  ],
};

const howOften = [
  { value: 1, label: 'Hardly ever or never' },
  { value: 2, label: 'Some of the time' },
  { value: 3, label: 'Often' },
];

export const UCLA3: InstrumentInput = {
  code: 'ucla3',
  version: '1',
  title: 'UCLA 3-item loneliness scale',
  instructions:
    'The next questions are about relationships with others. For each one, please say how often (if at all) you feel that way.',
  items: [
    {
      linkId: 'lack_companionship',
      text: 'How often do you feel that you lack companionship?',
      options: howOften,
    },
    { linkId: 'left_out', text: 'How often do you feel left out?', options: howOften },
    { linkId: 'isolated', text: 'How often do you feel isolated from others?', options: howOften },
  ],
  scores: [
    {
      code: 'ucla3_total',
      label: 'Loneliness (UCLA-3, 3–9)',
      kind: 'sum',
      items: ['lack_companionship', 'left_out', 'isolated'],
      higherIsBetter: false,
      bands: [],
    },
  ],
};

export const ONS_LONELINESS: InstrumentInput = {
  code: 'ons_loneliness',
  version: '1',
  title: 'ONS direct question on loneliness',
  items: [
    {
      linkId: 'how_often_lonely',
      text: 'How often do you feel lonely?',
      // Coded so that higher is lonelier, like UCLA-3.
      options: [
        { value: 1, label: 'Never' },
        { value: 2, label: 'Hardly ever' },
        { value: 3, label: 'Occasionally' },
        { value: 4, label: 'Some of the time' },
        { value: 5, label: 'Often or always' },
      ],
    },
  ],
  scores: [
    {
      code: 'how_often_lonely',
      label: 'How often lonely',
      kind: 'item',
      items: ['how_often_lonely'],
      higherIsBetter: false,
      // ONS reports "often or always" as chronic loneliness.
      bands: [
        { from: 1, to: 2, label: 'Hardly ever or never' },
        { from: 3, to: 4, label: 'Occasionally or some of the time' },
        { from: 5, to: 5, label: 'Often or always (chronic loneliness)' },
      ],
    },
  ],
};

const swemwbsOptions = [
  { value: 1, label: 'None of the time' },
  { value: 2, label: 'Rarely' },
  { value: 3, label: 'Some of the time' },
  { value: 4, label: 'Often' },
  { value: 5, label: 'All of the time' },
];
const swemwbsItems = [
  ['optimistic', 'I’ve been feeling optimistic about the future'],
  ['useful', 'I’ve been feeling useful'],
  ['relaxed', 'I’ve been feeling relaxed'],
  ['dealing_with_problems', 'I’ve been dealing with problems well'],
  ['thinking_clearly', 'I’ve been thinking clearly'],
  ['close_to_others', 'I’ve been feeling close to other people'],
  ['own_mind', 'I’ve been able to make up my own mind about things'],
] as const;

export const SWEMWBS: InstrumentInput = {
  code: 'swemwbs',
  version: '1',
  title: 'Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)',
  instructions:
    'Below are some statements about feelings and thoughts. Please tick the box that best describes your experience of each over the last 2 weeks.',
  licenceNotice:
    'Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © University of Warwick, 2006, all rights reserved.',
  requiresLicence: true,
  items: swemwbsItems.map(([linkId, text]) => ({ linkId, text, options: swemwbsOptions })),
  scores: [
    {
      code: 'swemwbs_raw',
      label: 'SWEMWBS raw score (7–35)',
      kind: 'sum',
      items: swemwbsItems.map(([id]) => id),
      higherIsBetter: true,
      bands: [],
    },
    {
      code: 'swemwbs_metric',
      label: 'SWEMWBS metric score',
      kind: 'converted',
      items: swemwbsItems.map(([id]) => id),
      higherIsBetter: true,
      bands: [],
      conversion: 'swemwbs_metric',
    },
  ],
};

export const SHIPPED_INSTRUMENTS: readonly InstrumentInput[] = [ONS4, UCLA3, ONS_LONELINESS, SWEMWBS];
