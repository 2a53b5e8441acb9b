import { z } from 'zod';
import { accessibilityFeatures, attendingTypes, directoryReportKinds, WEEKDAYS } from './vocabulary.ts';

const time = z
  .string()
  .trim()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:MM, like 09:30')
  .transform((t) => t.padStart(5, '0'));
const csvList = (item: z.ZodType<string>, what: string) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
        : v,
    z.array(item).max(50, `Choose 50 ${what} or fewer`),
  );

export const searchQuery = z
  .strictObject({
    q: z.string().trim().max(200, 'Search for 200 characters or fewer').optional(),
    term: csvList(z.uuid('A taxonomy term id is not valid'), 'terms').optional(),
    need: csvList(z.string().max(60), 'needs').optional(),
    postcode: z.string().trim().max(10, 'Enter a postcode, like LS1 4AP').optional(),
    withinKm: z.coerce
      .number({ error: 'Enter a distance in kilometres' })
      .positive('Enter a distance of more than 0 km')
      .max(100, 'Enter a distance of 100 km or less')
      .optional(),
    day: z.enum(WEEKDAYS, { error: 'Choose a day of the week' }).optional(),
    from: time.optional(),
    to: time.optional(),
    age: z.coerce
      .number({ error: 'Enter an age in years' })
      .int('Enter an age in whole years')
      .min(0)
      .max(120, 'Enter an age of 120 or less')
      .optional(),
    free: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    attending: z.enum(attendingTypes, { error: 'Choose in person, online or phone' }).optional(),
    language: z.string().trim().max(60).optional(),
    accessibility: z.enum(accessibilityFeatures, { error: 'Choose an accessibility feature' }).optional(),
    includeClosed: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    page: z.coerce.number().int().min(1, 'Pages start at 1').max(1000).default(1),
    perPage: z.coerce.number().int().min(1).max(100, 'Ask for 100 results a page or fewer').default(20),
  })
  .superRefine((v, ctx) => {
    if (v.withinKm !== undefined && !v.postcode) {
      ctx.addIssue({
        code: 'custom',
        path: ['postcode'],
        message: 'Enter a postcode to search within a distance',
      });
    }
    if ((v.from || v.to) && !v.day) {
      ctx.addIssue({ code: 'custom', path: ['day'], message: 'Choose a day to search by time of day' });
    }
    if (v.from && v.to && v.to <= v.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end time must be after the start time' });
    }
  });
export type SearchQuery = z.infer<typeof searchQuery>;

export const freshness = z.object({
  assuredDate: z.string().nullable(),
  stale: z.boolean(),
  /** "verified 3 weeks ago", "not verified for 5 months", "never verified". */
  words: z.string(),
});

export const searchResult = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  organisationName: z.string().nullable(),
  status: z.string(),
  distanceKm: z.number().nullable(),
  locationName: z.string().nullable(),
  postcode: z.string().nullable(),
  isFree: z.boolean(),
  attending: z.array(z.string()),
  when: z.array(z.string()),
  terms: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Why it matched, in the order a link worker reads: "walking group · 1.2 km · free · Tue 10:00 · verified 3 weeks ago". */
  reasons: z.array(z.string()),
  freshness,
});
export type SearchResult = z.infer<typeof searchResult>;

export const searchResponse = z.object({
  items: z.array(searchResult),
  total: z.number(),
  page: z.number(),
  perPage: z.number(),
  origin: z.object({ postcode: z.string(), latitude: z.number(), longitude: z.number() }).nullable(),
  /** Needs and terms the search was narrowed by, named. */
  narrowedBy: z.array(z.string()),
  /** No service had those words, so these have words like them ("wlking" found "walking"). */
  approximate: z.boolean(),
});

export const serviceUsage = z.object({
  connections: z.number(),
  /** Percentages only where at least 5 connections had a reply (or were attended or not): null otherwise. */
  acceptedPercent: z.number().nullable(),
  attendedPercent: z.number().nullable(),
  typicalWaitDays: z.number().nullable(),
  suppressed: z.boolean(),
});

export const serviceDetail = z.object({
  id: z.uuid(),
  version: z.number(),
  source: z.string(),
  oruk: z.record(z.string(), z.unknown()),
  freshness,
  terms: z.array(z.object({ id: z.string(), name: z.string() })),
  when: z.array(z.string()),
  openReports: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(directoryReportKinds),
      note: z.string(),
      reportedAt: z.string(),
      reportedBy: z.string(),
    }),
  ),
  history: z.array(
    z.object({
      version: z.number(),
      change: z.string(),
      note: z.string().nullable(),
      changedAt: z.string(),
      changedBy: z.string().nullable(),
    }),
  ),
  usage: serviceUsage,
  canEdit: z.boolean(),
});
export type ServiceDetail = z.infer<typeof serviceDetail>;

export const reportBody = z.strictObject({
  kind: z.enum(directoryReportKinds, {
    error: 'Choose whether the service has closed or its details are wrong',
  }),
  note: z
    .string({ error: 'Say what you found' })
    .trim()
    .min(1, 'Say what you found')
    .max(2000, 'Keep the note to 2,000 characters or fewer'),
});

export const resolveReportBody = z.strictObject({
  resolution: z.string().trim().min(1, 'Say what you did about the report').max(2000),
  /** Mark the service closed (defunct) or temporarily closed as part of resolving. */
  status: z.enum(['active', 'inactive', 'defunct', 'temporarily closed']).optional(),
});

export const verifyBody = z.strictObject({
  note: z.string().trim().max(2000).optional(),
  version: z.number().int().min(1),
});

export const task = z.object({
  serviceId: z.uuid(),
  name: z.string(),
  organisationName: z.string().nullable(),
  kind: z.enum(['stale', 'closed', 'details_wrong']),
  assuredDate: z.string().nullable(),
  note: z.string().nullable(),
  since: z.string().nullable(),
});

export const tasksResponse = z.object({
  items: z.array(task),
  total: z.number(),
  staleAfterMonths: z.number(),
});

export const needTermsBody = z.strictObject({
  items: z
    .array(z.strictObject({ need: z.string().min(1).max(60), termIds: z.array(z.uuid()).max(100) }))
    .max(100),
});

export const needTerms = z.object({
  items: z.array(
    z.object({
      need: z.string(),
      label: z.string(),
      terms: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
});

export const taxonomyTermsResponse = z.object({
  items: z.array(
    z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), description: z.string() }),
  ),
});

export const directorySettingsBody = z.strictObject({
  staleAfterMonths: z.number().int().min(1, 'Enter 1 month or more').max(36, 'Enter 36 months or fewer'),
  replyExpectedWithinDays: z.number().int().min(1).max(90),
  version: z.number().int().min(1),
});
export const directorySettings = z.object({
  staleAfterMonths: z.number(),
  replyExpectedWithinDays: z.number(),
  version: z.number(),
});
