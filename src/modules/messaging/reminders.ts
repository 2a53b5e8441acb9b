import { and, eq, gte, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { ValidationError } from '../../platform/errors.ts';
import { londonDate, londonMidnight, nextDay } from '../../platform/working-days.ts';
import { organisations } from '../organisations/schema.ts';
import { appointments } from '../pathway/schema.ts';
import { people } from '../people/schema.ts';
import { dedupeConflict, outboxRowFor } from './outbox.ts';
import { messageOutbox } from './schema.ts';
import { readableDateTime } from './templates.ts';

/**
 * Reminders go out during the day before the appointment, not at midnight: from 09:00 until 20:00 in England. An
 * appointment booked in the evening for the next morning gets none (it was just arranged).
 */
export const REMINDER_HOURS = { from: 9, until: 20 } as const;

const londonHour = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** How the person will meet their link worker, when the appointment names no place. */
const whereByMode: Record<string, string> = {
  in_practice: 'your GP practice',
  home_visit: 'your home',
  community_venue: 'the place you agreed with your link worker',
  phone: 'by phone – your link worker will call you',
  video: 'by video call',
  text_or_email: 'by text message or email',
};

export const reminderDedupeKey = (appointmentId: string, startsOn: string) =>
  `appointment:${appointmentId}:${startsOn}`;

/**
 * Queues one reminder for each booked appointment that starts tomorrow (in England), across every organisation, for
 * people whose preferred way to be contacted is text message (and who have a UK mobile number) or email (and have an
 * address). Anyone else — preferring a call or a letter, or with no preference recorded — gets none. Needs the
 * system context. Safe to call often: the dedupe key makes it once per appointment and day, and the query reads
 * only tomorrow's appointments. Returns how many it queued.
 */
export async function queueAppointmentReminders(tx: Db, now: Date): Promise<number> {
  const hour = Number(londonHour.format(now));
  if (hour < REMINDER_HOURS.from || hour >= REMINDER_HOURS.until) return 0;
  const tomorrow = nextDay(londonDate(now));
  const from = londonMidnight(tomorrow);
  const until = londonMidnight(nextDay(tomorrow));
  const dedupeKey = sql<string>`'appointment:' || ${appointments.id}::text || ':' || ${tomorrow}`;

  const due = await tx
    .select({
      id: appointments.id,
      organisationId: appointments.organisationId,
      personId: appointments.personId,
      startsAt: appointments.startsAt,
      mode: appointments.mode,
      location: appointments.location,
      givenName: people.givenName,
      phone: people.phone,
      email: people.email,
      preferred: people.preferredContactMethod,
      service: organisations.name,
    })
    .from(appointments)
    .innerJoin(people, eq(people.id, appointments.personId))
    .innerJoin(organisations, eq(organisations.id, appointments.organisationId))
    .where(
      and(
        eq(appointments.status, 'booked'),
        gte(appointments.startsAt, from),
        lt(appointments.startsAt, until),
        isNull(people.mergedIntoPersonId),
        or(
          and(eq(people.preferredContactMethod, 'text'), sql`${people.phone} is not null`),
          and(eq(people.preferredContactMethod, 'email'), sql`${people.email} is not null`),
        ),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(messageOutbox)
            .where(
              and(
                eq(messageOutbox.organisationId, appointments.organisationId),
                eq(messageOutbox.dedupeKey, dedupeKey),
              ),
            ),
        ),
      ),
    );

  const rows = [];
  for (const a of due) {
    const sms = a.preferred === 'text';
    try {
      rows.push(
        outboxRowFor(now, {
          organisationId: a.organisationId,
          personId: a.personId,
          channel: sms ? 'sms' : 'email',
          template: 'appointment_reminder',
          recipient: (sms ? a.phone : a.email) ?? '',
          personalisation: {
            name: a.givenName,
            when: readableDateTime(a.startsAt),
            where: a.location?.trim() || (whereByMode[a.mode] ?? 'as agreed with your link worker'),
            service: a.service,
          },
          dedupeKey: reminderDedupeKey(a.id, tomorrow),
        }),
      );
    } catch (err) {
      // A landline in the phone field cannot take a text: no reminder, as for a person who prefers a call.
      if (!(err instanceof ValidationError)) throw err;
    }
  }
  if (rows.length === 0) return 0;
  const queued = await tx
    .insert(messageOutbox)
    .values(rows)
    .onConflictDoNothing(dedupeConflict)
    .returning({ id: messageOutbox.id });
  return queued.length;
}

/**
 * Cancels reminders not yet sent whose appointment was since cancelled or moved to another day, so nobody is
 * reminded of an appointment that is not happening. Needs the system context.
 */
export async function cancelStaleReminders(tx: Db): Promise<number> {
  const waiting = await tx
    .select({ id: messageOutbox.id, dedupeKey: messageOutbox.dedupeKey })
    .from(messageOutbox)
    .where(
      and(
        eq(messageOutbox.status, 'queued'),
        eq(messageOutbox.template, 'appointment_reminder'),
        sql`${messageOutbox.dedupeKey} like 'appointment:%'`,
      ),
    );
  const keyed = waiting.flatMap((w) => {
    const [, appointmentId, startsOn] = (w.dedupeKey ?? '').split(':');
    return appointmentId && startsOn ? [{ id: w.id, appointmentId, startsOn }] : [];
  });
  if (keyed.length === 0) return 0;
  const current = await tx
    .select({ id: appointments.id, status: appointments.status, startsAt: appointments.startsAt })
    .from(appointments)
    .where(
      inArray(
        appointments.id,
        keyed.map((k) => k.appointmentId),
      ),
    );
  const byId = new Map(current.map((a) => [a.id, a]));
  const stale = keyed
    .filter((k) => {
      const a = byId.get(k.appointmentId);
      if (!a) return true;
      return a.status !== 'booked' || londonDate(a.startsAt) !== k.startsOn;
    })
    .map((k) => k.id);
  if (stale.length === 0) return 0;
  const cancelled = await tx
    .update(messageOutbox)
    .set({
      status: 'cancelled',
      lastError: 'The appointment was cancelled or moved before the reminder went out',
    })
    .where(and(inArray(messageOutbox.id, stale), eq(messageOutbox.status, 'queued')))
    .returning({ id: messageOutbox.id });
  return cancelled.length;
}
