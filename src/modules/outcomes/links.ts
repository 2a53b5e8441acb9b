import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, type SystemContext } from '../../platform/actor.ts';
import { days, minutes } from '../../platform/clock.ts';
import { ConflictError, GoneError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { takeRateLimit } from '../../platform/rate-limit.ts';
import { londonDate, londonMidnight, nextDay } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { enqueueMessage } from '../messaging/outbox.ts';
import { normaliseEmail, normaliseUkMobile } from '../messaging/recipients.ts';
import { organisations } from '../organisations/schema.ts';
import { organisationAndAbove } from '../organisations/service.ts';
import { episodeFor } from '../pathway/access.ts';
import { discharges } from '../pathway/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { checkAnswers, storeMeasure, usableInstrument } from './measures.ts';
import { outcomeSettingsOf } from './schedule.ts';
import { completionLinks, outcomeResponses, timepoints } from './schema.ts';
import { instrumentsFor } from './service.ts';

/*
 * Self-completion by link. A link worker makes a single-use link for one person, episode, instrument set and
 * timepoint, and shows it as a QR code or sends it (through the message outbox). The token is 32 random bytes;
 * only its SHA-256 is stored, so the database alone cannot open anyone's questionnaire. The public page needs no
 * sign-in: it shows the PCN's name (never the person's), saves answers as the person goes (so whoever holds a live
 * link sees the answers saved on it, as they could give them; they are wiped when the link is cancelled), and accepts
 * one submission. A link works to the end of its last day in England. Used, expired and revoked links answer 410 with the reason and accept
 * nothing. Every public call is rate-limited per address (counted in its own transaction, so failed guesses count)
 * and opening and submitting are audited.
 */

export const DEFAULT_LINK_DAYS = 14;
const PUBLIC_CALLS_PER_ADDRESS = 120;
const PUBLIC_WINDOW = minutes(15);

const instrumentCode = z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'Choose an instrument');

export const createLinkBody = z.strictObject({
  timepoint: z.enum(timepoints, { error: 'Choose when in the episode these measures are for' }),
  /** Defaults to the PCN's instruments (outcome settings) that are usable here. */
  instrumentCodes: z.array(instrumentCode).min(1, 'Choose at least one questionnaire').max(10).optional(),
  expiresInDays: z
    .number()
    .int('Give a whole number of days')
    .min(1, 'A link lasts at least a day')
    .max(28, 'A link lasts at most 28 days')
    .default(DEFAULT_LINK_DAYS),
  /** Send it now by text message or email (to the contact details on the person's record), or only show it. */
  send: z.enum(['sms', 'email']).nullable().default(null),
});

const tokenField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, 'This link is not complete: check you copied all of it');
const answerSets = z.record(instrumentCode, z.record(z.string().max(60), z.unknown()));

export const publicTokenBody = z.strictObject({ token: tokenField });
export const progressBody = z.strictObject({ token: tokenField, answers: answerSets });
export const submitBody = z.strictObject({
  token: tokenField,
  answers: answerSets,
  /** A fresh UUID made when the page opens: sending the same form twice is thanked, not refused. */
  submissionId: z.uuid('The submission id is not valid'),
});

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A UUID made from a hash, so one link's submission gives each instrument the same response id every time. */
function derivedUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const readableDate = (d: Date) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(d);

export interface LinkSummary {
  id: string;
  timepoint: string;
  instrumentCodes: string[];
  status: 'active' | 'used' | 'revoked' | 'expired';
  expiresAt: string;
  firstOpenedAt: string | null;
  usedAt: string | null;
  createdAt: string;
}

