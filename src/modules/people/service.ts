import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { lookupPostcode } from '../geography/service.ts';
import { organisations } from '../organisations/schema.ts';
import type { PersonInput } from './contract.ts';
import { isProbableMatch, type MatchablePerson } from './matching.ts';
import { people } from './schema.ts';

export async function findPersonByNhsNumber(
  tx: Db,
  pcnId: string,
  nhsNumber: string,
): Promise<string | null> {
  const [existing] = await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.organisationId, pcnId), eq(people.nhsNumber, nhsNumber)));
  return existing?.id ?? null;
}

/**
 * Adds a person to a PCN: the date of birth must be past, a registered practice must be a practice, and the LSOA
 * and IMD decile come from the postcode when the geography tables know it (blank otherwise, never guessed).
 */
export async function createPerson(
  tx: Db,
  now: Date,
  pcnId: string,
  input: PersonInput,
  options: { fieldPrefix: string; addressee?: 'their' | 'your' },
): Promise<string> {
  if (new Date(`${input.dateOfBirth}T00:00:00Z`) > now) {
    throw new ValidationError(
      `${options.addressee === 'your' ? 'Your date' : 'Date'} of birth must be in the past`,
      {
        field: `${options.fieldPrefix}dateOfBirth`,
      },
    );
  }
  if (input.registeredPracticeId) {
    const [practice] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.id, input.registeredPracticeId), eq(organisations.type, 'gp_practice')));
    if (!practice) {
      throw new ValidationError('Choose a GP practice from the list', {
        field: `${options.fieldPrefix}registeredPracticeId`,
      });
    }
  }
  const id = newId();
  const place = await lookupPostcode(tx, input.postcode);
  await tx.insert(people).values({
    id,
    organisationId: pcnId,
    lsoaCode: place?.lsoaCode ?? null,
    imdDecile: place?.imdDecile ?? null,
    nhsNumber: input.nhsNumber ?? null,
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    sex: input.sex,
    genderIdentity: input.genderIdentity ?? null,
    ethnicCategory: input.ethnicCategory,
    addressLines: input.addressLines,
    postcode: input.postcode ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    preferredContactMethod: input.preferredContactMethod ?? null,
    preferredContactTimes: input.preferredContactTimes ?? null,
    interpreterLanguage: input.interpreterLanguage ?? null,
    accessibilityNeeds: input.accessibilityNeeds ?? null,
    registeredPracticeId: input.registeredPracticeId ?? null,
    consentToShareWithServices: input.consentToShareWithServices,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/** People already in the PCN who may be the person just added: same date of birth, names alike. */
export async function probableMatches(
  tx: Db,
  pcnId: string,
  personId: string,
  person: MatchablePerson,
): Promise<string[]> {
  const sameBirthday = await tx
    .select({
      id: people.id,
      givenName: people.givenName,
      familyName: people.familyName,
      dateOfBirth: people.dateOfBirth,
      postcode: people.postcode,
    })
    .from(people)
    .where(
      and(
        eq(people.organisationId, pcnId),
        eq(people.dateOfBirth, person.dateOfBirth),
        isNull(people.mergedIntoPersonId),
        ne(people.id, personId),
      ),
    )
    .limit(200);
  return sameBirthday.filter((p) => isProbableMatch(person, p)).map((p) => p.id);
}
