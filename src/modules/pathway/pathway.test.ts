import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { rowsOf } from '../../db/client.ts';
import { inTransaction } from '../../platform/transaction.ts';

describeEachDatabase('the link worker pathway after triage', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
  });
  afterAll(() => t.close());

  const now = () => t.clock.now().toISOString();
  const today = () => now().slice(0, 10);
  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);

  /** A referral from practice A1a, accepted at triage and allocated to link worker A1. */
  async function allocated(givenName: string, linkWorker: 'lwA1' | 'lwA1b' = 'lwA1') {
    const referral = (
      await send('referrerA1a', 'POST', '/api/referrals', {
        person: {
          givenName,
          familyName: 'Pathway',
          dateOfBirth: '1958-03-14',
          sex: 'female',
          nhsNumber: null,
        },
        reasons: ['loneliness', 'money_debt_benefits'],
        consentToReferral: true,
      })
    ).json();
    const accepted = await send('leadA1', 'POST', `/api/referrals/${referral.id}/triage`, {
      decision: 'accept',
      version: referral.version,
      linkWorkerId: world.users[linkWorker].id,
    });
    expect(accepted.statusCode).toBe(200);
    return accepted.json() as { id: string; personId: string; version: number };
  }
  async function contacted(givenName: string) {
    const r = await allocated(givenName);
    const first = await send('lwA1', 'POST', `/api/referrals/${r.id}/first-contact`, {
      occurredAt: now(),
      mode: 'in_practice',
      personDecision: 'accepts',
    });
    expect(first.statusCode).toBe(201);
    return r;
  }
  const episode = async (who: keyof World['users'], id: string) =>
    send(who, 'GET', `/api/referrals/${id}/episode`);
  const whatMatters = (baseVersion: number | null) => ({
    baseVersion,
    heldOn: today(),
    needs: [{ domain: 'loneliness', priority: 'high', concern: 'Has not been out since her husband died' }],
    ownWords: 'I want to feel part of something again.',
    strengths: 'Loves gardening; good friend next door',
    barriers: 'Bus fares; anxious in crowds',
  });
  /** SQL as the system, past row-level security: for checking what was stored and setting up old referrals. */
  const asSystem = (statement: ReturnType<typeof sql>) =>
    inTransaction(db().db, { system: true, now: new Date() }, (tx) => tx.execute(statement));
  const planOf = (version: number | null, goals: unknown[]) => ({
    version,
    agreedOn: today(),
    summary: 'Start small and build up',
    goals,
  });

  it('runs an episode from first contact to discharge, with the message back the referrer reads', async () => {
    const r = await contacted('Margaret');
    const wm1 = await send('lwA1', 'POST', `/api/referrals/${r.id}/what-matters`, whatMatters(null));
    expect(wm1.statusCode).toBe(201);
    expect(wm1.json().version).toBe(1);
    // Revisiting from a stale version is refused with the version now stored; from the current one, a new version.
    const stale = await send('lwA1', 'POST', `/api/referrals/${r.id}/what-matters`, whatMatters(null));
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(1);
    expect(
      (await send('lwA1', 'POST', `/api/referrals/${r.id}/what-matters`, whatMatters(1))).json().version,
    ).toBe(2);

    const created = await send(
      'lwA1',
      'PUT',
      `/api/referrals/${r.id}/plan`,
      planOf(null, [
        {
          description: 'Go to the Tuesday walking group',
          needsDomain: 'loneliness',
          services: 'Riverside Walkers, Tuesdays 10am',
          reviewOn: today(),
          actions: [{ who: 'Link worker', what: 'Call the walk leader', byWhen: today() }],
        },
        { description: 'Sort out the council tax letters', needsDomain: 'money_debt_benefits' },
      ]),
    );
    expect(created.statusCode).toBe(200);
    const plan = created.json();
    expect(plan.version).toBe(1);
    expect(plan.goals.map((g: { description: string }) => g.description)).toEqual([
      'Go to the Tuesday walking group',
      'Sort out the council tax letters',
    ]);
    const [walk, money] = plan.goals as { id: string }[];

    const contact = await send('lwA1', 'POST', `/api/referrals/${r.id}/contacts`, {
      kind: 'contact',
      occurredAt: now(),
      mode: 'phone',
      durationMinutes: 20,
      present: 'Daughter',
      note: 'Went to the group twice.',
      goalProgress: [
        { goalId: walk!.id, rating: 6 },
        { goalId: money!.id, rating: 3, note: 'Appointment with Citizens Advice booked' },
      ],
    });
    expect(contact.statusCode).toBe(201);
    expect(
      (await send('lwA1', 'POST', `/api/goals/${walk!.id}/progress`, { rating: 8, recordedOn: today() }))
        .statusCode,
    ).toBe(201);

    const caseload = (await send('lwA1', 'GET', '/api/caseload')).json();
    const item = caseload.items.find((i: { referralId: string }) => i.referralId === r.id);
    expect(item).toMatchObject({
      stage: 'supporting',
      goalsDueForReview: 1,
      failedAttempts: 0,
      overTarget: false,
    });
    expect(item.lastContactAt).not.toBeNull();

    const ep = (await episode('lwA1', r.id)).json();
    expect(ep.whatMatters.map((w: { version: number }) => w.version)).toEqual([2, 1]);
    expect(ep.plan.goals[0].progress.map((p: { rating: number }) => p.rating)).toEqual([6, 8]);
    expect(ep.allocations).toHaveLength(1);

    const pdf = await send('lwA1', 'GET', `/api/referrals/${r.id}/plan.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // The referrer sees the status and no message yet, never the episode.
    const before = (await send('referrerA1a', 'GET', `/api/referrals/${r.id}/message-back`)).json();
    expect(before).toMatchObject({ status: 'accepted', discharge: null, contactsCount: 2 });
    expect(before.codedEvents[0].code).toBe('871731000000106');
    expect((await episode('referrerA1a', r.id)).statusCode).toBe(403);

    const discharge = {
      version: ep.version,
      reason: 'goals_met',
      dischargedOn: today(),
      closingSummary: 'Internal: settled in well; daughter aware.',
      supportOffered: 'Three conversations, a walking group and Citizens Advice.',
      outcome: 'Walks weekly and the council tax is on a payment plan.',
      followUpForGp: null,
    };
    const done = await send('lwA1', 'POST', `/api/referrals/${r.id}/discharge`, discharge);
    expect(done.statusCode).toBe(200);
    expect(done.json().discharge.reason).toBe('goals_met');
    expect(
      (
        await send('lwA1', 'POST', `/api/referrals/${r.id}/discharge`, {
          ...discharge,
          version: ep.version + 1,
        })
      ).statusCode,
    ).toBe(409);
    const late = await send('lwA1', 'POST', `/api/referrals/${r.id}/contacts`, {
      kind: 'contact',
      occurredAt: now(),
      mode: 'phone',
    });
    expect(late.statusCode).toBe(409);

    const message = await send('referrerA1a', 'GET', `/api/referrals/${r.id}/message-back`);
    expect(message.json()).toMatchObject({ status: 'discharged', discharge: { outcome: discharge.outcome } });
    expect(message.body).not.toContain('Internal');
    const text = await send('referrerA1a', 'GET', `/api/referrals/${r.id}/message-back.txt`);
    expect(text.headers['content-type']).toContain('text/plain');
    expect(text.body).toContain('SNOMED CT 871731000000106');
    expect(text.body).toContain('Walks weekly');
    expect(text.body).not.toContain('Internal');
    // Nobody else reads it: another link worker, another PCN, a commissioner.
    expect((await send('lwA1b', 'GET', `/api/referrals/${r.id}/message-back`)).statusCode).toBe(404);
    expect((await send('leadB1', 'GET', `/api/referrals/${r.id}/message-back`)).statusCode).toBe(404);
    expect((await send('commissionerA', 'GET', `/api/referrals/${r.id}/message-back`)).statusCode).toBe(403);

    const timeline = (await send('lwA1', 'GET', `/api/people/${r.personId}/timeline`)).json().items as {
      kind: string;
    }[];
    const kinds = timeline.map((i) => i.kind);
    for (const k of [
      'referral',
      'triage',
      'allocation',
      'contact',
      'coded_event',
      'what_matters',
      'plan',
      'goal_progress',
      'discharge',
    ]) {
      expect(kinds).toContain(k);
    }
    expect(kinds.at(-1)).toBe('referral');
  });

  it('keeps goal ids and progress when the plan is edited, stops goals left out, and refuses stale edits', async () => {
    const r = await contacted('Neville');
    const v1 = (
      await send(
        'lwA1',
        'PUT',
        `/api/referrals/${r.id}/plan`,
        planOf(null, [{ description: 'One' }, { description: 'Two' }]),
      )
    ).json();
    const [one, two] = v1.goals as { id: string }[];
    const v2 = await send(
      'lwA1',
      'PUT',
      `/api/referrals/${r.id}/plan`,
      planOf(1, [{ id: two!.id, description: 'Two, reworded' }, { description: 'Three' }]),
    );
    expect(v2.statusCode).toBe(200);
    const goals = v2.json().goals as { id: string; description: string; status: string }[];
    expect(goals.map((g) => [g.description, g.status])).toEqual([
      ['Two, reworded', 'active'],
      ['Three', 'active'],
      ['One', 'stopped'],
    ]);
    expect(goals[0]!.id).toBe(two!.id);
    expect(goals[2]!.id).toBe(one!.id);
    const stale = await send(
      'lwA1',
      'PUT',
      `/api/referrals/${r.id}/plan`,
      planOf(1, [{ description: 'Lost edit' }]),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentVersion).toBe(2);
    const foreign = await send(
      'lwA1',
      'PUT',
      `/api/referrals/${r.id}/plan`,
      planOf(2, [{ id: '00000000-0000-4000-8000-000000000000', description: 'X' }]),
    );
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors[0].field).toBe('goals.0.id');
    const versions = rowsOf<{ n: number }>(
      await asSystem(
        sql`select count(*)::int as n from support_plan_versions v join support_plans p on p.id = v.plan_id where p.referral_id = ${r.id}`,
      ),
    );
    expect(versions[0]!.n).toBe(2);
  });

  it('two people saving a new plan at once: one plan, the other told to reload', async () => {
    const r = await contacted('Olive');
    const results = await Promise.all(
      [1, 2].map(() =>
        send('lwA1', 'PUT', `/api/referrals/${r.id}/plan`, planOf(null, [{ description: 'Same time' }])),
      ),
    );
    expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
  });

  it('names the field when dates or choices make no sense', async () => {
    const r = await contacted('Percy');
    const before = await send('lwA1', 'POST', `/api/referrals/${r.id}/contacts`, {
      kind: 'attempt',
      occurredAt: '2020-01-01T09:00:00Z',
      mode: 'phone',
    });
    expect(before.statusCode).toBe(422);
    expect(before.json().errors[0].field).toBe('occurredAt');
    const unknownNeed = await send('lwA1', 'POST', `/api/referrals/${r.id}/what-matters`, {
      ...whatMatters(null),
      needs: [{ domain: 'astrology', priority: 'low', concern: 'x' }],
    });
    expect(unknownNeed.statusCode).toBe(422);
    expect(unknownNeed.json().errors[0].field).toBe('needs.0.domain');
    const review = await send(
      'lwA1',
      'PUT',
      `/api/referrals/${r.id}/plan`,
      planOf(null, [{ description: 'x', reviewOn: '2000-01-01' }]),
    );
    expect(review.json().errors[0].field).toBe('goals.0.reviewOn');
    const future = new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    const ep = (await episode('lwA1', r.id)).json();
    const discharge = await send('lwA1', 'POST', `/api/referrals/${r.id}/discharge`, {
      version: ep.version,
      reason: 'other',
      dischargedOn: future,
      closingSummary: 'x',
      supportOffered: 'x',
      outcome: 'x',
    });
    expect(discharge.statusCode).toBe(422);
    expect(discharge.json().errors[0].field).toBe('dischargedOn');
    const schema = await send('lwA1', 'POST', `/api/referrals/${r.id}/contacts`, {
      kind: 'chat',
      occurredAt: 'yesterday',
      mode: 'phone',
    });
    expect(schema.statusCode).toBe(400);
  });

  it('after the PCN’s number of failed attempts, shows the person as unable to contact', async () => {
    const r = await allocated('Quentin');
    for (let i = 0; i < 3; i++) {
      const res = await send('lwA1', 'POST', `/api/referrals/${r.id}/contacts`, {
        kind: 'attempt',
        occurredAt: now(),
        mode: 'phone',
      });
      expect(res.json()).toMatchObject({ failedAttempts: i + 1, unableToContact: i === 2 });
    }
    // A contact before the first contact is refused: that one records the person's decision.
    expect(
      (
        await send('lwA1', 'POST', `/api/referrals/${r.id}/contacts`, {
          kind: 'contact',
          occurredAt: now(),
          mode: 'phone',
        })
      ).statusCode,
    ).toBe(409);
    const item = (await send('lwA1', 'GET', '/api/caseload?stage=awaiting_first_contact'))
      .json()
      .items.find((i: { referralId: string }) => i.referralId === r.id);
    expect(item).toMatchObject({ unableToContact: true, failedAttempts: 3, stage: 'awaiting_first_contact' });
    // The lead changes the rule: 4 attempts, 5 working days.
    const settings = (await send('leadA1', 'GET', '/api/pathway-settings')).json();
    const changed = await send('leadA1', 'PUT', '/api/pathway-settings', {
      version: settings.version,
      firstContactTargetWorkingDays: 5,
      unableToContactAttempts: 4,
    });
    expect(changed.json()).toMatchObject({ unableToContactAttempts: 4, version: settings.version + 1 });
    expect(
      (
        await send('leadA1', 'PUT', '/api/pathway-settings', {
          version: settings.version,
          firstContactTargetWorkingDays: 5,
          unableToContactAttempts: 4,
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await send('lwA1', 'PUT', '/api/pathway-settings', {
          version: settings.version + 1,
          firstContactTargetWorkingDays: 5,
          unableToContactAttempts: 4,
        })
      ).statusCode,
    ).toBe(403);
    expect((await episode('lwA1', r.id)).json().unableToContact).toBe(false);
    await send('leadA1', 'PUT', '/api/pathway-settings', {
      version: settings.version + 1,
      firstContactTargetWorkingDays: 10,
      unableToContactAttempts: 3,
    });
  });

  it('highlights people waiting longer than the first-contact target in working days', async () => {
    const r = await allocated('Rita');
    await asSystem(
      sql`update referrals set received_at = received_at - interval '21 days' where id = ${r.id}`,
    );
    const item = (await send('lwA1', 'GET', '/api/caseload'))
      .json()
      .items.find((i: { referralId: string }) => i.referralId === r.id);
    expect(item.workingDaysWaiting).toBeGreaterThanOrEqual(14);
    expect(item.overTarget).toBe(true);
    const waiting = (await send('leadA1', 'GET', '/api/waiting-list')).json();
    expect(waiting.items.find((i: { referralId: string }) => i.referralId === r.id)).toMatchObject({
      status: 'accepted',
      overTarget: true,
      linkWorkerName: 'Link worker A1',
    });
    expect(waiting.items[0].workingDaysWaiting).toBeGreaterThanOrEqual(
      waiting.items.at(-1).workingDaysWaiting,
    );
    const summary = (await send('leadA1', 'GET', '/api/caseloads')).json();
    expect(
      summary.linkWorkers.find((l: { id: string }) => l.id === world.users.lwA1.id).overTarget,
    ).toBeGreaterThanOrEqual(1);
  });

  it('keeps people to their PCN and link worker; leads see the team; commissioners see none of it', async () => {
    const r = await contacted('Stella');
    expect((await episode('leadA1', r.id)).statusCode).toBe(200);
    expect((await episode('lwA1b', r.id)).statusCode).toBe(404);
    expect((await episode('lwB1', r.id)).statusCode).toBe(404);
    expect((await episode('leadB1', r.id)).statusCode).toBe(404);
    expect((await episode('commissionerA', r.id)).statusCode).toBe(403);
    expect((await send('lwA1b', 'GET', `/api/people/${r.personId}`)).statusCode).toBe(404);
    expect((await send('lwA1b', 'GET', `/api/caseload?linkWorkerId=${world.users.lwA1.id}`)).statusCode).toBe(
      404,
    );
    const record = await send('lwA1', 'GET', `/api/people/${r.personId}`);
    expect(record.statusCode).toBe(200);
    const audited = rowsOf<{ n: number }>(
      await asSystem(
        sql`select count(*)::int as n from audit_events where action = 'person.viewed' and record_ids ? ${r.personId}`,
      ),
    );
    expect(audited[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('reallocates one episode and hands a whole caseload over, keeping the history', async () => {
    const a = await contacted('Trevor');
    const b = await allocated('Ursula');
    const ep = (await episode('leadA1', a.id)).json();
    const moved = await send('leadA1', 'POST', `/api/referrals/${a.id}/reallocate`, {
      version: ep.version,
      linkWorkerId: world.users.lwA1b.id,
      reason: 'Lives near Practice B',
    });
    expect(moved.statusCode).toBe(200);
    expect((await episode('lwA1', a.id)).statusCode).toBe(404);
    expect(
      (await episode('lwA1b', a.id)).json().allocations.map((x: { toName: string }) => x.toName),
    ).toEqual(['Link worker A1', 'Link worker A1b']);
    expect(
      (
        await send('leadA1', 'POST', `/api/referrals/${a.id}/reallocate`, {
          version: ep.version,
          linkWorkerId: world.users.lwA1.id,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await send('leadA1', 'POST', `/api/referrals/${a.id}/reallocate`, {
          version: ep.version + 1,
          linkWorkerId: world.users.lwB1.id,
          reason: 'x',
        })
      ).json().errors[0].field,
    ).toBe('linkWorkerId');
    expect(
      (
        await send('lwA1', 'POST', `/api/referrals/${b.id}/reallocate`, {
          version: 2,
          linkWorkerId: world.users.lwA1b.id,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);

    const open = (await send('leadA1', 'GET', `/api/caseload?linkWorkerId=${world.users.lwA1.id}`)).json()
      .items.length;
    const handed = await send('leadA1', 'POST', `/api/link-workers/${world.users.lwA1.id}/hand-over`, {
      toLinkWorkerId: world.users.lwA1b.id,
      reason: 'Long-term absence',
    });
    expect(handed.json().moved).toBe(open);
    expect((await send('lwA1', 'GET', '/api/caseload')).json().items).toHaveLength(0);
    expect((await episode('lwA1b', b.id)).statusCode).toBe(200);
    // Hand them back so the other tests keep their link worker.
    await send('leadA1', 'POST', `/api/link-workers/${world.users.lwA1b.id}/hand-over`, {
      toLinkWorkerId: world.users.lwA1.id,
      reason: 'Back from leave',
    });
  });

  it('flags a safeguarding concern the leads see, and only a lead closes it', async () => {
    const r = await contacted('Violet');
    const raised = await send('lwA1', 'POST', `/api/people/${r.personId}/flags`, {
      kind: 'safeguarding_concern',
      note: 'Discussed with the practice safeguarding lead.',
    });
    expect(raised.statusCode).toBe(201);
    const flagged = (
      await send('leadA1', 'GET', `/api/caseload?linkWorkerId=${world.users.lwA1.id}&flagged=true`)
    ).json().items;
    expect(flagged.map((i: { personId: string }) => i.personId)).toContain(r.personId);
    expect(
      (await send('lwA1', 'POST', `/api/flags/${raised.json().id}/resolve`, { resolutionNote: 'x' }))
        .statusCode,
    ).toBe(403);
    const closed = await send('leadA1', 'POST', `/api/flags/${raised.json().id}/resolve`, {
      resolutionNote: 'Referral to adult social care made',
    });
    expect(closed.json().resolvedAt).not.toBeNull();
    expect(
      (await send('leadA1', 'POST', `/api/flags/${raised.json().id}/resolve`, { resolutionNote: 'again' }))
        .statusCode,
    ).toBe(409);
  });

  describe('appointments', () => {
    it('books, moves and closes appointments with versions', async () => {
      const r = await contacted('Walter');
      const startsAt = new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString();
      const booked = await send('lwA1', 'POST', `/api/referrals/${r.id}/appointments`, {
        startsAt,
        durationMinutes: 45,
        mode: 'community_venue',
        location: 'Library café',
      });
      expect(booked.statusCode).toBe(201);
      const a = booked.json();
      expect(
        (
          await send('lwA1', 'PATCH', `/api/appointments/${a.id}`, { version: a.version, status: 'attended' })
        ).json().errors[0].field,
      ).toBe('status');
      const cancelled = await send('lwA1', 'PATCH', `/api/appointments/${a.id}`, {
        version: a.version,
        status: 'cancelled',
      });
      expect(cancelled.json()).toMatchObject({ status: 'cancelled', version: a.version + 1 });
      expect(
        (await send('lwA1', 'PATCH', `/api/appointments/${a.id}`, { version: a.version, status: 'booked' }))
          .statusCode,
      ).toBe(409);
      expect(
        (
          await send('lwB1', 'PATCH', `/api/appointments/${a.id}`, {
            version: a.version + 1,
            status: 'booked',
          })
        ).statusCode,
      ).toBe(404);
      const next = (
        await send('lwA1', 'POST', `/api/referrals/${r.id}/appointments`, {
          startsAt,
          durationMinutes: 30,
          mode: 'phone',
        })
      ).json();
      const item = (await send('lwA1', 'GET', '/api/caseload'))
        .json()
        .items.find((i: { referralId: string }) => i.referralId === r.id);
      expect(item.nextAppointmentAt).toBe(next.startsAt);
    });
  });
});