function summary(row: typeof completionLinks.$inferSelect, now: Date): LinkSummary {
  return {
    id: row.id,
    timepoint: row.timepoint,
    instrumentCodes: row.instrumentCodes,
    status: row.status === 'active' && row.expiresAt <= now ? 'expired' : row.status,
    expiresAt: row.expiresAt.toISOString(),
    firstOpenedAt: row.firstOpenedAt?.toISOString() ?? null,
    usedAt: row.usedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * A new link for an episode's measures. An earlier active link for the same timepoint is revoked: one link is
 * live at a time. The token is in the answer once and never again.
 */
export async function createCompletionLink(
  tx: Db,
  actor: Actor,
  referralId: string,
  body: z.infer<typeof createLinkBody>,
  publicUrl: string,
) {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const episode = await episodeFor(tx, actor, referralId, { forUpdate: true });
  if (episode.status !== 'accepted' && episode.status !== 'discharged') {
    throw new ConflictError('Measures are taken on an accepted episode.');
  }
  const instruments = await instrumentsFor(
    tx,
    (await organisationAndAbove(tx, episode.organisationId)).map((o) => o.id),
  );
  let codes = body.instrumentCodes;
  if (!codes) {
    const settings = await outcomeSettingsOf(tx, episode.organisationId);
    codes = settings.instrumentCodes.filter((c) => instruments.items.some((i) => i.code === c && i.enabled));
    if (codes.length === 0) {
      throw new ValidationError(
        'Your PCN has no usable questionnaires set: choose them in outcome settings',
        {
          field: 'instrumentCodes',
        },
      );
    }
  }
  codes = [...new Set(codes)];
  codes.forEach((c, i) => {
    try {
      usableInstrument(instruments, c);
    } catch (e) {
      if (e instanceof ValidationError)
        throw new ValidationError(e.message, { field: `instrumentCodes.${i}` });
      throw e;
    }
  });

  const [person] = await tx
    .select({ givenName: people.givenName, phone: people.phone, email: people.email })
    .from(people)
    .where(eq(people.id, episode.personId));
  if (body.timepoint === 'follow_up_short' || body.timepoint === 'follow_up_long') {
    const [discharge] = await tx
      .select({ consent: discharges.consentToFollowUp })
      .from(discharges)
      .where(eq(discharges.referralId, referralId));
    if (discharge?.consent !== true) {
      throw new ConflictError(
        'This person did not agree at discharge to be contacted again, so no follow-up link can be made.',
      );
    }
  }
  const recipient = body.send === 'sms' ? person?.phone : body.send === 'email' ? person?.email : null;
  if (body.send && !recipient) {
    throw new ValidationError(
      body.send === 'sms'
        ? 'There is no mobile number on this person’s record: add one, or show the QR code instead'
        : 'There is no email address on this person’s record: add one, or show the QR code instead',
      { field: 'send' },
    );
  }
  if (body.send === 'sms' && recipient && !normaliseUkMobile(recipient)) {
    throw new ValidationError(
      'The number on this person’s record cannot receive text messages (it is not a UK mobile): update it, or show the QR code instead',
      { field: 'send' },
    );
  }
  if (body.send === 'email' && recipient && !normaliseEmail(recipient)) {
    throw new ValidationError(
      'The email address on this person’s record is not valid: update it, or show the QR code instead',
      { field: 'send' },
    );
  }

  const replaced = await tx
    .update(completionLinks)
    .set({ status: 'revoked', revokedAt: actor.now, revokedBy: actor.userId, progress: {} })
    .where(
      and(
        eq(completionLinks.referralId, referralId),
        eq(completionLinks.timepoint, body.timepoint),
        eq(completionLinks.status, 'active'),
      ),
    )
    .returning({ id: completionLinks.id });
  await cancelLinkMessages(
    tx,
    episode.organisationId,
    replaced.map((r) => r.id),
  );
  const token = randomBytes(32).toString('base64url');
  const id = newId();
  // To the end of the last day in England: a link "until 10 December" works all of 10 December.
  const expiresAt = londonMidnight(
    nextDay(londonDate(new Date(actor.now.getTime() + days(body.expiresInDays)))),
  );
  const [row] = await tx
    .insert(completionLinks)
    .values({
      id,
      organisationId: episode.organisationId,
      personId: episode.personId,
      referralId,
      tokenHash: hashToken(token),
      instrumentCodes: codes,
      timepoint: body.timepoint,
      status: 'active',
      expiresAt,
      createdBy: actor.userId,
      createdAt: actor.now,
    })
    .returning();
  const url = `${publicUrl.replace(/\/+$/, '')}/r/${token}`;
  let sent: { channel: 'sms' | 'email'; messageId: string } | null = null;
  if (body.send && recipient) {
    const [pcn] = await tx
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, episode.organisationId));
    const message = await enqueueMessage(tx, actor.now, {
      organisationId: episode.organisationId,
      personId: episode.personId,
      channel: body.send,
      template: 'self_completion_link',
      recipient,
      personalisation: {
        name: person?.givenName ?? '',
        link: url,
        expires: readableDate(expiresAt),
        service: pcn?.name ?? 'your social prescribing service',
      },
      dedupeKey: `completion-link:${id}`,
      createdBy: actor.userId,
    });
    sent = { channel: body.send, messageId: message.id };
  }
  await recordAudit(tx, actor, {
    action: 'outcomes.completion_link.created',
    recordType: 'completion_link',
    recordIds: [id],
    detail: { referralId, timepoint: body.timepoint, instruments: codes, sent: body.send },
  });
  const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { ...summary(row!, actor.now), token, url, qrSvg, sent };
}

