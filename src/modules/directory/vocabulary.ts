/** The directory's fixed word lists, shared by its tables, its rules and its contract (no dependencies, so the web app can import them). */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const attendingTypes = ['in_person', 'online', 'phone'] as const;
export type AttendingType = (typeof attendingTypes)[number];

export const accessibilityFeatures = [
  'wheelchair',
  'hearing_loop',
  'accessible_toilet',
  'disabled_parking',
  'bsl',
] as const;
export type AccessibilityFeature = (typeof accessibilityFeatures)[number];

export const directoryReportKinds = ['closed', 'details_wrong'] as const;
