import type { TagColour } from '../../components/page-parts.tsx';

export const timepointLabels: Record<string, string> = {
  baseline: 'Baseline',
  discharge: 'Discharge',
  follow_up_short: 'Short-term follow-up',
  follow_up_long: 'Long-term follow-up (9–12 months)',
  other: 'Other',
};

export const completedByLabels: Record<string, string> = {
  self: 'The person, on their own',
  with_link_worker: 'The person, with the link worker',
  proxy: 'Someone else for them (proxy)',
};

export const modeLabels: Record<string, string> = {
  in_person: 'In person',
  phone: 'By phone',
  online: 'Online',
};

export const dueStatusLabels: Record<string, string> = {
  not_yet: 'Not due yet',
  due: 'Due',
  overdue: 'Overdue',
  done: 'Done',
};

export const dueStatusColours: Record<string, TagColour> = {
  not_yet: 'grey',
  due: 'yellow',
  overdue: 'red',
  done: 'green',
};

export const linkStatusLabels: Record<string, string> = {
  active: 'Waiting for answers',
  used: 'Answered',
  revoked: 'Cancelled',
  expired: 'Expired',
};

export const linkStatusColours: Record<string, TagColour> = {
  active: 'blue',
  used: 'green',
  revoked: 'grey',
  expired: 'grey',
};