export async function listCompletionLinks(tx: Db, actor: Actor, referralId: string) {
  await episodeFor(tx, actor, referralId);
  const rows = await tx
    .select()
    .from(completionLinks)
    .where(eq(completionLinks.referralId, referralId))
    .orderBy(desc(completionLinks.createdAt));
  return { items: rows.map((r) => summary(r, actor.now)) };
}

export async function revokeCompletionLink(tx: Db, actor: Actor, linkId: string) {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const [row] = await tx
    .select()
    .from(completionLinks)
    .where(
      and(eq(completionLinks.id, linkId), eq(completionLinks.organisationId, actor.actingOrganisationId!)),
    )
    .for('update');
  if (!row) throw new NotFoundError('There is no self-completion link with this id.');
  await episodeFor(tx, actor, row.referralId, { forUpdate: true });
  if (row.status !== 'active') {
    throw new ConflictError(`This link was already ${row.status === 'used' ? 'used' : 'revoked'}.`);
  }
  const [updated] = await tx
    .update(completionLinks)
    .set({ status: 'revoked', revokedAt: actor.now, revokedBy: actor.userId, progress: {} })
    .where(eq(completionLinks.id, linkId))
    .returning();
  await cancelLinkMessages(tx, row.organisationId, [linkId]);
  await recordAudit(tx, actor, {
    action: 'outcomes.completion_link.revoked',
    recordType: 'completion_link',
    recordIds: [linkId],
    detail: { referralId: row.referralId },
  });
  return summary(updated!, actor.now);
}

// ---------------------------------------------------------------------------------------------------------------
// The public side: no sign-in, the token is the key.

/** Counts one public call from this address; run in its own transaction so refused and failed calls count. */
export async function countPublicCall(tx: Db, ctx: SystemContext): Promise<void> {
  await takeRateLimit(
    tx,
    `completion-link:${ctx.ip ?? 'unknown'}`,
    PUBLIC_CALLS_PER_ADDRESS,
    PUBLIC_WINDOW,
    ctx.now,
    'There have been too many attempts from your connection. Wait 15 minutes and try again.',
  );
}

/**
 * The link for a token, locked for the rest of the transaction, if it can still be used. A used link answers its
 * own submission again (`alreadySent`: the same form sent twice, even while the first was being recorded).
 */
async function usableLink(tx: Db, ctx: SystemContext, token: string, submissionId?: string) {
  const [row] = await tx
    .select()
    .from(completionLinks)
    .where(eq(completionLinks.tokenHash, hashToken(token)))
    .for('update');
  if (!row) {
    throw new NotFoundError(
      'We could not find this questionnaire. Check you used the whole link from your message, or ask your link worker for a new one.',
    );
  }
  const [episode] = await tx.select().from(referrals).where(eq(referrals.id, row.referralId));
  if (row.status === 'revoked' || (episode?.status !== 'accepted' && episode?.status !== 'discharged')) {
    throw new GoneError(
      'This link has been cancelled. If you were asked to fill in a questionnaire, ask your link worker for a new link.',
      'revoked',
    );
  }
  if (row.status === 'used' && submissionId !== undefined && row.submissionId === submissionId) {
    return { row, episode: episode!, alreadySent: true };
  }
  if (row.status === 'used') {
    throw new GoneError('You have already sent your answers using this link. Thank you.', 'used');
  }
  if (row.expiresAt <= ctx.now) {
    throw new GoneError(
      `This link stopped working on ${readableDate(row.expiresAt)}. Ask your link worker for a new one if you would still like to fill in the questionnaire.`,
      'expired',
    );
  }
  return { row, episode: episode!, alreadySent: false };
}

/** A link that can no longer be used takes its unsent messages with it, and the outbox forgets the link. */
async function cancelLinkMessages(tx: Db, organisationId: string, linkIds: string[]): Promise<void> {
  if (linkIds.length === 0) return;
  const keys = linkIds.map((id) => `completion-link:${id}`);
  await tx.execute(sql`
    update message_outbox set status = case when status = 'sent' then status else 'cancelled' end,
      personalisation = personalisation - 'link'
    where organisation_id = ${organisationId}
      and dedupe_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`);
}

async function linkInstruments(tx: Db, row: typeof completionLinks.$inferSelect) {
  const instruments = await instrumentsFor(
    tx,
    (await organisationAndAbove(tx, row.organisationId)).map((o) => o.id),
  );
  return row.instrumentCodes.map((code) => usableInstrument(instruments, code));
}

