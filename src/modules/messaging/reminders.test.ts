import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { ManualClock } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { londonMidnight } from '../../platform/working-days.ts';
import { cancelStaleReminders, queueAppointmentReminders } from './reminders.ts';
import { messageOutbox } from './schema.ts';

describe('London days', () => {
  it('begin at midnight GMT in winter and at 23:00 UTC the evening before in summer', () => {
    expect(londonMidnight('2026-11-27').toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(londonMidnight('2026-07-01').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    // The clocks go forward on 29 March 2026 at 01:00 GMT: that day still begins at midnight GMT.
    expect(londonMidnight('2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(londonMidnight('2026-03-30').toISOString()).toBe('2026-03-29T23:00:00.000Z');
  });
});

describeEachDatabase('appointment reminders', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db(), new ManualClock('2026-11-26T09:00:00Z'));
    as = sessionsFor(t, world);
  });
  afterAll(() => t.close());

  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);
  const system = () => ({ system: true as const, now: t.clock.now() });
  const queue = (at: Date = t.clock.now()) =>
    inTransaction(db().db, system(), (tx) => queueAppointmentReminders(tx, at));
  let people = 0;
  const remindersFor = (personId: string) =>
    inTransaction(db().db, system(), (tx) =>
      tx
        .select()
        .from(messageOutbox)
        .where(and(eq(messageOutbox.personId, personId), eq(messageOutbox.template, 'appointment_reminder'))),
    );

  /** A person accepted into PCN A1 (or B1) with an appointment booked at `startsAt`. */
  async function booked(
    contact: { phone?: string; email?: string; preferredContactMethod?: string },
    startsAt: string,
    where: { mode?: string; location?: string } = { mode: 'community_venue', location: 'Library café' },
    pcn: 'A1' | 'B1' = 'A1',
  ) {
    const referrer = pcn === 'A1' ? 'referrerA1a' : 'lwB1';
    const referral = await send(referrer, 'POST', '/api/referrals', {
      person: {
        givenName: 'Rita',
        familyName: `Reminder${++people}`,
        dateOfBirth: `1950-05-${String(people).padStart(2, '0')}`,
        sex: 'female',
        nhsNumber: null,
        ...contact,
      },
      reasons: ['loneliness'],
      consentToReferral: true,
    });
    expect(referral.statusCode, referral.body).toBe(201);
    const r = referral.json();
    const triaged = await send(pcn === 'A1' ? 'leadA1' : 'leadB1', 'POST', `/api/referrals/${r.id}/triage`, {
      decision: 'accept',
      version: r.version,
      linkWorkerId: world.users[pcn === 'A1' ? 'lwA1' : 'lwB1'].id,
    });
    expect(triaged.statusCode, triaged.body).toBe(200);
    const appointment = await send(
      pcn === 'A1' ? 'lwA1' : 'lwB1',
      'POST',
      `/api/referrals/${r.id}/appointments`,
      {
        startsAt,
        durationMinutes: 30,
        mode: where.mode ?? 'community_venue',
        ...(where.location ? { location: where.location } : {}),
      },
    );
    expect(appointment.statusCode, appointment.body).toBe(201);
    return {
      personId: r.personId as string,
      appointment: appointment.json() as { id: string; version: number },
    };
  }

  it('queues nothing before 09:00, then one text or email per appointment tomorrow, as the person prefers', async () => {
    const byText = await booked(
      { phone: '07700 900123', preferredContactMethod: 'text' },
      '2026-11-27T10:30:00Z',
    );
    const byEmail = await booked(
      { email: 'rita@example.com', preferredContactMethod: 'email' },
      '2026-11-27T14:00:00Z',
      { mode: 'phone' },
    );
    const prefersCall = await booked(
      { phone: '07700 900124', preferredContactMethod: 'phone' },
      '2026-11-27T11:00:00Z',
    );
    const landline = await booked(
      { phone: '01632 960001', preferredContactMethod: 'text' },
      '2026-11-27T11:00:00Z',
    );
    const noPreference = await booked({ phone: '07700 900125' }, '2026-11-27T11:00:00Z');
    const dayAfter = await booked(
      { phone: '07700 900126', preferredContactMethod: 'text' },
      '2026-11-28T10:00:00Z',
    );
    const otherPcn = await booked(
      { email: 'b1@example.com', preferredContactMethod: 'email' },
      '2026-11-27T23:30:00Z',
      { mode: 'home_visit' },
      'B1',
    );

    // Not at night: from 09:00 until 20:00 in England.
    expect(await queue(new Date('2026-11-26T08:59:00Z'))).toBe(0);
    expect(await queue(new Date('2026-11-26T20:00:00Z'))).toBe(0);
    expect(await queue()).toBe(3);

    expect(await remindersFor(byText.personId)).toEqual([
      expect.objectContaining({
        channel: 'sms',
        recipient: '+447700900123',
        status: 'queued',
        organisationId: world.orgs.pcnA1,
        dedupeKey: `appointment:${byText.appointment.id}:2026-11-27`,
        personalisation: {
          name: 'Rita',
          when: 'Friday 27 November 2026 at 10:30am',
          where: 'Library café',
          service: 'PCN A1',
        },
      }),
    ]);
    expect(await remindersFor(byEmail.personId)).toEqual([
      expect.objectContaining({
        channel: 'email',
        recipient: 'rita@example.com',
        personalisation: expect.objectContaining({
          when: 'Friday 27 November 2026 at 2:00pm',
          where: 'by phone – your link worker will call you',
        }),
      }),
    ]);
    expect(await remindersFor(otherPcn.personId)).toEqual([
      expect.objectContaining({
        organisationId: world.orgs.pcnB1,
        personalisation: expect.objectContaining({ where: 'your home', service: 'PCN B1' }),
      }),
    ]);
    for (const none of [prefersCall, landline, noPreference, dayAfter]) {
      expect(await remindersFor(none.personId)).toEqual([]);
    }

    // Every run of the worker asks again: still one reminder each.
    expect(await queue()).toBe(0);
    expect(await queue(new Date('2026-11-26T19:59:00Z'))).toBe(0);
  });

  it('cancels a reminder not yet sent when the appointment is cancelled, and does not queue it again', async () => {
    t.clock.advance(60_000);
    const { personId, appointment } = await booked(
      { phone: '07700 900200', preferredContactMethod: 'text' },
      '2026-11-27T09:15:00Z',
    );
    expect(await queue()).toBe(1);
    const cancelled = await send('lwA1', 'PATCH', `/api/appointments/${appointment.id}`, {
      version: appointment.version,
      status: 'cancelled',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await inTransaction(db().db, system(), (tx) => cancelStaleReminders(tx))).toBe(1);
    expect(await queue()).toBe(0);
    expect((await remindersFor(personId)).map((r) => r.status)).toEqual(['cancelled']);
    // Reminders for appointments still on stay queued.
    const queuedReminders = () =>
      inTransaction(db().db, system(), (tx) =>
        tx
          .select({ id: messageOutbox.id })
          .from(messageOutbox)
          .where(and(eq(messageOutbox.status, 'queued'), like(messageOutbox.dedupeKey, 'appointment:%')))
          .orderBy(messageOutbox.id),
      );
    const before = await queuedReminders();
    expect(before.length).toBe(3);
    expect(await inTransaction(db().db, system(), (tx) => cancelStaleReminders(tx))).toBe(0);
    expect(await queuedReminders()).toEqual(before);
  });
});
