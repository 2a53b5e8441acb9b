import { z } from 'zod';

/*
 * The format every outcome instrument is written in — the shipped ones and an organisation's own. An instrument
 * is data: items with their response options, the scores made from them, the bands each score is reported in,
 * and the licence notice shown with it. One questionnaire component renders any of them; one scorer scores them.
 */

const code = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,59}$/, 'Use lower-case letters, digits and underscores, starting with a letter');
const words = (max: number) =>
  z.string().trim().min(1, 'Write this').max(max, `Keep this to ${max} characters or fewer`);

export const responseOption = z.strictObject({
  value: z.number().int('Response values are whole numbers').min(-1000).max(1000),
  label: words(200),
});

export const item = z
  .strictObject({
    linkId: code,
    text: words(1000),
    options: z.array(responseOption).min(2, 'An item needs at least two options').max(20),
  })
  .superRefine((it, ctx) => {
    const values = it.options.map((o) => o.value);
    if (new Set(values).size !== values.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'Each option of an item needs its own value',
      });
    }
  });

export const band = z.strictObject({
  from: z.number(),
  to: z.number(),
  label: words(100),
});

export const score = z.strictObject({
  code,
  label: words(200),
  /**
   * item: one item's answer, reported on its own (ONS4). sum: the items' answers added (UCLA-3, SWEMWBS raw).
   * converted: a sum looked up in a conversion table the organisation's licence supplies (SWEMWBS metric).
   */
  kind: z.enum(['item', 'sum', 'converted']),
  items: z.array(code).min(1).max(100),
  higherIsBetter: z.boolean(),
  bands: z.array(band).max(10).default([]),
  /** For `converted`: the licensed table's name, e.g. "swemwbs_metric". */
  conversion: code.optional(),
});

export const instrumentDefinition = z
  .strictObject({
    code,
    version: z
      .string()
      .trim()
      .regex(/^\d{1,6}(\.\d{1,6}){0,5}$/, 'A version is like 1 or 1.2'),
    title: words(200),
    /** What the person is asked to think about, shown before the items. */
    instructions: words(2000).optional(),
    /** The copyright or licence words that must be shown wherever the instrument is. */
    licenceNotice: words(2000).optional(),
    /** Usable only once an organisation has recorded its licence (and, for conversions, the table). */
    requiresLicence: z.boolean().default(false),
    items: z.array(item).min(1).max(100),
    scores: z.array(score).min(1).max(100),
  })
  .superRefine((d, ctx) => {
    const linkIds = d.items.map((i) => i.linkId);
    if (new Set(linkIds).size !== linkIds.length) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'Each item needs its own linkId' });
    }
    const known = new Set(linkIds);
    const scoreCodes = new Set<string>();
    d.scores.forEach((s, i) => {
      if (scoreCodes.has(s.code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['scores', i, 'code'],
          message: 'Each score needs its own code',
        });
      }
      scoreCodes.add(s.code);
      s.items.forEach((id, j) => {
        if (!known.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['scores', i, 'items', j],
            message: `There is no item ${id}`,
          });
        }
      });
      if (s.kind === 'item' && s.items.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['scores', i, 'items'],
          message: 'An item score names one item',
        });
      }
      if (s.kind === 'converted' && !s.conversion) {
        ctx.addIssue({
          code: 'custom',
          path: ['scores', i, 'conversion'],
          message: 'A converted score names its conversion table',
        });
      }
      s.bands.forEach((b, j) => {
        if (b.to < b.from) {
          ctx.addIssue({
            code: 'custom',
            path: ['scores', i, 'bands', j, 'to'],
            message: 'A band ends after it starts',
          });
        }
      });
    });
  });
export type InstrumentDefinition = z.infer<typeof instrumentDefinition>;
export type InstrumentInput = z.input<typeof instrumentDefinition>;
export type ScoreDefinition = z.infer<typeof score>;

/** A licensed conversion table: each possible raw sum → the reported value (e.g. SWEMWBS raw 7–35 → metric). */
export const conversionTable = z
  .array(z.strictObject({ raw: z.number().int(), converted: z.number() }))
  .min(1)
  .max(1000)
  .superRefine((rows, ctx) => {
    const raws = rows.map((r) => r.raw);
    if (new Set(raws).size !== raws.length) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'Each raw score appears once in a conversion table',
      });
    }
  });
export type ConversionTable = z.infer<typeof conversionTable>;
