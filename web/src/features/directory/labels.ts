import type { z } from 'zod';
import type {
  ConnectionKind,
  ConnectionStatus,
  connectionStatuses,
} from '../../../../src/modules/connections/contract.ts';
import type { SearchQuery, ServiceDetail, task } from '../../../../src/modules/directory/contract.ts';
import type { serviceStatuses } from '../../../../src/modules/directory/oruk.ts';
import type { TagColour } from '../../components/page-parts.tsx';

export type Weekday = NonNullable<SearchQuery['day']>;
export type AttendingType = NonNullable<SearchQuery['attending']>;
export type AccessibilityFeature = NonNullable<SearchQuery['accessibility']>;
export type ServiceStatus = (typeof serviceStatuses)[number];
export type ReportKind = ServiceDetail['openReports'][number]['kind'];
export type TaskKind = z.infer<typeof task>['kind'];
export type { ConnectionKind, ConnectionStatus };

/** Monday first, in the order the week is read; the codes are iCalendar's, as ORUK and the search use. */
export const weekdayLabels: Record<Weekday, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
export const weekdays = Object.keys(weekdayLabels) as Weekday[];

export const attendingLabels: Record<AttendingType, string> = {
  in_person: 'In person',
  online: 'Online',
  phone: 'By phone',
};

export const accessibilityLabels: Record<AccessibilityFeature, string> = {
  wheelchair: 'Wheelchair access',
  hearing_loop: 'Hearing loop',
  accessible_toilet: 'Accessible toilet',
  disabled_parking: 'Disabled parking',
  bsl: 'British Sign Language (BSL)',
};

/** Times of day a person can choose instead of typing times; the search takes them as from and to. */
export const timesOfDay = {
  morning: { label: 'Morning', hint: '9am to 12pm', from: '09:00', to: '12:00' },
  afternoon: { label: 'Afternoon', hint: '12pm to 5pm', from: '12:00', to: '17:00' },
  evening: { label: 'Evening', hint: '5pm to 9pm', from: '17:00', to: '21:00' },
} as const;
export type TimeOfDay = keyof typeof timesOfDay;

/** Distances offered around a postcode, in kilometres; the search uses 10 when none is chosen. */
export const distancesKm = [1, 2, 5, 10, 20] as const;
export const defaultDistanceKm = 10;

export const serviceStatusLabels: Record<ServiceStatus, string> = {
  active: 'Running',
  'temporarily closed': 'Temporarily closed',
  inactive: 'Not running',
  defunct: 'Closed for good',
};

export const serviceStatusColours: Record<ServiceStatus, TagColour> = {
  active: 'green',
  'temporarily closed': 'orange',
  inactive: 'grey',
  defunct: 'red',
};

export const reportKindLabels: Record<ReportKind, string> = {
  closed: 'It has closed',
  details_wrong: 'Some details are wrong',
};

export const taskKindLabels: Record<TaskKind, string> = {
  stale: 'Needs checking',
  closed: 'Reported closed',
  details_wrong: 'Reported wrong details',
};

export const taskKindColours: Record<TaskKind, TagColour> = {
  stale: 'yellow',
  closed: 'red',
  details_wrong: 'orange',
};

export const connectionKindLabels: Record<ConnectionKind, { label: string; hint: string }> = {
  signposted: { label: 'Signposted', hint: 'Information given: they will get in touch with the service' },
  warm_handover: { label: 'Warm handover', hint: 'Introduced to someone there' },
  referred: { label: 'Referred', hint: 'A referral the service should act on' },
};

export const connectionStatusLabels: Record<(typeof connectionStatuses)[number], string> = {
  suggested: 'Signposted',
  referred: 'Waiting for a reply',
  accepted: 'Accepted',
  declined: 'Declined',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  completed: 'Completed',
  dropped_out: 'Stopped going',
};

export const connectionStatusColours: Record<ConnectionStatus, TagColour> = {
  suggested: 'grey',
  referred: 'blue',
  accepted: 'aqua-green',
  declined: 'red',
  attended: 'green',
  did_not_attend: 'orange',
  completed: 'purple',
  dropped_out: 'grey',
};

/** "1 service" or "12 services". */
export function servicesCount(count: number): string {
  return count === 1 ? '1 service' : `${count.toLocaleString('en-GB')} services`;
}

/** "1 day" or "10 days". */
export function daysCount(count: number): string {
  return count === 1 ? '1 day' : `${count} days`;
}

/** Who a service is for by age: "All ages", "18 and over", "Up to 25", "18 to 65". */
export function agesText(minimum: number | undefined, maximum: number | undefined): string {
  if (minimum === undefined && maximum === undefined) return 'All ages';
  if (maximum === undefined) return `${minimum} and over`;
  if (minimum === undefined || minimum === 0) return `Up to ${maximum}`;
  return `${minimum} to ${maximum}`;
}
