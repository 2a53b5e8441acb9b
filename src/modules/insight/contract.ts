import { z } from 'zod';
import { comparisons } from '../outcomes/report.ts';
import { factorKeys } from './factors.ts';

const isoDate = (what: string) => z.iso.date(`Enter ${what} as YYYY-MM-DD, like 2026-04-01`);
const level = z
  .string()
  .regex(/^[a-z0-9_]{1,60}$/, 'Choose a level from the table')
  .optional();

/** What the explorer is asked: an outcome, a change window, where and when, and one factor or two crossed. */
export const explorerQuery = z
  .strictObject({
    instrument: z
      .string({ error: 'Choose an instrument' })
      .regex(/^[a-z][a-z0-9_]{1,59}$/, 'Choose an instrument'),
    /** A score (`score:<code>`) or item (`item:<linkId>`) of the instrument; its first score when left out. */
    measure: z
      .string()
      .regex(/^(score|item):[A-Za-z0-9_.-]{1,80}$/, 'Choose a score or question of the instrument')
      .optional(),
    comparison: z.enum(comparisons, { error: 'Choose the change window' }).default('follow_up_long'),
    from: isoDate('the start of the period').optional(),
    to: isoDate('the end of the period').optional(),
    organisationId: z.uuid('Choose an ICB, PCN or GP practice from the list').optional(),
    factor: z.enum(factorKeys, { error: 'Choose what to break the change down by' }),
    by: z.enum(factorKeys, { error: 'Choose a second factor from the list, or none' }).optional(),
    /** The adjusted model's reference levels (defaults: the largest level). */
    reference: level,
    byReference: level,
    /** The adjusted model with two factors: their interaction too. */
    interaction: z.enum(['true', 'false']).default('false'),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.to < q.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The end of the period must be on or after its start',
      });
    }
    if (q.by && q.by === q.factor) {
      ctx.addIssue({
        code: 'custom',
        path: ['by'],
        message: 'Choose a second factor different from the first',
      });
    }
  });
export type ExplorerQuery = z.infer<typeof explorerQuery>;

/** A researcher turns a pattern into a candidate configuration in a study they write in. */
export const candidateInput = z.strictObject({
  studyId: z.uuid('Choose a study from the list'),
  query: explorerQuery,
  /** The level of the first factor the pattern is about, and of the second when crossed. */
  level: z
    .string({ error: 'Choose the group the pattern is about' })
    .regex(/^[a-z0-9_]{1,60}$/, 'Choose a group'),
  byLevel: z
    .string()
    .regex(/^[a-z0-9_]{1,60}$/, 'Choose a group')
    .optional(),
});
export type CandidateInput = z.infer<typeof candidateInput>;
