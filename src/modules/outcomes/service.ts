import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { organisationAndAbove } from '../organisations/service.ts';
import {
  type ConversionTable,
  conversionTable,
  type InstrumentDefinition,
  instrumentDefinition,
} from './definition.ts';
import { toFhirQuestionnaire } from './fhir.ts';
import { SHIPPED_INSTRUMENTS } from './instruments.ts';
import { outcomeInstruments, outcomeLicences } from './schema.ts';
import { scoreRange } from './scoring.ts';

/** Who records and reads outcome measures, and who sees the instruments they use. */
export const INSTRUMENT_READERS = [
  'link_worker',
  'lead_link_worker',
  'admin',
  'commissioner',
  'researcher',
] as const;

/** At start-up: the shipped instruments are in the database (a new version is added beside the old). */
export async function ensureShippedInstruments(tx: Db, now: Date): Promise<void> {
  for (const input of SHIPPED_INSTRUMENTS) {
    const d = instrumentDefinition.parse(input);
    await tx.execute(sql`
      insert into outcome_instruments (id, organisation_id, code, version, title, requires_licence, definition, created_at)
      values (${newId()}, null, ${d.code}, ${d.version}, ${d.title}, ${d.requiresLicence}, ${JSON.stringify(d)}::jsonb, ${now})
      on conflict (code, version) where organisation_id is null do nothing`);
  }
}

/** The actor's organisation and every one above it: whose instruments and licences apply. */
export async function organisationChain(tx: Db, actor: Actor): Promise<string[]> {
  const acting = actor.actingOrganisationId;
  if (!acting) throw new ForbiddenError('Choose the organisation you are acting for first.');
  return (await organisationAndAbove(tx, acting)).map((o) => o.id);
}

export interface InstrumentSummary {
  code: string;
  version: string;
  title: string;
  owner: 'shipped' | 'organisation';
  requiresLicence: boolean;
  /** Usable here: needs no licence, or an organisation in the actor's chain has recorded one. */
  enabled: boolean;
  licenceNotice: string | null;
  definition: InstrumentDefinition;
}

/**
 * The latest version of each instrument the actor may use (the shipped ones and their organisation chain's), with
 * the row ids measures are recorded against and the conversion tables their chain's licences supply.
 */
export async function instrumentsHere(tx: Db, actor: Actor) {
  assertRole(actor, ...INSTRUMENT_READERS);
  return instrumentsFor(tx, await organisationChain(tx, actor));
}

/** The same for an organisation chain (nearest first), e.g. a self-completion link's PCN and those above it. */
export async function instrumentsFor(tx: Db, chain: string[]) {
  const rows = await tx
    .select()
    .from(outcomeInstruments)
    .where(or(isNull(outcomeInstruments.organisationId), inArray(outcomeInstruments.organisationId, chain)))
    .orderBy(outcomeInstruments.code, desc(outcomeInstruments.createdAt));
  const licences = await tx
    .select({ code: outcomeLicences.instrumentCode, conversions: outcomeLicences.conversions })
    .from(outcomeLicences)
    .where(inArray(outcomeLicences.organisationId, chain));
  const conversions = new Map<string, Record<string, ConversionTable>>();
  for (const l of licences) conversions.set(l.code, { ...conversions.get(l.code), ...l.conversions });
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const key = `${r.organisationId ?? ''}:${r.code}`;
    const seen = latest.get(key);
    if (!seen || compareVersions(r.version, seen.version) > 0) latest.set(key, r);
  }
  const items = [...latest.values()]
    .sort((a, b) => a.title.localeCompare(b.title))
    .map((r) => ({
      id: r.id,
      code: r.code,
      version: r.version,
      title: r.title,
      owner: r.organisationId ? ('organisation' as const) : ('shipped' as const),
      requiresLicence: r.requiresLicence,
      enabled: !r.requiresLicence || conversions.has(r.code),
      licenceNotice: r.definition.licenceNotice ?? null,
      definition: r.definition,
    }));
  return { items, conversions };
}

