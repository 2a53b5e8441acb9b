import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { alsoAllowTenant } from '../../platform/transaction.ts';
import { londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { lookupPostcode } from '../geography/service.ts';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { organisationAndAbove } from '../organisations/service.ts';
import { needsDomains } from '../referrals/schema.ts';
import type {
  needTermsBody,
  reportBody,
  resolveReportBody,
  SearchQuery,
  SearchResult,
  ServiceDetail,
  verifyBody,
} from './contract.ts';
import { allSchedules } from './derive.ts';
import { reasonsOf, type Schedule, type Service, service as serviceSchema } from './oruk.ts';
import { orukServices, serviceRowColumns } from './read.ts';
import {
  directoryNeedTerms,
  directoryReports,
  directoryServiceHistory,
  directoryServices,
  directorySettings,
  directoryTaxonomies,
  directoryTaxonomyTerms,
} from './schema.ts';
import { type SearchRow, searchStatement, TYPO_TOLERANCE } from './search.ts';
import { writeServices } from './store.ts';
import { DEFAULT_NEED_TERMS, SHIPPED_TAXONOMY, SHIPPED_TERMS } from './taxonomy.ts';

/** Who may find services: everyone whose work is connecting people to them, and those who keep the directory. */
export const DIRECTORY_READERS = [
  'link_worker',
  'lead_link_worker',
  'directory_manager',
  'admin',
  'referrer',
] as const;
/** Who may add and change services: the ICB's directory managers and administrators. */
export const DIRECTORY_EDITORS = ['directory_manager', 'admin'] as const;
/** Who may confirm a service is still right, or report that it is not. */
export const DIRECTORY_CHECKERS = ['link_worker', 'lead_link_worker', 'directory_manager', 'admin'] as const;

/** Organisation → the ICB above it, remembered for 30 seconds: organisations move between ICBs rarely, if ever. */
const icbAbove = new Map<string, { at: number; icbId: string }>();

/** The ICB whose directory the actor works with: their organisation, or the ICB above it. */
export async function directoryOf(tx: Db, actor: Actor): Promise<string> {
  const acting = actor.actingOrganisationId;
  if (!acting)
    throw new ForbiddenError('Choose the organisation you are acting for before using the directory.');
  const hit = icbAbove.get(acting);
  if (hit && Date.now() - hit.at < 30_000) return hit.icbId;
  const icb = (await organisationAndAbove(tx, acting)).find((o) => o.type === 'icb');
  if (!icb) throw new ForbiddenError('Your organisation is not part of an ICB, so it has no directory.');
  if (icbAbove.size > 10_000) icbAbove.clear();
  icbAbove.set(acting, { at: Date.now(), icbId: icb.id });
  return icb.id;
}

/** Installs the shipped taxonomy, the default need → term mapping and the settings for an ICB that lacks them. */
export async function ensureDirectory(tx: Db, icbId: string, now: Date): Promise<void> {
  const [settings] = await tx
    .select({ id: directorySettings.organisationId })
    .from(directorySettings)
    .where(eq(directorySettings.organisationId, icbId));
  if (settings) return;
  await tx.insert(directorySettings).values({ organisationId: icbId, updatedAt: now }).onConflictDoNothing();
  await tx
    .insert(directoryTaxonomies)
    .values({ ...SHIPPED_TAXONOMY, organisationId: icbId, uri: null, updatedAt: now })
    .onConflictDoNothing();
  const byCode = new Map(SHIPPED_TERMS.map((t) => [t.code, t]));
  await tx
    .insert(directoryTaxonomyTerms)
    .values(
      SHIPPED_TERMS.map((t) => ({
        id: t.id,
        organisationId: icbId,
        taxonomyId: SHIPPED_TAXONOMY.id,
        parentId: t.parent ? byCode.get(t.parent)!.id : null,
        name: t.name,
        description: t.description,
        code: t.code,
        taxonomy: SHIPPED_TAXONOMY.name,
        termUri: null,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing();
  const known = new Set((await tx.select({ code: needsDomains.code }).from(needsDomains)).map((n) => n.code));
  const mapping = Object.entries(DEFAULT_NEED_TERMS)
    .filter(([need]) => known.has(need))
    .flatMap(([need, codes]) =>
      codes.map((code) => ({ organisationId: icbId, need, termId: byCode.get(code)!.id })),
    );
  if (mapping.length > 0) await tx.insert(directoryNeedTerms).values(mapping).onConflictDoNothing();
}

/** At start-up: every ICB has its directory's taxonomy and settings. */
export async function ensureAllDirectories(tx: Db, now: Date): Promise<void> {
  const icbs = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.type, 'icb'));
  for (const icb of icbs) await ensureDirectory(tx, icb.id, now);
}

/**
 * An ICB's directory settings, remembered for ten seconds (every search reads them). A change made here is seen
 * at once; one made by another process within ten seconds.
 */
const settingsCache = new Map<string, { at: number; settings: Settings }>();
type Settings = { staleAfterMonths: number; replyExpectedWithinDays: number; version: number };

async function settingsFor(tx: Db, icbId: string): Promise<Settings> {
  const hit = settingsCache.get(icbId);
  if (hit && Date.now() - hit.at < 10_000) return hit.settings;
  const [s] = await tx.select().from(directorySettings).where(eq(directorySettings.organisationId, icbId));
  const settings = s
    ? {
        staleAfterMonths: s.staleAfterMonths,
        replyExpectedWithinDays: s.replyExpectedWithinDays,
        version: s.version,
      }
    : { staleAfterMonths: 3, replyExpectedWithinDays: 10, version: 0 };
  if (s) settingsCache.set(icbId, { at: Date.now(), settings });
  return settings;
}

// ---------------------------------------------------------------------------------------------------------------
// Words a link worker reads

const DAY_NAMES: Record<string, string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
};
const ORDINALS: Record<string, string> = {
  '1': '1st',
  '2': '2nd',
  '3': '3rd',
  '4': '4th',
  '5': '5th',
  '-1': 'last',
};

/** "Tue 10:00–12:00", "2nd Thu 14:00–16:00", or the schedule's own description. */
export function scheduleWords(s: Schedule): string | null {
  if (!s.byday) return s.description ?? null;
  const days = s.byday
    .split(',')
    .map((d) => {
      const m = /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(d);
      if (!m) return d;
      const ordinal = m[1] ? `${ORDINALS[m[1].replace('+', '')] ?? m[1]} ` : '';
      return `${ordinal}${DAY_NAMES[m[2]!]}`;
    })
    .join(', ');
  const fortnightly = s.freq === 'WEEKLY' && s.interval === 2 ? ' (fortnightly)' : '';
  const times = s.opens_at
    ? ` ${s.opens_at.slice(0, 5)}${s.closes_at ? `–${s.closes_at.slice(0, 5)}` : ''}`
    : '';
  return `${days}${times}${fortnightly}`;
}

function monthsBefore(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

export function freshnessOf(assuredDate: string | null, today: string, staleAfterMonths: number) {
  if (!assuredDate) return { assuredDate, stale: true, words: 'never verified' };
  const stale = assuredDate < monthsBefore(today, staleAfterMonths);
  const days = Math.max(
    0,
    Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${assuredDate}T00:00:00Z`)) / 86_400_000),
  );
  const ago =
    days === 0
      ? 'today'
      : days === 1
        ? 'yesterday'
        : days < 14
          ? `${days} days ago`
          : days < 60
            ? `${Math.round(days / 7)} weeks ago`
            : `${Math.round(days / 30.44)} months ago`;
  return { assuredDate, stale, words: stale ? `last verified ${ago}` : `verified ${ago}` };
}

const kmWords = (km: number) => (km < 10 ? `${km.toFixed(1)} km` : `${Math.round(km)} km`);

// ---------------------------------------------------------------------------------------------------------------
// Search

export async function searchDirectory(tx: Db, actor: Actor, query: SearchQuery) {
  assertRole(actor, ...DIRECTORY_READERS);
  const icbId = await directoryOf(tx, actor);
  let origin: { postcode: string; latitude: number; longitude: number } | null = null;
  if (query.postcode) {
    const place = await lookupPostcode(tx, query.postcode);
    if (!place) {
      throw new ValidationError(
        `We do not know the postcode ${query.postcode.toUpperCase()}. Check it, or search without a postcode.`,
        { field: 'postcode' },
      );
    }
    origin = { postcode: query.postcode.toUpperCase(), latitude: place.latitude, longitude: place.longitude };
  }
  const needs = query.need ?? [];
  if (needs.length > 0) {
    const known = new Set(
      (
        await tx
          .select({ code: needsDomains.code })
          .from(needsDomains)
          .where(inArray(needsDomains.code, needs))
      ).map((n) => n.code),
    );
    const unknown = needs.filter((n) => !known.has(n));
    if (unknown.length > 0)
      throw new ValidationError(`Unknown need: ${unknown.join(', ')}`, { field: 'need' });
  }
  const withinKm = query.withinKm ?? (origin ? 10 : undefined);
  const run = async (fuzzy: boolean) =>
    rowsOf<SearchRow>(
      await tx.execute(
        searchStatement(
          icbId,
          {
            fuzzy,
            q: query.q,
            termIds: query.term,
            needs,
            withinKm,
            day: query.day,
            from: query.from,
            to: query.to,
            age: query.age,
            free: query.free,
            attending: query.attending,
            language: query.language,
            accessibility: query.accessibility,
            includeClosed: query.includeClosed && hasRole(actor, ...DIRECTORY_EDITORS),
            page: query.page,
            perPage: query.perPage,
          },
          origin,
          actor.now,
        ),
      ),
    );
  let rows = await run(false);
  // Nothing for those words: try words that look like them ("wlking" → "walking").
  const approximate = rows.length === 0 && query.page === 1 && !!query.q?.trim();
  if (approximate) {
    await tx.execute(TYPO_TOLERANCE);
    rows = await run(true);
  }
  const settings = await settingsFor(tx, icbId);
  const today = londonDate(actor.now);
  const wanted = new Set(query.term ?? []);
  if (needs.length > 0) {
    for (const r of await tx
      .select({ termId: directoryNeedTerms.termId })
      .from(directoryNeedTerms)
      .where(and(eq(directoryNeedTerms.organisationId, icbId), inArray(directoryNeedTerms.need, needs))))
      wanted.add(r.termId);
  }
  const termNames = new Map(rows.flatMap((r) => (r.terms ?? []).map((t) => [t.id, t.name] as const)));
  const unnamed = (query.term ?? []).filter((id) => !termNames.has(id));
  if (unnamed.length > 0)
    for (const [id, name] of await termNamesOf(tx, icbId, unnamed)) termNames.set(id, name);
  const narrowedBy = [
    ...needs.map((n) => `need: ${n.replaceAll('_', ' ')}`),
    ...(query.term ?? []).map((id) => termNames.get(id) ?? id),
  ];
  const items: SearchResult[] = rows.map((r) => {
    const record = r.record as Service;
    const schedules = allSchedules({
      ...record,
      schedules: record.schedules ?? [],
      service_at_locations: [],
    });
    const when = schedules.map(scheduleWords).filter((w): w is string => !!w);
    const terms = r.term_ids
      .filter((id) => termNames.has(id))
      .map((id) => ({ id, name: termNames.get(id)! }));
    const matchedTerms = terms.filter((t) => wanted.has(t.id));
    const freshness = freshnessOf(r.assured_date, today, settings.staleAfterMonths);
    const distanceKm = r.distance_km === null ? null : Number(r.distance_km);
    const dayWhen =
      query.day === undefined ? when[0] : (when.find((w) => w.includes(DAY_NAMES[query.day!]!)) ?? when[0]);
    const reasons = [
      ...(matchedTerms.length > 0 ? matchedTerms : terms.slice(0, 1)).map((t) => t.name.toLowerCase()),
      distanceKm !== null
        ? kmWords(distanceKm)
        : r.attending_types.includes('in_person')
          ? null
          : 'online or phone',
      r.is_free ? 'free' : null,
      dayWhen ?? null,
      freshness.words,
    ].filter((x): x is string => !!x);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      organisationName: r.organisation_name,
      status: r.status,
      distanceKm,
      locationName: r.location_name,
      postcode: r.location_postcode,
      isFree: r.is_free,
      attending: r.attending_types,
      when,
      terms,
      reasons,
      freshness,
    };
  });
  return {
    items,
    total: rows[0] ? Number(rows[0].total) : 0,
    page: query.page,
    perPage: query.perPage,
    origin,
    narrowedBy,
    approximate: approximate && rows.length > 0,
  };
}

async function termNamesOf(tx: Db, icbId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: directoryTaxonomyTerms.id, name: directoryTaxonomyTerms.name })
    .from(directoryTaxonomyTerms)
    .where(and(eq(directoryTaxonomyTerms.organisationId, icbId), inArray(directoryTaxonomyTerms.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

// ---------------------------------------------------------------------------------------------------------------
// One service

async function serviceRow(tx: Db, icbId: string, id: string, forUpdate = false) {
  const query = tx
    .select({
      ...serviceRowColumns,
      version: directoryServices.version,
      source: directoryServices.source,
      sourceId: directoryServices.sourceId,
      assuredDate: directoryServices.assuredDate,
      termIds: directoryServices.termIds,
      name: directoryServices.name,
      updatedBy: directoryServices.updatedBy,
      lastChange: directoryServices.lastChange,
      lastChangeNote: directoryServices.lastChangeNote,
    })
    .from(directoryServices)
    .where(and(eq(directoryServices.organisationId, icbId), eq(directoryServices.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw new NotFoundError('There is no service with this id in your directory.');
  return row;
}

export async function getService(
  tx: Db,
  actor: Actor,
  id: string,
  usage: ServiceDetail['usage'],
): Promise<ServiceDetail> {
  assertRole(actor, ...DIRECTORY_READERS);
  const icbId = await directoryOf(tx, actor);
  const row = await serviceRow(tx, icbId, id);
  const [oruk] = await orukServices(tx, icbId, [row]);
  const settings = await settingsFor(tx, icbId);
  const canEdit = hasRole(actor, ...DIRECTORY_EDITORS) && actor.actingOrganisationId === icbId;
  const checker = hasRole(actor, ...DIRECTORY_CHECKERS);
  if (checker) await alsoAllowTenant(tx, actor, icbId);
  const [reports, history] = await Promise.all([
    checker
      ? tx
          .select({
            id: directoryReports.id,
            kind: directoryReports.kind,
            note: directoryReports.note,
            reportedAt: directoryReports.reportedAt,
            reportedBy: users.name,
          })
          .from(directoryReports)
          .innerJoin(users, eq(users.id, directoryReports.reportedBy))
          .where(
            and(
              eq(directoryReports.organisationId, icbId),
              eq(directoryReports.serviceId, id),
              isNull(directoryReports.resolvedAt),
            ),
          )
          .orderBy(asc(directoryReports.reportedAt))
      : [],
    canEdit
      ? tx
          .select({
            version: directoryServiceHistory.version,
            change: directoryServiceHistory.change,
            note: directoryServiceHistory.note,
            changedAt: directoryServiceHistory.changedAt,
            changedBy: users.name,
          })
          .from(directoryServiceHistory)
          .leftJoin(users, eq(users.id, directoryServiceHistory.changedBy))
          .where(
            and(eq(directoryServiceHistory.organisationId, icbId), eq(directoryServiceHistory.serviceId, id)),
          )
          .orderBy(desc(directoryServiceHistory.version))
          .limit(49)
      : [],
  ]);
  // The current version is the service row itself; the history table holds the ones it replaced.
  const [currentBy] =
    canEdit && row.updatedBy
      ? await tx.select({ name: users.name }).from(users).where(eq(users.id, row.updatedBy))
      : [];
  const versions = canEdit
    ? [
        {
          version: row.version,
          change: row.lastChange as string,
          note: row.lastChangeNote,
          changedAt: row.updatedAt,
          changedBy: currentBy?.name ?? null,
        },
        ...history,
      ]
    : [];
  const parsed = serviceSchema.safeParse(oruk);
  const schedules = parsed.success ? allSchedules(parsed.data) : [];
  const termNames = await termNamesOf(tx, icbId, row.termIds);
  return {
    id,
    version: row.version,
    source: row.source,
    oruk: oruk!,
    freshness: freshnessOf(row.assuredDate, londonDate(actor.now), settings.staleAfterMonths),
    terms: row.termIds.filter((t) => termNames.has(t)).map((t) => ({ id: t, name: termNames.get(t)! })),
    when: schedules.map(scheduleWords).filter((w): w is string => !!w),
    openReports: reports.map((r) => ({ ...r, reportedAt: r.reportedAt.toISOString() })),
    history: versions.map((h) => ({ ...h, changedAt: h.changedAt.toISOString() })),
    usage,
    canEdit,
  };
}

/** How link workers used a service: counted over every PCN of the ICB, percentages only from 5 replies up. */
export async function serviceUsage(
  tx: Db,
  icbId: string,
  serviceId: string,
): Promise<ServiceDetail['usage']> {
  const [u] = rowsOf<{
    connections: number;
    replied: number;
    accepted: number;
    outcome_known: number;
    attended: number;
    wait_days: number | null;
  }>(
    await tx.execute(sql`
      with c as (
        select c.id, c.connected_on,
          bool_or(e.status in ('accepted', 'declined')) as replied,
          bool_or(e.status = 'accepted') as accepted,
          bool_or(e.status in ('attended', 'did_not_attend')) as outcome_known,
          bool_or(e.status = 'attended') as attended,
          min(e.on) filter (where e.status in ('accepted', 'declined')) as replied_on
        from connections c left join connection_events e on e.connection_id = c.id
        where c.directory_id = ${icbId} and c.service_id = ${serviceId}
        group by c.id, c.connected_on
      )
      select count(*)::int as connections,
        count(*) filter (where replied)::int as replied,
        count(*) filter (where accepted)::int as accepted,
        count(*) filter (where outcome_known)::int as outcome_known,
        count(*) filter (where attended)::int as attended,
        percentile_cont(0.5) within group (order by replied_on - connected_on) as wait_days
      from c`),
  );
  const replied = Number(u?.replied ?? 0);
  const known = Number(u?.outcome_known ?? 0);
  return {
    connections: Number(u?.connections ?? 0),
    acceptedPercent: replied >= 5 ? Math.round((100 * Number(u!.accepted)) / replied) : null,
    attendedPercent: known >= 5 ? Math.round((100 * Number(u!.attended)) / known) : null,
    typicalWaitDays: replied >= 5 && u?.wait_days != null ? Math.round(Number(u.wait_days)) : null,
    suppressed: replied < 5 || known < 5,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Keeping the directory right

function assertEditor(actor: Actor, icbId: string) {
  assertRole(actor, ...DIRECTORY_EDITORS);
  if (actor.actingOrganisationId !== icbId) {
    throw new ForbiddenError(
      'Services are added and changed by the ICB that owns the directory: act for the ICB.',
    );
  }
}

/** A directory manager adds or changes a service, with the same rules as an import. */
export async function saveService(
  tx: Db,
  actor: Actor,
  input: unknown,
  expectedVersion: number | null,
): Promise<{ id: string; version: number }> {
  const icbId = await directoryOf(tx, actor);
  assertEditor(actor, icbId);
  const parsed = serviceSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      'The service has problems: check the fields named',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    );
  }
  const svc = parsed.data;
  const [before] = await tx
    .select({ version: directoryServices.version, source: directoryServices.source })
    .from(directoryServices)
    .where(and(eq(directoryServices.organisationId, icbId), eq(directoryServices.id, svc.id)))
    .for('update');
  if (expectedVersion === null && before) throw new ConflictError('There is already a service with this id.');
  if (expectedVersion !== null) {
    if (!before) throw new NotFoundError('There is no service with this id in your directory.');
    if (before.version !== expectedVersion) throw new VersionConflictError('service', before.version);
  }
  const [outcome] = await writeServices(tx, icbId, [{ sourceId: svc.id, service: svc }], {
    source: before?.source ?? 'linkwork',
    change: before ? 'edited' : 'created',
    by: actor.userId,
    importId: null,
    now: actor.now,
  });
  if (outcome!.outcome === 'rejected') {
    throw new ValidationError(
      'The service has problems: check the fields named',
      outcome!.reasons.map((r) => {
        const [field, ...rest] = r.split(': ');
        return {
          field: rest.length > 0 ? field! : 'service',
          message: rest.length > 0 ? rest.join(': ') : r,
        };
      }),
    );
  }
  await recordAudit(tx, actor, {
    action: before ? 'directory.service.edited' : 'directory.service.created',
    recordType: 'directory_service',
    recordIds: [svc.id],
    organisationId: icbId,
  });
  return { id: svc.id, version: (before?.version ?? 0) + 1 };
}

/** A link worker or directory manager confirms the details are right today: the assured date moves on. */
export async function verifyService(
  tx: Db,
  actor: Actor,
  id: string,
  body: z.infer<typeof verifyBody>,
): Promise<{ version: number }> {
  assertRole(actor, ...DIRECTORY_CHECKERS);
  const icbId = await directoryOf(tx, actor);
  await alsoAllowTenant(tx, actor, icbId);
  const row = await serviceRow(tx, icbId, id, true);
  if (row.version !== body.version) throw new VersionConflictError('service', row.version);
  const [oruk] = await orukServices(tx, icbId, [row]);
  const [me] = await tx.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
  const parsed = serviceSchema.safeParse({
    ...oruk,
    assured_date: londonDate(actor.now),
    assurer_email: me?.email,
  });
  if (!parsed.success) {
    throw new ConflictError(
      `This service's record has problems that must be fixed before it can be verified: ${reasonsOf(parsed.error).join('; ')}`,
    );
  }
  await writeServices(tx, icbId, [{ sourceId: row.sourceId, service: parsed.data }], {
    source: row.source,
    change: 'verified',
    by: actor.userId,
    importId: null,
    now: actor.now,
    note: body.note ?? null,
  });
  await recordAudit(tx, actor, {
    action: 'directory.service.verified',
    recordType: 'directory_service',
    recordIds: [id],
    organisationId: icbId,
  });
  return { version: row.version + 1 };
}

export async function reportService(
  tx: Db,
  actor: Actor,
  id: string,
  body: z.infer<typeof reportBody>,
): Promise<{ id: string }> {
  assertRole(actor, ...DIRECTORY_CHECKERS);
  const icbId = await directoryOf(tx, actor);
  await alsoAllowTenant(tx, actor, icbId);
  await serviceRow(tx, icbId, id);
  const reportId = newId();
  await tx.insert(directoryReports).values({
    id: reportId,
    organisationId: icbId,
    serviceId: id,
    kind: body.kind,
    note: body.note,
    reportedBy: actor.userId,
    reportedFor: actor.actingOrganisationId!,
    reportedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'directory.service.reported',
    recordType: 'directory_service',
    recordIds: [id],
    organisationId: icbId,
    detail: { kind: body.kind },
  });
  return { id: reportId };
}

export async function resolveReport(
  tx: Db,
  actor: Actor,
  reportId: string,
  body: z.infer<typeof resolveReportBody>,
): Promise<void> {
  const icbId = await directoryOf(tx, actor);
  assertEditor(actor, icbId);
  const [report] = await tx
    .select()
    .from(directoryReports)
    .where(and(eq(directoryReports.organisationId, icbId), eq(directoryReports.id, reportId)))
    .for('update');
  if (!report) throw new NotFoundError('There is no such report in your directory.');
  if (report.resolvedAt) throw new ConflictError('This report was already resolved.');
  await tx
    .update(directoryReports)
    .set({ resolvedAt: actor.now, resolvedBy: actor.userId, resolution: body.resolution })
    .where(eq(directoryReports.id, reportId));
  if (body.status) {
    const row = await serviceRow(tx, icbId, report.serviceId, true);
    const [oruk] = await orukServices(tx, icbId, [row]);
    const parsed = serviceSchema.parse({ ...oruk, status: body.status });
    await writeServices(tx, icbId, [{ sourceId: row.sourceId, service: parsed }], {
      source: row.source,
      change: 'reported',
      by: actor.userId,
      importId: null,
      now: actor.now,
      note: body.resolution,
    });
  }
  await recordAudit(tx, actor, {
    action: 'directory.report.resolved',
    recordType: 'directory_service',
    recordIds: [report.serviceId],
    organisationId: icbId,
  });
}

/** Verification tasks: services not verified within the configured months, and open reports, oldest first. */
export async function verificationTasks(tx: Db, actor: Actor, page: number, perPage: number) {
  assertRole(actor, ...DIRECTORY_CHECKERS);
  const icbId = await directoryOf(tx, actor);
  // Reports belong to the ICB; the PCN's link workers are who act on them.
  await alsoAllowTenant(tx, actor, icbId);
  const settings = await settingsFor(tx, icbId);
  const staleBefore = monthsBefore(londonDate(actor.now), settings.staleAfterMonths);
  const rows = rowsOf<{
    service_id: string;
    name: string;
    organisation_name: string | null;
    kind: 'stale' | 'closed' | 'details_wrong';
    assured_date: string | null;
    note: string | null;
    since: string | null;
    total: number;
  }>(
    await tx.execute(sql`
      select t.*, count(*) over () as total from (
        select r.service_id, s.name, o.name as organisation_name, r.kind, s.assured_date, r.note,
          to_char(r.reported_at at time zone 'Europe/London', 'YYYY-MM-DD') as since, 0 as priority
        from directory_reports r
        join directory_services s on s.organisation_id = r.organisation_id and s.id = r.service_id
        left join directory_organisations o on o.organisation_id = s.organisation_id and o.id = s.directory_organisation_id
        where r.organisation_id = ${icbId} and r.resolved_at is null
        union all
        select s.id, s.name, o.name, 'stale', s.assured_date, null, s.assured_date::text, 1
        from directory_services s
        left join directory_organisations o on o.organisation_id = s.organisation_id and o.id = s.directory_organisation_id
        where s.organisation_id = ${icbId} and s.status = 'active'
          and (s.assured_date is null or s.assured_date < ${staleBefore}::date)
      ) t
      order by priority, since nulls first, name
      limit ${perPage} offset ${(page - 1) * perPage}`),
  );
  return {
    items: rows.map((r) => ({
      serviceId: r.service_id,
      name: r.name,
      organisationName: r.organisation_name,
      kind: r.kind,
      assuredDate: r.assured_date,
      note: r.note,
      since: r.since,
    })),
    total: rows[0] ? Number(rows[0].total) : 0,
    staleAfterMonths: settings.staleAfterMonths,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Needs → terms, taxonomy, settings

export async function getNeedTerms(tx: Db, actor: Actor) {
  assertRole(actor, ...DIRECTORY_READERS);
  const icbId = await directoryOf(tx, actor);
  const needs = await tx.select().from(needsDomains).orderBy(asc(needsDomains.position));
  const mapped = await tx
    .select({
      need: directoryNeedTerms.need,
      id: directoryTaxonomyTerms.id,
      name: directoryTaxonomyTerms.name,
    })
    .from(directoryNeedTerms)
    .innerJoin(
      directoryTaxonomyTerms,
      and(
        eq(directoryTaxonomyTerms.organisationId, directoryNeedTerms.organisationId),
        eq(directoryTaxonomyTerms.id, directoryNeedTerms.termId),
      ),
    )
    .where(eq(directoryNeedTerms.organisationId, icbId))
    .orderBy(asc(directoryTaxonomyTerms.name));
  return {
    items: needs.map((n) => ({
      need: n.code,
      label: n.label,
      terms: mapped.filter((m) => m.need === n.code).map((m) => ({ id: m.id, name: m.name })),
    })),
  };
}

export async function setNeedTerms(tx: Db, actor: Actor, body: z.infer<typeof needTermsBody>) {
  const icbId = await directoryOf(tx, actor);
  assertEditor(actor, icbId);
  const known = new Set((await tx.select({ code: needsDomains.code }).from(needsDomains)).map((n) => n.code));
  const termIds = [...new Set(body.items.flatMap((i) => i.termIds))];
  const terms = await termNamesOf(tx, icbId, termIds);
  const errors = body.items.flatMap((item, i) => [
    ...(known.has(item.need) ? [] : [{ field: `items.${i}.need`, message: `Unknown need ${item.need}` }]),
    ...item.termIds
      .map((id, j) => ({ id, j }))
      .filter(({ id }) => !terms.has(id))
      .map(({ j }) => ({ field: `items.${i}.termIds.${j}`, message: 'This term is not in your directory' })),
  ]);
  if (errors.length > 0) throw new ValidationError('Some needs or terms are not known', errors);
  const needs = body.items.map((i) => i.need);
  if (needs.length > 0) {
    await tx
      .delete(directoryNeedTerms)
      .where(and(eq(directoryNeedTerms.organisationId, icbId), inArray(directoryNeedTerms.need, needs)));
  }
  const rows = body.items.flatMap((i) =>
    i.termIds.map((termId) => ({ organisationId: icbId, need: i.need, termId })),
  );
  if (rows.length > 0) await tx.insert(directoryNeedTerms).values(rows).onConflictDoNothing();
  await recordAudit(tx, actor, {
    action: 'directory.needs.mapped',
    organisationId: icbId,
    detail: { needs },
  });
  return getNeedTerms(tx, actor);
}

export async function listTerms(tx: Db, actor: Actor) {
  assertRole(actor, ...DIRECTORY_READERS);
  const icbId = await directoryOf(tx, actor);
  const rows = await tx
    .select({
      id: directoryTaxonomyTerms.id,
      name: directoryTaxonomyTerms.name,
      parentId: directoryTaxonomyTerms.parentId,
      description: directoryTaxonomyTerms.description,
    })
    .from(directoryTaxonomyTerms)
    .where(eq(directoryTaxonomyTerms.organisationId, icbId))
    .orderBy(asc(directoryTaxonomyTerms.name));
  return { items: rows };
}

export async function getDirectorySettings(tx: Db, actor: Actor) {
  assertRole(actor, ...DIRECTORY_READERS);
  const icbId = await directoryOf(tx, actor);
  const s = await settingsFor(tx, icbId);
  return {
    staleAfterMonths: s.staleAfterMonths,
    replyExpectedWithinDays: s.replyExpectedWithinDays,
    version: s.version,
  };
}

export async function updateDirectorySettings(
  tx: Db,
  actor: Actor,
  body: { staleAfterMonths: number; replyExpectedWithinDays: number; version: number },
) {
  const icbId = await directoryOf(tx, actor);
  assertEditor(actor, icbId);
  await ensureDirectory(tx, icbId, actor.now);
  const updated = await tx
    .update(directorySettings)
    .set({
      staleAfterMonths: body.staleAfterMonths,
      replyExpectedWithinDays: body.replyExpectedWithinDays,
      version: sql`${directorySettings.version} + 1`,
      updatedAt: actor.now,
      updatedBy: actor.userId,
    })
    .where(and(eq(directorySettings.organisationId, icbId), eq(directorySettings.version, body.version)))
    .returning({ version: directorySettings.version });
  settingsCache.delete(icbId);
  if (updated.length === 0) {
    const current = await settingsFor(tx, icbId);
    throw new VersionConflictError('directory setting', current.version);
  }
  await recordAudit(tx, actor, { action: 'directory.settings.updated', organisationId: icbId });
  return getDirectorySettings(tx, actor);
}