/** What the public page shows: the service's name, the questionnaires, answers saved so far, and the expiry. */
export async function openCompletionLink(tx: Db, ctx: SystemContext, token: string) {
  const { row } = await usableLink(tx, ctx, token);
  const [pcn] = await tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, row.organisationId));
  const instruments = await linkInstruments(tx, row);
  if (!row.firstOpenedAt) {
    await tx.update(completionLinks).set({ firstOpenedAt: ctx.now }).where(eq(completionLinks.id, row.id));
  }
  await recordAudit(tx, ctx, {
    action: 'outcomes.completion_link.opened',
    recordType: 'completion_link',
    recordIds: [row.id],
    organisationId: row.organisationId,
    detail: { referralId: row.referralId, first: !row.firstOpenedAt },
  });
  return {
    service: pcn?.name ?? 'Social prescribing',
    timepoint: row.timepoint,
    expiresAt: row.expiresAt.toISOString(),
    questionnaires: instruments.map((i) => ({
      code: i.code,
      title: i.title,
      instructions: i.definition.instructions ?? null,
      licenceNotice: i.definition.licenceNotice ?? null,
      items: i.definition.items,
    })),
    progress: row.progress,
  };
}

function checkAnswerSets(
  instruments: Awaited<ReturnType<typeof linkInstruments>>,
  answers: z.infer<typeof answerSets>,
) {
  const known = new Map(instruments.map((i) => [i.code, i]));
  const checked: Record<string, Record<string, number>> = {};
  for (const [code, given] of Object.entries(answers)) {
    const instrument = known.get(code);
    if (!instrument) {
      throw new ValidationError('These answers are for a questionnaire this link does not ask for', {
        field: `answers.${code}`,
      });
    }
    try {
      checked[code] = checkAnswers(instrument.definition, given);
    } catch (e) {
      if (e instanceof ValidationError) {
        throw new ValidationError(
          e.message,
          e.errors.map((f) => ({ ...f, field: f.field.replace(/^answers\./, `answers.${code}.`) })),
        );
      }
      throw e;
    }
  }
  return checked;
}

/** Saves the answers given so far, so the person can come back to the link on another day. */
export async function saveCompletionProgress(
  tx: Db,
  ctx: SystemContext,
  body: z.infer<typeof progressBody>,
): Promise<{ saved: true }> {
  const { row } = await usableLink(tx, ctx, body.token);
  const checked = checkAnswerSets(await linkInstruments(tx, row), body.answers);
  await tx
    .update(completionLinks)
    .set({ progress: sql`${JSON.stringify(checked)}::jsonb` })
    .where(eq(completionLinks.id, row.id));
  return { saved: true };
}

/**
 * The person sends their answers: one response per questionnaire with any answer (a questionnaire with some items
 * left is kept as partial, never scored as complete), completed by themself, online, today. The link is then used.
 */
export async function submitCompletionLink(
  tx: Db,
  ctx: SystemContext,
  body: z.infer<typeof submitBody>,
): Promise<{ recorded: number; alreadySent: boolean }> {
  const { row, episode, alreadySent } = await usableLink(tx, ctx, body.token, body.submissionId);
  if (alreadySent) return { recorded: 0, alreadySent: true };
  const instruments = await linkInstruments(tx, row);
  const checked = checkAnswerSets(instruments, body.answers);
  const answered = instruments.filter((i) => Object.keys(checked[i.code] ?? {}).length > 0);
  if (answered.length === 0) {
    throw new ValidationError('Answer at least one question before you send your answers', {
      field: 'answers',
    });
  }
  const today = londonDate(ctx.now);
  const ids: string[] = [];
  for (const instrument of answered) {
    const submissionId = derivedUuid(row.id, body.submissionId, instrument.code);
    const [exists] = await tx
      .select({ id: outcomeResponses.id })
      .from(outcomeResponses)
      .where(
        and(
          eq(outcomeResponses.organisationId, row.organisationId),
          eq(outcomeResponses.submissionId, submissionId),
        ),
      );
    if (exists) continue;
    ids.push(
      await storeMeasure(
        tx,
        ctx,
        episode,
        instrument,
        {
          instrumentCode: instrument.code,
          timepoint: row.timepoint,
          completedOn: today,
          completedBy: 'self',
          mode: 'online',
          answers: checked[instrument.code]!,
          submissionId,
        },
        null,
      ),
    );
  }
  await tx
    .update(completionLinks)
    .set({ status: 'used', usedAt: ctx.now, submissionId: body.submissionId, progress: {} })
    .where(eq(completionLinks.id, row.id));
  await cancelLinkMessages(tx, row.organisationId, [row.id]);
  await recordAudit(tx, ctx, {
    action: 'outcomes.completion_link.submitted',
    recordType: 'completion_link',
    recordIds: [row.id, ...ids],
    organisationId: row.organisationId,
    detail: { referralId: row.referralId, instruments: answered.map((i) => i.code) },
  });
  return { recorded: ids.length, alreadySent: false };
}