/** The instruments usable here, for the pages that offer them. */
export async function listInstruments(tx: Db, actor: Actor): Promise<{ items: InstrumentSummary[] }> {
  const { items } = await instrumentsHere(tx, actor);
  return { items: items.map(({ id: _id, ...summary }) => summary) };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export async function instrumentQuestionnaire(tx: Db, actor: Actor, code: string, publicUrl: string) {
  const { items } = await listInstruments(tx, actor);
  const found = items.find((i) => i.code === code);
  if (!found) throw new NotFoundError(`There is no instrument ${code} here.`);
  return toFhirQuestionnaire(found.definition, publicUrl);
}

/** An administrator adds their organisation's own instrument (or a new version of it), in the definition format. */
export async function addInstrument(tx: Db, actor: Actor, input: unknown): Promise<InstrumentSummary> {
  assertRole(actor, 'admin');
  const parsed = instrumentDefinition.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      'The instrument has problems: check the fields named',
      parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'definition', message: i.message })),
    );
  }
  const d = parsed.data;
  const shipped = await tx
    .select({ id: outcomeInstruments.id })
    .from(outcomeInstruments)
    .where(and(isNull(outcomeInstruments.organisationId), eq(outcomeInstruments.code, d.code)));
  if (shipped.length > 0) {
    throw new ValidationError(`${d.code} is one of Linkwork's own instruments: choose another code`, {
      field: 'code',
    });
  }
  const org = actor.actingOrganisationId!;
  const inserted = await tx
    .insert(outcomeInstruments)
    .values({
      id: newId(),
      organisationId: org,
      code: d.code,
      version: d.version,
      title: d.title,
      requiresLicence: d.requiresLicence,
      definition: d,
      createdAt: actor.now,
      createdBy: actor.userId,
    })
    .onConflictDoNothing()
    .returning({ id: outcomeInstruments.id });
  if (inserted.length === 0) {
    throw new ConflictError(
      `Version ${d.version} of ${d.code} already exists: give the changed instrument a new version.`,
    );
  }
  await recordAudit(tx, actor, {
    action: 'outcomes.instrument.added',
    recordType: 'outcome_instrument',
    recordIds: [inserted[0]!.id],
    detail: { code: d.code, version: d.version },
  });
  return {
    code: d.code,
    version: d.version,
    title: d.title,
    owner: 'organisation',
    requiresLicence: d.requiresLicence,
    enabled: !d.requiresLicence,
    licenceNotice: d.licenceNotice ?? null,
    definition: d,
  };
}

export const licenceBody = z.strictObject({
  licenceReference: z
    .string({ error: 'Enter the licence reference' })
    .trim()
    .min(1, 'Enter the licence reference')
    .max(200, 'Keep the licence reference to 200 characters or fewer'),
  /** The tables the licence came with, by the name the instrument's scores use (e.g. swemwbs_metric). */
  conversions: z.record(z.string().regex(/^[a-z][a-z0-9_]{1,59}$/), conversionTable).default({}),
});

/**
 * An administrator records their organisation's licence for an instrument that needs one, with its conversion
 * tables: every table the instrument's scores use, covering every raw score they can have.
 */
export async function recordLicence(tx: Db, actor: Actor, code: string, body: z.infer<typeof licenceBody>) {
  assertRole(actor, 'admin');
  const { items } = await listInstruments(tx, actor);
  const instrument = items.find((i) => i.code === code);
  if (!instrument) throw new NotFoundError(`There is no instrument ${code} here.`);
  if (!instrument.requiresLicence) throw new ConflictError(`${instrument.title} needs no licence.`);
  const d = instrument.definition;
  const errors: { field: string; message: string }[] = [];
  for (const s of d.scores.filter((x) => x.kind === 'converted')) {
    const table = body.conversions[s.conversion!];
    if (!table) {
      errors.push({
        field: `conversions.${s.conversion}`,
        message: `Add the ${s.conversion} table your licence came with`,
      });
      continue;
    }
    const [min, max] = scoreRange(d, { ...s, kind: 'sum' });
    const raws = new Set(table.map((r) => r.raw));
    const missing = Array.from({ length: max - min + 1 }, (_, i) => min + i).filter((raw) => !raws.has(raw));
    if (missing.length > 0) {
      errors.push({
        field: `conversions.${s.conversion}`,
        message: `The table needs a row for every raw score from ${min} to ${max}: ${missing.join(', ')} missing`,
      });
    }
  }
  if (errors.length > 0) throw new ValidationError('The licence’s conversion tables are incomplete', errors);
  const org = actor.actingOrganisationId!;
  await tx
    .insert(outcomeLicences)
    .values({
      organisationId: org,
      instrumentCode: code,
      licenceReference: body.licenceReference,
      conversions: body.conversions,
      recordedBy: actor.userId,
      recordedAt: actor.now,
    })
    .onConflictDoUpdate({
      target: [outcomeLicences.organisationId, outcomeLicences.instrumentCode],
      set: {
        licenceReference: body.licenceReference,
        conversions: body.conversions,
        recordedBy: actor.userId,
        recordedAt: actor.now,
      },
    });
  await recordAudit(tx, actor, {
    action: 'outcomes.licence.recorded',
    recordType: 'outcome_licence',
    recordIds: [],
    detail: { code },
  });
  return { code, enabled: true };
}
