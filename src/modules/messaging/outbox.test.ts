import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { makeOrganisation } from '../../../test/factories.ts';
import { ValidationError } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { enqueueMessage, type NewMessage } from './outbox.ts';
import { maskRecipient, normaliseEmail, normaliseUkMobile } from './recipients.ts';
import { messageOutbox } from './schema.ts';

describe('recipients', () => {
  it('reads UK mobile numbers however people write them, as +447…', () => {
    for (const written of [
      '07700 900123',
      '07700-900-123',
      '+44 7700 900123',
      '+44 (0)7700 900123',
      '0044 7700900123',
      '447700900123',
    ]) {
      expect(normaliseUkMobile(written), written).toBe('+447700900123');
    }
  });

  it('refuses landlines, short or long numbers, other countries and words', () => {
    for (const written of [
      '01632 960001',
      '020 7946 0000',
      '0770090012',
      '077009001234',
      '+33 6 12 34 56 78',
      'seven',
      '',
      '+',
    ]) {
      expect(normaliseUkMobile(written), written).toBeNull();
    }
  });

  it('gives every accepted number the same shape, and never throws (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (input) => {
        const result = normaliseUkMobile(input);
        expect(result === null || /^\+447\d{9}$/.test(result)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^7\d{9}$/),
        fc.constantFrom('0', '+44', '+44 (0)', '0044 '),
        (rest, prefix) => {
          expect(normaliseUkMobile(`${prefix}${rest}`)).toBe(`+44${rest}`);
        },
      ),
    );
  });

  it('accepts email addresses and refuses what is not one', () => {
    expect(normaliseEmail(' ada@example.com ')).toBe('ada@example.com');
    for (const bad of ['ada', 'ada@', '@example.com', 'ada @example.com', 'ada@example']) {
      expect(normaliseEmail(bad), bad).toBeNull();
    }
  });

  it('masks recipients so they can be recognised but not used', () => {
    expect(maskRecipient('sms', '+447700900123')).toBe('07••••••123');
    expect(maskRecipient('email', 'ada.lovelace@example.com')).toBe('a•••@example.com');
  });
});

describeEachDatabase('queuing a message', (db) => {
  const now = new Date('2026-11-26T09:00:00Z');
  const system = { system: true as const, now };
  const message = (organisationId: string, over: Partial<NewMessage> = {}): NewMessage => ({
    organisationId,
    channel: 'sms',
    template: 'appointment_reminder',
    recipient: '07700 900123',
    personalisation: {
      name: 'Ada',
      when: 'Friday 27 November 2026 at 10:30am',
      where: 'Library',
      service: 'PCN',
    },
    ...over,
  });
  const enqueue = (m: NewMessage) => inTransaction(db().db, system, (tx) => enqueueMessage(tx, now, m));
  const rowOf = (id: string) =>
    inTransaction(
      db().db,
      system,
      async (tx) => (await tx.select().from(messageOutbox).where(eq(messageOutbox.id, id)))[0],
    );

  it('stores it queued, due now, with the number normalised', async () => {
    const pcn = await makeOrganisation(db().db, { type: 'pcn' });
    const { id, queued } = await enqueue(message(pcn));
    expect(queued).toBe(true);
    expect(await rowOf(id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      recipient: '+447700900123',
      nextAttemptAt: now,
      organisationId: pcn,
    });
  });

  it('queues a repeated dedupe key once per organisation, and gives back the first', async () => {
    const pcn = await makeOrganisation(db().db, { type: 'pcn' });
    const other = await makeOrganisation(db().db, { type: 'pcn' });
    const first = await enqueue(message(pcn, { dedupeKey: 'appointment:x:2026-11-27' }));
    const again = await enqueue(message(pcn, { dedupeKey: 'appointment:x:2026-11-27' }));
    const elsewhere = await enqueue(message(other, { dedupeKey: 'appointment:x:2026-11-27' }));
    expect(again).toEqual({ id: first.id, queued: false });
    expect(elsewhere.queued).toBe(true);
    expect(elsewhere.id).not.toBe(first.id);
  });

  it('names the field that is wrong', async () => {
    const pcn = await makeOrganisation(db().db, { type: 'pcn' });
    const fieldsOf = async (m: NewMessage) => {
      const error = await enqueue(m).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).errors.map((e) => e.field);
    };
    expect(await fieldsOf(message(pcn, { recipient: '01632 960001' }))).toEqual(['recipient']);
    expect(await fieldsOf(message(pcn, { channel: 'email', recipient: 'not-an-address' }))).toEqual([
      'recipient',
    ]);
    expect(
      await fieldsOf(
        message(pcn, { personalisation: { name: 'Ada', when: ' ', service: 'PCN', colour: 'red' } }),
      ),
    ).toEqual(['personalisation.when', 'personalisation.where', 'personalisation.colour']);
  });

  it('cannot be queued for an organisation outside the caller’s tenant (row-level security)', async () => {
    const pcn = await makeOrganisation(db().db, { type: 'pcn' });
    const other = await makeOrganisation(db().db, { type: 'pcn' });
    const actor = {
      userId: '00000000-0000-7000-8000-000000000000',
      sessionId: 's',
      actingOrganisationId: pcn,
      actingOrganisationType: 'pcn',
      roles: [],
      scopeOrganisationIds: [pcn],
      requestId: 'r',
      ip: null,
      now,
    };
    await expect(
      inTransaction(db().db, actor, (tx) => enqueueMessage(tx, now, message(other))),
    ).rejects.toThrow();
    await expect(
      inTransaction(db().db, actor, (tx) => enqueueMessage(tx, now, message(pcn))),
    ).resolves.toMatchObject({
      queued: true,
    });
  });
});
