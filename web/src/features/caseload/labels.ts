import type { z } from 'zod';
import type {
  caseloadQuery,
  caseloadStages,
  flagKinds,
  timelineItem,
} from '../../../../src/modules/pathway/contract.ts';
import type { TagColour } from '../../components/page-parts.tsx';

export type CaseloadStage = (typeof caseloadStages)[number];
export type FlagKind = (typeof flagKinds)[number];
export type CaseloadSort = z.infer<typeof caseloadQuery>['sort'];
export type TimelineKind = z.infer<typeof timelineItem>['kind'];

export const stageLabels: Record<CaseloadStage, string> = {
  awaiting_first_contact: 'Awaiting first contact',
  what_matters: 'Contacted, what matters conversation next',
  planning: 'Making a support plan',
  supporting: 'Supporting with a plan',
};

export const sortLabels: Record<CaseloadSort, string> = {
  waiting: 'Longest waiting first',
  last_contact: 'Longest since last contact first',
  next_appointment: 'Next appointment soonest first',
  name: 'Name, A to Z',
};

export const flagLabels: Record<FlagKind, string> = {
  safeguarding_concern: 'Safeguarding concern',
  risk: 'Risk',
};

export const flagHints: Record<FlagKind, string> = {
  safeguarding_concern: 'A concern that the person, or someone close to them, is at risk of abuse or neglect',
  risk: 'Something others visiting or contacting the person should know about, such as a risk to staff',
};

export const flagColours: Record<FlagKind, TagColour> = {
  safeguarding_concern: 'red',
  risk: 'orange',
};

export const timelineKindLabels: Record<TimelineKind, string> = {
  referral: 'Referral',
  triage: 'Triage',
  allocation: 'Allocation',
  contact: 'Contact',
  attempt: 'Attempt',
  appointment: 'Appointment',
  coded_event: 'Coded event',
  what_matters: 'What matters',
  plan: 'Support plan',
  goal_progress: 'Goal progress',
  flag: 'Flag',
  flag_resolved: 'Flag closed',
  discharge: 'Discharge',
  connection: 'Community service',
  measure: 'Outcome measure',
};

export const timelineKindColours: Record<TimelineKind, TagColour> = {
  referral: 'blue',
  triage: 'blue',
  allocation: 'purple',
  contact: 'green',
  attempt: 'grey',
  appointment: 'aqua-green',
  coded_event: 'white',
  what_matters: 'pink',
  plan: 'pink',
  goal_progress: 'aqua-green',
  flag: 'red',
  flag_resolved: 'grey',
  discharge: 'yellow',
  connection: 'orange',
  measure: 'purple',
};

/** "1 person" or "14 people". */
export function peopleCount(count: number): string {
  return count === 1 ? '1 person' : `${count} people`;
}

/** "1 working day" or "12 working days". */
export function workingDays(count: number): string {
  return count === 1 ? '1 working day' : `${count} working days`;
}

/** How full a link worker's caseload is, e.g. "14 people, 2 awaiting first contact". */
export function caseloadSize(row: { active: number; awaitingFirstContact: number }): string {
  const size = row.active === 0 ? 'no one on their caseload' : peopleCount(row.active);
  return row.awaitingFirstContact > 0 ? `${size}, ${row.awaitingFirstContact} awaiting first contact` : size;
}

/** An NHS number as it is read out: 943 476 5919. */
export function formatNhsNumber(nhsNumber: string): string {
  return nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3');
}

/** Whole years between a `YYYY-MM-DD` date of birth and today (`YYYY-MM-DD`). */
export function ageOn(dateOfBirth: string, today: string): number | null {
  const born = /^(\d{4})-(\d{2})-(\d{2})/.exec(dateOfBirth);
  const now = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!born || !now) return null;
  const [, by, bm, bd] = born.map(Number) as [number, number, number, number];
  const [, ny, nm, nd] = now.map(Number) as [number, number, number, number];
  const hadBirthday = nm > bm || (nm === bm && nd >= bd);
  return ny - by - (hadBirthday ? 0 : 1);
}
