// The SQL the pathway services run, as raw statements for bench/pathway.ts to run beside the API.
//
// Caseload and timeline: the exact statements the services run, rendered from the functions the pathway module
// exports for this (caseloadStatement, timelineStatement). Triage: the service builds its query inline, so
// triageQueueSql and otherEpisodesSql below rebuild the same two queries (the queue, then a count of each person's
// episodes) with the same query builder calls; keep them in step with triageQueue() in
// src/modules/referrals/service.ts, or export
// them from there. Intake: RAW_INTAKE_SQL is the floor for taking in a referral, one statement inserting the
// person and the referral, not what the service does (which also checks reasons, matches people and audits).
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias, PgDialect, QueryBuilder } from 'drizzle-orm/pg-core';
import { users } from '../src/modules/identity/schema.ts';
import { caseloadStatement } from '../src/modules/pathway/caseload.ts';
import { timelineStatement } from '../src/modules/pathway/episode.ts';
import { people } from '../src/modules/people/schema.ts';
import { referrals } from '../src/modules/referrals/schema.ts';

export interface RawQuery {
  text: string;
  params: unknown[];
}

const dialect = new PgDialect();
const qb = new QueryBuilder();

export function caseloadSql(organisationId: string, linkWorkerId: string, now: Date): RawQuery {
  const q = dialect.sqlToQuery(caseloadStatement(organisationId, linkWorkerId, now));
  return { text: q.sql, params: q.params };
}

export function timelineSql(personId: string, now: Date): RawQuery {
  const q = dialect.sqlToQuery(timelineStatement(personId, now));
  return { text: q.sql, params: q.params };
}

const allocated = alias(users, 'allocated');

/** BENCH COPY of triageQueue()'s first query (src/modules/referrals/service.ts): the queue with people's details. */
export function triageQueueSql(organisationId: string): RawQuery {
  const q = qb
    .select({
      r: referrals,
      givenName: people.givenName,
      familyName: people.familyName,
      dateOfBirth: people.dateOfBirth,
      sex: people.sex,
      nhsNumber: people.nhsNumber,
      phone: people.phone,
      email: people.email,
      postcode: people.postcode,
      preferredContactMethod: people.preferredContactMethod,
      preferredContactTimes: people.preferredContactTimes,
      interpreterLanguage: people.interpreterLanguage,
      accessibilityNeeds: people.accessibilityNeeds,
      allocatedName: allocated.name,
    })
    .from(referrals)
    .innerJoin(people, eq(people.id, referrals.personId))
    .leftJoin(allocated, eq(allocated.id, referrals.allocatedLinkWorkerId))
    .where(and(eq(referrals.organisationId, organisationId), eq(referrals.status, 'awaiting_triage')))
    .orderBy(desc(sql`${referrals.urgency} = 'urgent'`), asc(referrals.receivedAt))
    .limit(500)
    .toSQL();
  return { text: q.sql, params: q.params };
}

/** BENCH COPY of triageQueue()'s second query: how many episodes each person in the queue has had. */
export function otherEpisodesSql(personIds: string[]): RawQuery {
  const q = qb
    .select({ personId: referrals.personId, n: sql<number>`count(*)::int` })
    .from(referrals)
    .where(inArray(referrals.personId, personIds))
    .groupBy(referrals.personId)
    .toSQL();
  return { text: q.sql, params: q.params };
}

/**
 * BENCH-WRITTEN floor for intake: a new person and their referral in one statement (one transaction). Parameters:
 * $1 person id, $2 PCN id, $3 given name, $4 family name, $5 date of birth, $6 sex, $7 postcode, $8 phone,
 * $9 referral id, $10 referrer user id, $11 referring organisation id, $12 reasons (JSON), $13 context,
 * $14 reference.
 */
export const RAW_INTAKE_SQL = `
  WITH person AS (
    INSERT INTO people (id, organisation_id, given_name, family_name, date_of_birth, sex, ethnic_category,
      address_lines, postcode, phone, consent_to_share_with_services, version, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, 'Z', '[]', $7, $8, false, 1, now(), now())
    RETURNING id, organisation_id)
  INSERT INTO referrals (id, organisation_id, person_id, source, referrer_user_id, referring_organisation_id,
    reasons, context, urgency, consent_to_referral, status, received_at, reference, possible_duplicate_person_ids,
    version, created_at, updated_at)
  SELECT $9, person.organisation_id, person.id, 'professional', $10, $11, $12::jsonb, $13, 'routine', true,
    'awaiting_triage', now(), $14, '[]', 1, now(), now()
  FROM person`;
