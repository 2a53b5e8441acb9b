import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';

/**
 * Bodies shaped like the real ones, with any value in any field, sent to an open episode by its lead: the
 * answer is a 2xx or a problem a person can act on, never a 5xx.
 */
describeEachDatabase('pathway writes under random input', (db) => {
  let t: TestApp;
  let world: World;
  let lead: Session;
  let referralId: string;
  let personId: string;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    const as = sessionsFor(t, world);
    lead = await as('leadA1');
    const referral = (
      await call(t, await as('referrerA1a'), 'POST', '/api/referrals', {
        person: { givenName: 'Fuzz', familyName: 'Person', dateOfBirth: '1960-01-01', sex: 'male' },
        reasons: ['loneliness'],
        consentToReferral: true,
      })
    ).json();
    referralId = referral.id;
    personId = referral.personId;
    await call(t, lead, 'POST', `/api/referrals/${referralId}/triage`, {
      decision: 'accept',
      version: referral.version,
      linkWorkerId: world.users.lwA1.id,
    });
    await call(t, lead, 'POST', `/api/referrals/${referralId}/first-contact`, {
      occurredAt: t.clock.now().toISOString(),
      mode: 'phone',
      personDecision: 'accepts',
    });
  });
  afterAll(() => t.close());

  const anything = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('2026-11-26', '2026-11-26T09:00:00Z', '0000-01-01', '9999-12-31T23:59:59Z', '2026-02-30'),
    fc.jsonValue(),
  );
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constant('x'.repeat(9000)));

  it('never answers with a 5xx', async () => {
    const routes = [
      {
        url: () => `/api/referrals/${referralId}/contacts`,
        body: fc.record({
          kind: fc.oneof(fc.constantFrom('contact', 'attempt'), anything),
          occurredAt: fc.oneof(fc.constant(t.clock.now().toISOString()), anything),
          mode: fc.oneof(fc.constant('phone'), anything),
          durationMinutes: fc.oneof(fc.integer({ min: -5, max: 700 }), anything),
          note: text,
          goalProgress: fc.oneof(
            fc.array(fc.record({ goalId: fc.oneof(fc.uuid(), anything), rating: anything }), {
              maxLength: 3,
            }),
            anything,
          ),
        }),
      },
      {
        url: () => `/api/referrals/${referralId}/what-matters`,
        body: fc.record({
          baseVersion: fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 3 }), anything),
          heldOn: fc.oneof(fc.constant(t.clock.now().toISOString().slice(0, 10)), anything),
          needs: fc.oneof(
            fc.array(
              fc.record({
                domain: fc.oneof(fc.constantFrom('loneliness', 'housing', 'zz'), anything),
                priority: fc.oneof(fc.constantFrom('high', 'low'), anything),
                concern: text,
              }),
              { maxLength: 3 },
            ),
            anything,
          ),
          ownWords: text,
        }),
      },
      {
        url: () => `/api/referrals/${referralId}/plan`,
        method: 'PUT' as const,
        body: fc.record({
          version: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 }), anything),
          agreedOn: fc.oneof(fc.constant(t.clock.now().toISOString().slice(0, 10)), anything),
          goals: fc.oneof(
            fc.array(
              fc.record({
                description: text,
                reviewOn: fc.oneof(fc.constant('2026-12-01'), anything),
                needsDomain: fc.oneof(fc.constant('housing'), anything),
                actions: fc.oneof(fc.array(fc.record({ who: text, what: text, byWhen: anything })), anything),
              }),
              { maxLength: 3 },
            ),
            anything,
          ),
        }),
      },
      {
        url: () => `/api/referrals/${referralId}/appointments`,
        body: fc.record({
          startsAt: fc.oneof(fc.constant('2027-01-05T10:00:00Z'), anything),
          durationMinutes: fc.oneof(fc.integer({ min: 0, max: 600 }), anything),
          mode: fc.oneof(fc.constant('video'), anything),
          location: text,
        }),
      },
      {
        url: () => `/api/people/${personId}/flags`,
        body: fc.record({ kind: fc.oneof(fc.constant('risk'), anything), note: text }),
      },
      {
        url: () => `/api/referrals/${referralId}/reallocate`,
        body: fc.record({
          version: fc.oneof(fc.integer({ min: 0, max: 5 }), anything),
          linkWorkerId: fc.oneof(fc.constant(world.users.lwA1b.id), fc.uuid(), anything),
          reason: text,
        }),
      },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 0, max: routes.length - 1 })
          .chain((i) => routes[i]!.body.map((body) => ({ route: routes[i]!, body }))),
        async ({ route, body }) => {
          const res = await call(t, lead, route.method ?? 'POST', route.url(), body);
          expect(res.statusCode, `${route.url()} ${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400)
            expect(res.headers['content-type']).toContain('application/problem+json');
        },
      ),
      { numRuns: 150, seed: 20261126 },
    );
  });
});
