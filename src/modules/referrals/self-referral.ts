import { and, eq, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { SystemContext } from '../../platform/actor.ts';
import { hours } from '../../platform/clock.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { takeRateLimit } from '../../platform/rate-limit.ts';
import { recordAudit } from '../audit/service.ts';
import { organisations } from '../organisations/schema.ts';
import type { PersonInput } from '../people/contract.ts';
import { createPerson, probableMatches } from '../people/service.ts';
import type { SelfReferralInput } from './contract.ts';
import { needsDomains, referrals } from './schema.ts';
import { newReference } from './service.ts';

const SELF_REFERRALS_PER_IP_PER_HOUR = 5;

/** A PCN's public self-referral page is found by its ODS code (or id); only the name is shown. */
export async function findPublicPcn(
  tx: Db,
  ref: string,
): Promise<{ id: string; name: string; reference: string }> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const [pcn] = await tx
    .select({ id: organisations.id, name: organisations.name, ods: organisations.odsCode })
    .from(organisations)
    .where(
      and(
        eq(organisations.type, 'pcn'),
        isUuid
          ? or(eq(organisations.id, ref), eq(organisations.odsCode, ref.toUpperCase()))
          : eq(organisations.odsCode, ref.toUpperCase()),
      ),
    );
  if (!pcn)
    throw new NotFoundError(
      'We could not find this social prescribing service. Check the web address you were given.',
    );
  return { id: pcn.id, name: pcn.name, reference: pcn.ods ?? pcn.id };
}

/**
 * A person refers themself to a PCN's link worker service, without signing in. Protected by a per-address rate
 * limit (counted even when refused) and a honeypot field: a filled honeypot gets a believable answer and stores nothing.
 */
export async function selfRefer(
  tx: Db,
  ctx: SystemContext,
  pcnRef: string,
  input: SelfReferralInput,
): Promise<{ reference: string; pcnName: string; stored: boolean }> {
  const pcn = await findPublicPcn(tx, pcnRef);
  await takeRateLimit(
    tx,
    `self-referral:${ctx.ip ?? 'unknown'}`,
    SELF_REFERRALS_PER_IP_PER_HOUR,
    hours(1),
    ctx.now,
    'You have sent several referrals in the last hour. Please wait an hour, or phone your GP practice.',
  );
  const reference = newReference();
  const person: PersonInput = {
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    sex: 'not_stated',
    ethnicCategory: 'Z',
    addressLines: [],
    postcode: input.postcode ?? null,
    phone: input.phone ?? null,
    email: input.email ?? null,
    preferredContactMethod: input.preferredContactMethod ?? null,
    consentToShareWithServices: false,
  };
  if (input.website) return { reference, pcnName: pcn.name, stored: false };
  const known = new Set((await tx.select({ code: needsDomains.code }).from(needsDomains)).map((r) => r.code));
  const personId = await createPerson(tx, ctx.now, pcn.id, person, { fieldPrefix: '', addressee: 'your' });
  const possibleDuplicatePersonIds = await probableMatches(tx, pcn.id, personId, {
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    postcode: input.postcode ?? null,
  });
  const id = newId();
  await tx.insert(referrals).values({
    id,
    organisationId: pcn.id,
    personId,
    source: 'self',
    reasons: [...new Set(input.reasons.filter((r) => known.has(r)))],
    context: input.whatMatters ?? null,
    urgency: 'routine',
    consentToReferral: true,
    status: 'awaiting_triage',
    receivedAt: ctx.now,
    reference,
    possibleDuplicatePersonIds,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: 'referral.self_referred',
    recordType: 'referral',
    recordIds: [id, personId],
    organisationId: pcn.id,
  });
  return { reference, pcnName: pcn.name, stored: true };
}
