import type { contactModes } from '../../../../src/modules/contacts/contract.ts';
import type {
  appointmentStatuses,
  caseloadStages,
  dischargeReasons,
  flagKinds,
  goalStatuses,
  needPriorities,
} from '../../../../src/modules/pathway/contract.ts';
import type { referralStatuses } from '../../../../src/modules/referrals/contract.ts';
import type { TagColour } from '../../components/page-parts.tsx';

export type ContactMode = (typeof contactModes)[number];
export type AppointmentStatus = (typeof appointmentStatuses)[number];
export type DischargeReason = (typeof dischargeReasons)[number];
export type GoalStatus = (typeof goalStatuses)[number];
export type NeedPriority = (typeof needPriorities)[number];
export type FlagKind = (typeof flagKinds)[number];
export type ReferralStatus = (typeof referralStatuses)[number];
/** The open stages, then what an episode becomes when it ends. */
export type EpisodeStage = (typeof caseloadStages)[number] | 'discharged' | 'declined_by_person' | 'not_open';

export const contactModeLabels: Record<ContactMode, string> = {
  in_practice: 'At the GP practice',
  home_visit: 'Home visit',
  community_venue: 'At a community venue',
  phone: 'Phone call',
  video: 'Video call',
  text_or_email: 'Text message or email',
};

export const contactKindLabels: Record<'first_contact' | 'contact' | 'attempt', string> = {
  first_contact: 'First contact',
  contact: 'Contact',
  attempt: 'Attempt, not reached',
};

export const appointmentStatusLabels: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  cancelled: 'Cancelled',
};

export const appointmentStatusColours: Record<AppointmentStatus, TagColour> = {
  booked: 'blue',
  attended: 'green',
  did_not_attend: 'orange',
  cancelled: 'grey',
};

export const dischargeReasonLabels: Record<DischargeReason, string> = {
  goals_met: 'Their goals were met',
  referred_on: 'Referred on to another service',
  disengaged_or_unable_to_contact: 'Stopped taking part, or we could not contact them',
  declined: 'They no longer want support',
  moved_away: 'They moved away',
  died: 'They died',
  other: 'Another reason',
};

export const goalStatusLabels: Record<GoalStatus, string> = {
  active: 'Working on it',
  achieved: 'Achieved',
  stopped: 'Stopped',
};

export const goalStatusColours: Record<GoalStatus, TagColour> = {
  active: 'blue',
  achieved: 'green',
  stopped: 'grey',
};

export const needPriorityLabels: Record<NeedPriority, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const needPriorityColours: Record<NeedPriority, TagColour> = {
  high: 'red',
  medium: 'yellow',
  low: 'grey',
};

export const flagKindLabels: Record<FlagKind, string> = {
  safeguarding_concern: 'Safeguarding concern',
  risk: 'Risk',
};

/** Every referral status, including the ones an episode ends in. */
export const referralStatusLabels: Record<ReferralStatus, string> = {
  awaiting_triage: 'Awaiting triage',
  accepted: 'Open',
  declined: 'Declined at triage',
  signposted: 'Signposted',
  declined_by_person: 'Declined by the person',
  discharged: 'Discharged',
};

export const referralStatusColours: Record<ReferralStatus, TagColour> = {
  awaiting_triage: 'blue',
  accepted: 'green',
  declined: 'red',
  signposted: 'purple',
  declined_by_person: 'orange',
  discharged: 'grey',
};

export const stageLabels: Record<EpisodeStage, string> = {
  awaiting_first_contact: 'Awaiting first contact',
  what_matters: 'First contact made',
  planning: 'Agreeing a support plan',
  supporting: 'Supporting',
  discharged: 'Discharged',
  declined_by_person: 'Declined by the person',
  not_open: 'Not open',
};
