import type { contactMethods, ethnicCategories, sexes } from '../../../../src/modules/people/contract.ts';
import type {
  declineReasons,
  referralStatuses,
  urgencies,
} from '../../../../src/modules/referrals/contract.ts';
import type { TagColour } from '../../components/page-parts.tsx';

export type ReferralStatus = (typeof referralStatuses)[number];
export type Urgency = (typeof urgencies)[number];

export const statusLabels: Record<ReferralStatus, string> = {
  awaiting_triage: 'Awaiting triage',
  accepted: 'Accepted',
  declined: 'Declined',
  signposted: 'Signposted',
  declined_by_person: 'Declined by the person',
  discharged: 'Discharged',
};

export const statusColours: Record<ReferralStatus, TagColour> = {
  awaiting_triage: 'blue',
  accepted: 'green',
  declined: 'red',
  signposted: 'purple',
  declined_by_person: 'orange',
  discharged: 'grey',
};

export const urgencyLabels: Record<Urgency, string> = {
  routine: 'Routine',
  urgent: 'Urgent',
};

export const urgencyHints: Record<Urgency, string> = {
  routine: 'The link worker service contacts people in the order they were referred',
  urgent:
    'They need contact soon. This is not an emergency service: use your usual routes for anyone at risk of harm.',
};

export const declineReasonLabels: Record<(typeof declineReasons)[number], string> = {
  not_appropriate: 'Social prescribing is not right for them',
  needs_clinical_service: 'They need a clinical service instead',
  unable_to_contact: 'We could not contact them',
  other: 'Another reason',
};

export const sexLabels: Record<(typeof sexes)[number], string> = {
  female: 'Female',
  male: 'Male',
  intersex: 'Intersex',
  not_stated: 'Not stated',
};

/** NHS Data Dictionary ethnic category names. */
export const ethnicCategoryLabels: Record<(typeof ethnicCategories)[number], string> = {
  A: 'White British',
  B: 'White Irish',
  C: 'Any other White background',
  D: 'White and Black Caribbean',
  E: 'White and Black African',
  F: 'White and Asian',
  G: 'Any other mixed background',
  H: 'Indian',
  J: 'Pakistani',
  K: 'Bangladeshi',
  L: 'Any other Asian background',
  M: 'Caribbean',
  N: 'African',
  P: 'Any other Black background',
  R: 'Chinese',
  S: 'Any other ethnic group',
  Z: 'Not stated',
};

export const contactMethodLabels: Record<(typeof contactMethods)[number], string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  letter: 'Letter',
};
