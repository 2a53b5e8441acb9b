import { afterAll, beforeAll } from 'vitest';
import { type AccessCase, accessMatrix } from './access-matrix.ts';
import { describeEachDatabase } from './db.ts';
import { makeTestApp, type TestApp } from './factories.ts';
import { makeWorld, sessionsFor, type UserKey, type World } from './world.ts';

const contextBody = {
  effectiveFrom: '2026-10-01',
  employmentModel: 'pcn_employed',
  baseSettings: ['gp_practice'],
  contractedHoursPerWeek: 37.5,
  supervision: 'lead_link_worker',
  clinicalSystemAccess: 'yes',
  practiceMeetings: 'regular',
  deliveryMode: 'hybrid',
};

const NO_SUCH_ID = '00000000-0000-7000-8000-000000000000';
const matrixStudy = {
  title: 'Matrix study',
  question: 'What works?',
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
  audioRetentionMonths: 6,
};
const referralBody = {
  person: { givenName: 'Matrix', familyName: 'Person', dateOfBirth: '1970-01-01', sex: 'not_stated' },
  reasons: ['loneliness'],
  consentToReferral: true,
};

let n = 0;
const newUserBody = (w: World, org: keyof World['orgs'] = 'pcnA1') => ({
  email: `matrix-${++n}@test.linkwork.example`,
  name: 'Matrix User',
  roles: [{ organisationId: w.orgs[org], role: 'link_worker' }],
});

const cases: AccessCase[] = [
  // who am I
  { method: 'GET', url: '/api/me', as: 'anonymous', expect: 401 },
  { method: 'GET', url: '/api/me', as: 'lwA1', expect: 200 },
  { method: 'GET', url: '/api/me', as: 'commissionerA', expect: 200 },
  {
    method: 'PUT',
    url: '/api/me/acting-organisation',
    as: 'lwA1',
    body: (w: World) => ({ organisationId: w.orgs.pcnA1 }),
    expect: 200,
  },
  {
    method: 'PUT',
    url: '/api/me/acting-organisation',
    as: 'lwA1',
    body: (w: World) => ({ organisationId: w.orgs.pcnB1 }),
    expect: 422,
    why: 'no role there',
  },
  {
    method: 'PUT',
    url: '/api/me/acting-organisation',
    as: 'anonymous',
    body: (w: World) => ({ organisationId: w.orgs.pcnA1 }),
    expect: 401,
  },

  // organisations
  { method: 'GET', url: '/api/organisations', as: 'anonymous', expect: 401 },
  ...(
    [
      'icbAdminA',
      'pcnAdminA1',
      'leadA1',
      'lwA1',
      'referrerA1a',
      'vcseA',
      'commissionerA',
      'researcherA',
    ] as const
  ).map((as): AccessCase => ({ method: 'GET', url: '/api/organisations', as, expect: 200 })),
  {
    method: 'POST',
    url: '/api/organisations',
    as: 'icbAdminA',
    body: (w: World) => ({ type: 'gp_practice', name: 'New Practice', parentId: w.orgs.pcnA1 }),
    expect: 201,
  },
  {
    method: 'POST',
    url: '/api/organisations',
    as: 'pcnAdminA1',
    body: (w: World) => ({ type: 'gp_practice', name: 'Another Practice', parentId: w.orgs.pcnA1 }),
    expect: 201,
  },
  {
    method: 'POST',
    url: '/api/organisations',
    as: 'pcnAdminB1',
    body: (w: World) => ({ type: 'gp_practice', name: 'Sneaky Practice', parentId: w.orgs.pcnA1 }),
    expect: 422,
    why: 'parent in another tenant',
  },
  {
    method: 'POST',
    url: '/api/organisations',
    as: 'pcnAdminA1',
    body: (w: World) => ({ type: 'pcn', name: 'Sibling PCN', parentId: w.orgs.icbA }),
    expect: 422,
    why: 'ICB is above the PCN admin',
  },
  ...(['leadA1', 'lwA1', 'referrerA1a', 'commissionerA', 'researcherA', 'vcseA'] as const).map(
    (as): AccessCase => ({
      method: 'POST',
      url: '/api/organisations',
      as,
      body: (w: World) => ({ type: 'gp_practice', name: 'Nope', parentId: w.orgs.pcnA1 }),
      expect: 403,
    }),
  ),
  { method: 'GET', url: (w) => `/api/organisations/${w.orgs.pcnA1}`, as: 'icbAdminA', expect: 200 },
  { method: 'GET', url: (w) => `/api/organisations/${w.orgs.pcnA1}`, as: 'pcnAdminA1', expect: 200 },
  {
    method: 'GET',
    url: (w) => `/api/organisations/${w.orgs.pcnA1}`,
    as: 'pcnAdminB1',
    expect: 404,
    why: 'other tenant',
  },
  {
    method: 'GET',
    url: (w) => `/api/organisations/${w.orgs.icbA}`,
    as: 'pcnAdminA1',
    expect: 404,
    why: 'above their node',
  },
  { method: 'GET', url: (w) => `/api/organisations/${w.orgs.pcnA1}`, as: 'leadA1', expect: 403 },
  {
    method: 'PATCH',
    url: (w) => `/api/organisations/${w.orgs.pcnA1}`,
    as: 'pcnAdminB1',
    body: { version: 1, name: 'Renamed' },
    expect: 404,
  },
  {
    method: 'PATCH',
    url: (w) => `/api/organisations/${w.orgs.pcnA2}`,
    as: 'pcnAdminA1',
    body: { version: 1, name: 'Renamed' },
    expect: 404,
    why: 'sibling PCN',
  },
  {
    method: 'PATCH',
    url: (w) => `/api/organisations/${w.orgs.pcnA2}`,
    as: 'icbAdminA',
    body: { version: 1, name: 'PCN A2 renamed' },
    expect: 200,
  },
  {
    method: 'PATCH',
    url: (w) => `/api/organisations/${w.orgs.pcnA2}`,
    as: 'lwA1',
    body: { version: 1, name: 'Nope' },
    expect: 403,
  },

  // users
  { method: 'GET', url: '/api/users', as: 'anonymous', expect: 401 },
  { method: 'GET', url: '/api/users', as: 'icbAdminA', expect: 200 },
  { method: 'GET', url: '/api/users', as: 'pcnAdminB1', expect: 200 },
  ...(['leadA1', 'lwA1', 'referrerA1a', 'commissionerA', 'researcherA', 'vcseA'] as const).map(
    (as): AccessCase => ({ method: 'GET', url: '/api/users', as, expect: 403 }),
  ),
  { method: 'GET', url: (w) => `/api/users/${w.users.lwA1.id}`, as: 'icbAdminA', expect: 200 },
  { method: 'GET', url: (w) => `/api/users/${w.users.lwA1.id}`, as: 'pcnAdminA1', expect: 200 },
  {
    method: 'GET',
    url: (w) => `/api/users/${w.users.lwA1.id}`,
    as: 'pcnAdminB1',
    expect: 404,
    why: 'PCN A admin cannot see PCN B users, and vice versa',
  },
  { method: 'GET', url: (w) => `/api/users/${w.users.lwB1.id}`, as: 'pcnAdminA1', expect: 404 },
  {
    method: 'GET',
    url: (w) => `/api/users/${w.users.lwB1.id}`,
    as: 'icbAdminA',
    expect: 404,
    why: 'other ICB',
  },
  { method: 'GET', url: (w) => `/api/users/${w.users.lwA1.id}`, as: 'leadA1', expect: 403 },
  { method: 'POST', url: '/api/users', as: 'pcnAdminA1', body: (w: World) => newUserBody(w), expect: 201 },
  { method: 'POST', url: '/api/users', as: 'icbAdminA', body: (w: World) => newUserBody(w), expect: 201 },
  {
    method: 'POST',
    url: '/api/users',
    as: 'pcnAdminB1',
    body: (w: World) => newUserBody(w),
    expect: 422,
    why: 'role at an organisation they do not manage',
  },
  { method: 'POST', url: '/api/users', as: 'leadA1', body: (w: World) => newUserBody(w), expect: 403 },
  {
    method: 'PATCH',
    url: (w) => `/api/users/${w.users.lwA1.id}`,
    as: 'pcnAdminB1',
    body: { version: 1, name: 'X' },
    expect: 404,
  },
  { method: 'POST', url: (w) => `/api/users/${w.users.lwA1.id}/deactivate`, as: 'pcnAdminB1', expect: 404 },
  {
    method: 'POST',
    url: (w) => `/api/users/${w.users.lwA1.id}/deactivate`,
    as: 'commissionerA',
    expect: 403,
  },
  {
    method: 'POST',
    url: (w) => `/api/users/${w.users.lwA1.id}/roles`,
    as: 'pcnAdminB1',
    body: (w: World) => ({ organisationId: w.orgs.pcnB1, role: 'link_worker' }),
    expect: 404,
  },
  {
    method: 'POST',
    url: (w) => `/api/users/${w.users.lwA1.id}/password-link`,
    as: 'pcnAdminB1',
    expect: 404,
  },
  { method: 'POST', url: (w) => `/api/users/${w.users.lwA1.id}/mfa-reset`, as: 'pcnAdminB1', expect: 404 },
  {
    method: 'POST',
    url: (w) => `/api/users/${w.users.lwA1.id}/password-link`,
    as: 'pcnAdminA1',
    expect: 200,
  },

  // link workers and their implementation context
  { method: 'GET', url: '/api/link-workers', as: 'anonymous', expect: 401 },
  ...(['icbAdminA', 'pcnAdminA1', 'leadA1', 'lwA1'] as const).map(
    (as): AccessCase => ({ method: 'GET', url: '/api/link-workers', as, expect: 200 }),
  ),
  ...(['referrerA1a', 'vcseA', 'commissionerA', 'researcherA'] as const).map(
    (as): AccessCase => ({ method: 'GET', url: '/api/link-workers', as, expect: 403 }),
  ),
  { method: 'GET', url: (w) => `/api/link-workers/${w.users.lwA1.id}`, as: 'leadA1', expect: 200 },
  {
    method: 'GET',
    url: (w) => `/api/link-workers/${w.users.lwA1.id}`,
    as: 'lwA1',
    expect: 200,
    why: 'their own profile',
  },
  {
    method: 'GET',
    url: (w) => `/api/link-workers/${w.users.lwA1.id}`,
    as: 'lwA1b',
    expect: 404,
    why: 'a colleague’s profile',
  },
  { method: 'GET', url: (w) => `/api/link-workers/${w.users.lwA1.id}`, as: 'pcnAdminB1', expect: 404 },
  { method: 'GET', url: (w) => `/api/link-workers/${w.users.lwB1.id}`, as: 'icbAdminA', expect: 404 },
  {
    method: 'POST',
    url: (w) => `/api/link-workers/${w.users.lwA1.id}/contexts`,
    as: 'leadA1',
    body: contextBody,
    expect: 201,
  },
  {
    method: 'POST',
    url: (w) => `/api/link-workers/${w.users.lwA1.id}/contexts`,
    as: 'icbAdminA',
    body: { ...contextBody, effectiveFrom: '2026-11-01' },
    expect: 201,
  },
  {
    method: 'POST',
    url: (w) => `/api/link-workers/${w.users.lwA1.id}/contexts`,
    as: 'lwA1',
    body: contextBody,
    expect: 403,
  },
  {
    method: 'POST',
    url: (w) => `/api/link-workers/${w.users.lwA1.id}/contexts`,
    as: 'pcnAdminB1',
    body: contextBody,
    expect: 404,
  },
  {
    method: 'POST',
    url: (w) => `/api/link-workers/${w.users.lwB1.id}/contexts`,
    as: 'leadA1',
    body: contextBody,
    expect: 404,
  },
  {
    method: 'GET',
    url: (w) => `/api/link-workers/${w.users.lwA1.id}/context?date=2026-10-15`,
    as: 'leadA1',
    expect: 200,
  },
  {
    method: 'GET',
    url: (w) => `/api/link-workers/${w.users.lwA1.id}/context?date=2026-10-15`,
    as: 'pcnAdminB1',
    expect: 404,
  },

  // audit
  { method: 'GET', url: '/api/audit', as: 'anonymous', expect: 401 },
  { method: 'GET', url: '/api/audit', as: 'icbAdminA', expect: 200 },
  { method: 'GET', url: '/api/audit', as: 'pcnAdminB1', expect: 200 },
  ...(['leadA1', 'lwA1', 'referrerA1a', 'commissionerA', 'researcherA', 'vcseA'] as const).map(
    (as): AccessCase => ({ method: 'GET', url: '/api/audit', as, expect: 403 }),
  ),

  // roles, reactivation and the rest of the user routes
  { method: 'POST', url: (w) => `/api/users/${w.users.lwA1b.id}/reactivate`, as: 'pcnAdminA1', expect: 200 },
  { method: 'POST', url: (w) => `/api/users/${w.users.lwA1b.id}/reactivate`, as: 'pcnAdminB1', expect: 404 },
  { method: 'POST', url: (w) => `/api/users/${w.users.lwA1b.id}/reactivate`, as: 'leadA1', expect: 403 },
  {
    method: 'DELETE',
    url: (w) => `/api/users/${w.users.lwA1b.id}/roles/00000000-0000-7000-8000-000000000000`,
    as: 'pcnAdminB1',
    expect: 404,
  },
  {
    method: 'DELETE',
    url: (w) => `/api/users/${w.users.lwA1b.id}/roles/00000000-0000-7000-8000-000000000000`,
    as: 'pcnAdminA1',
    expect: 404,
    why: 'no such role',
  },
  {
    method: 'DELETE',
    url: (w) => `/api/users/${w.users.lwA1b.id}/roles/00000000-0000-7000-8000-000000000000`,
    as: 'lwA1',
    expect: 403,
  },

  // account routes: anyone signed in, for themselves only; nothing for the anonymous
  {
    method: 'POST',
    url: '/api/me/password',
    as: 'anonymous',
    body: { currentPassword: 'x', newPassword: 'y' },
    expect: 401,
  },
  {
    method: 'POST',
    url: '/api/me/password',
    as: 'researcherA',
    body: { currentPassword: 'not it', newPassword: 'three random words here' },
    expect: 422,
  },
  { method: 'POST', url: '/api/auth/mfa/enrolment', as: 'anonymous', expect: 401 },
  {
    method: 'POST',
    url: '/api/auth/mfa/enrolment',
    as: 'vcseA',
    expect: 200,
    why: 'optional two-factor for others',
  },
  {
    method: 'POST',
    url: '/api/auth/mfa/enrolment/confirm',
    as: 'anonymous',
    body: { code: '123456' },
    expect: 401,
  },
  {
    method: 'POST',
    url: '/api/auth/mfa/enrolment/confirm',
    as: 'vcseA',
    body: { code: '000000' },
    expect: 422,
  },
  { method: 'POST', url: '/api/auth/mfa', as: 'anonymous', body: { code: '123456' }, expect: 401 },
  {
    method: 'GET',
    url: '/api/auth/password-token?token=not-a-live-token-at-all',
    as: 'anonymous',
    expect: 404,
  },
  {
    method: 'POST',
    url: '/api/auth/password',
    as: 'anonymous',
    body: { token: 'not-a-live-token-at-all', password: 'three random words here' },
    expect: 404,
  },
  { method: 'POST', url: '/api/auth/sign-out-everywhere', as: 'anonymous', expect: 401 },
  { method: 'POST', url: '/api/auth/sign-out', as: 'anonymous', expect: 401 },

  // referrals: professionals refer; leads triage; commissioners, researchers and VCSE partners see none of it
  { method: 'GET', url: '/api/needs-domains', as: 'anonymous', expect: 401 },
  { method: 'GET', url: '/api/needs-domains', as: 'referrerA1a', expect: 200 },
  ...(['referrerA1a', 'leadA1', 'lwA1'] as const).map(
    (as): AccessCase => ({ method: 'POST', url: '/api/referrals', as, body: referralBody, expect: 201 }),
  ),
  ...(['icbAdminA', 'commissionerA', 'researcherA', 'vcseA'] as const).map(
    (as): AccessCase => ({ method: 'POST', url: '/api/referrals', as, body: referralBody, expect: 403 }),
  ),
  { method: 'POST', url: '/api/referrals', as: 'anonymous', body: referralBody, expect: 401 },
  { method: 'GET', url: '/api/referrals/mine', as: 'referrerA1a', expect: 200 },
  ...(['commissionerA', 'researcherA', 'vcseA', 'icbAdminA'] as const).map(
    (as): AccessCase => ({ method: 'GET', url: '/api/referrals/mine', as, expect: 403 }),
  ),
  { method: 'GET', url: '/api/triage', as: 'leadA1', expect: 200 },
  ...(['lwA1', 'referrerA1a', 'commissionerA', 'researcherA', 'icbAdminA'] as const).map(
    (as): AccessCase => ({ method: 'GET', url: '/api/triage', as, expect: 403 }),
  ),
  { method: 'GET', url: `/api/referrals/${NO_SUCH_ID}`, as: 'leadA1', expect: 404 },
  { method: 'GET', url: `/api/referrals/${NO_SUCH_ID}`, as: 'referrerA1a', expect: 403 },
  { method: 'GET', url: `/api/referrals/${NO_SUCH_ID}`, as: 'commissionerA', expect: 403 },
  {
    method: 'POST',
    url: `/api/referrals/${NO_SUCH_ID}/duplicate-decision`,
    as: 'leadB1',
    body: { version: 1, samePersonId: null },
    expect: 404,
  },
  {
    method: 'POST',
    url: `/api/referrals/${NO_SUCH_ID}/duplicate-decision`,
    as: 'lwA1',
    body: { version: 1, samePersonId: null },
    expect: 403,
  },
  {
    method: 'POST',
    url: `/api/referrals/${NO_SUCH_ID}/triage`,
    as: 'leadB1',
    body: { decision: 'decline', version: 1, reason: 'other' },
    expect: 404,
  },
  {
    method: 'POST',
    url: `/api/referrals/${NO_SUCH_ID}/triage`,
    as: 'lwA1',
    body: { decision: 'decline', version: 1, reason: 'other' },
    expect: 403,
  },
  {
    method: 'POST',
    url: `/api/referrals/${NO_SUCH_ID}/triage`,
    as: 'anonymous',
    body: { decision: 'decline', version: 1, reason: 'other' },
    expect: 401,
  },

  // first contact and the coded extract
  {
    method: 'POST',
    url: `/api/referrals/${NO_SUCH_ID}/first-contact`,
    as: 'lwA1',
    body: { occurredAt: '2026-11-26T09:00:00Z', mode: 'phone', personDecision: 'accepts' },
    expect: 404,
  },
  {
    method: 'POST',
    url: `/api/referrals/${NO_SUCH_ID}/first-contact`,
    as: 'referrerA1a',
    body: { occurredAt: '2026-11-26T09:00:00Z', mode: 'phone', personDecision: 'accepts' },
    expect: 403,
  },
  {
    method: 'POST',
    url: `/api/referrals/${NO_SUCH_ID}/first-contact`,
    as: 'commissionerA',
    body: { occurredAt: '2026-11-26T09:00:00Z', mode: 'phone', personDecision: 'accepts' },
    expect: 403,
  },
  { method: 'GET', url: '/api/coded-extract.csv?from=2026-11-01&to=2026-11-30', as: 'leadA1', expect: 200 },
  {
    method: 'GET',
    url: '/api/coded-extract.csv?from=2026-11-01&to=2026-11-30',
    as: 'pcnAdminA1',
    expect: 200,
  },
  ...(['lwA1', 'referrerA1a', 'commissionerA', 'researcherA', 'vcseA'] as const).map(
    (as): AccessCase => ({
      method: 'GET',
      url: '/api/coded-extract.csv?from=2026-11-01&to=2026-11-30',
      as,
      expect: 403,
    }),
  ),

  // the pathway after triage: link workers and leads of the PCN; a referrer only the message back of their own
  { method: 'GET', url: '/api/caseload', as: 'lwA1', expect: 200 },
  { method: 'GET', url: '/api/caseload', as: 'leadA1', expect: 200 },
  {
    method: 'GET',
    url: (w: World) => `/api/caseload?linkWorkerId=${w.users.lwA1.id}`,
    as: 'leadA1',
    expect: 200,
  },
  {
    method: 'GET',
    url: (w: World) => `/api/caseload?linkWorkerId=${w.users.lwA1.id}`,
    as: 'lwA1b',
    expect: 404,
    why: 'another link worker’s caseload',
  },
  {
    method: 'GET',
    url: (w: World) => `/api/caseload?linkWorkerId=${w.users.lwA1.id}`,
    as: 'leadB1',
    expect: 404,
    why: 'another PCN',
  },
  { method: 'GET', url: '/api/caseloads', as: 'leadA1', expect: 200 },
  { method: 'GET', url: '/api/waiting-list', as: 'leadA1', expect: 200 },
  { method: 'GET', url: '/api/waiting-list', as: 'anonymous', expect: 401 },
  { method: 'GET', url: '/api/pathway-settings', as: 'lwA1', expect: 200 },
  { method: 'GET', url: '/api/pathway-settings', as: 'leadA1', expect: 200 },
  {
    method: 'PUT',
    url: '/api/pathway-settings',
    as: 'leadB1',
    body: { version: 1, firstContactTargetWorkingDays: 10, unableToContactAttempts: 3 },
    expect: 200,
  },
  ...(
    ['lwA1', 'referrerA1a', 'commissionerA', 'researcherA', 'vcseA', 'icbAdminA', 'pcnAdminA1'] as const
  ).flatMap((as): AccessCase[] => [
    { method: 'GET', url: '/api/caseloads', as, expect: 403 },
    { method: 'GET', url: '/api/waiting-list', as, expect: 403 },
    {
      method: 'PUT',
      url: '/api/pathway-settings',
      as,
      body: { version: 1, firstContactTargetWorkingDays: 10, unableToContactAttempts: 3 },
      expect: 403,
    },
  ]),
  ...(['referrerA1a', 'commissionerA', 'researcherA', 'vcseA', 'icbAdminA', 'pcnAdminA1'] as const).flatMap(
    (as): AccessCase[] => [
      { method: 'GET', url: '/api/caseload', as, expect: 403 },
      { method: 'GET', url: '/api/pathway-settings', as, expect: 403 },
    ],
  ),
  ...pathwayRecordRoutes().flatMap(({ method, url, body, leadOnly, referrerMay }): AccessCase[] => [
    { method, url, body, as: 'anonymous', expect: 401 },
    { method, url, body, as: 'lwA1', expect: leadOnly ? 403 : 404 },
    { method, url, body, as: 'leadA1', expect: 404, why: 'no such record' },
    { method, url, body, as: 'leadB1', expect: 404, why: 'another PCN' },
    { method, url, body, as: 'referrerA1a', expect: referrerMay ? 404 : 403 },
    ...(['commissionerA', 'researcherA', 'vcseA', 'icbAdminA'] as const).map(
      (as): AccessCase => ({ method, url, body, as, expect: 403 }),
    ),
  ]),

  // the directory: read by those who connect people to services, kept by the ICB's directory managers
  ...directoryCases(),
  ...outcomeCases(),

  // the public self-referral page needs no sign-in, and reveals only a PCN's name
  { method: 'GET', url: '/api/public/pcns/U00000', as: 'anonymous', expect: 404 },
  { method: 'GET', url: '/api/public/needs-domains', as: 'anonymous', expect: 200 },
  {
    method: 'POST',
    url: '/api/public/pcns/U00000/self-referrals',
    as: 'anonymous',
    body: { givenName: 'A', familyName: 'B', dateOfBirth: '1970-01-01', consentToReferral: true },
    expect: 404,
  },

  // a self-completion link needs no sign-in: the token is the key, and a wrong one finds nothing
  {
    method: 'POST',
    url: '/api/completion/open',
    as: 'anonymous',
    body: { token: 'C'.repeat(43) },
    expect: 404,
  },
  { method: 'POST', url: '/api/completion/open', as: 'lwA1', body: { token: 'C'.repeat(43) }, expect: 404 },
  {
    method: 'PUT',
    url: '/api/completion/progress',
    as: 'anonymous',
    body: { token: 'C'.repeat(43), answers: {} },
    expect: 404,
  },
  {
    method: 'POST',
    url: '/api/completion/submit',
    as: 'anonymous',
    body: { token: 'C'.repeat(43), answers: {}, submissionId: NO_SUCH_ID },
    expect: 404,
  },

  // research workspace: researchers only; inside a study, its team only (studies.test.ts covers study roles)
  { method: 'GET', url: '/api/research/studies', as: 'anonymous', expect: 401 },
  { method: 'GET', url: '/api/research/studies', as: 'researcherA', expect: 200 },
  { method: 'GET', url: '/api/research/studies', as: 'commissionerA', expect: 403 },
  { method: 'GET', url: '/api/research/studies', as: 'lwA1', expect: 403 },
  { method: 'GET', url: '/api/research/studies', as: 'icbAdminA', expect: 403 },
  { method: 'POST', url: '/api/research/studies', as: 'researcherA', body: matrixStudy, expect: 201 },
  { method: 'POST', url: '/api/research/studies', as: 'commissionerA', body: matrixStudy, expect: 403 },
  ...(
    [
      ['GET', `/api/research/studies/${NO_SUCH_ID}`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/participants`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/collections`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/follow-ups`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/team-candidates`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/case-candidates`],
      ['GET', `/api/research/participants/${NO_SUCH_ID}`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/sources`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/codes`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/memos`],
      ['GET', `/api/research/sources/${NO_SUCH_ID}`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/agreement?coderA=${NO_SUCH_ID}&coderB=${NO_SUCH_ID}`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/segments?all=${NO_SUCH_ID}`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/quotes.csv?all=${NO_SUCH_ID}`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/matrix`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/matrix.csv`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/matrix.xlsx`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/cmocs`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/theory-history`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/cross-case`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/rameses`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/rameses.pdf`],
      ['GET', `/api/research/cmocs/${NO_SUCH_ID}`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/export.qdpx`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/codebook.qdc`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/codebook.csv`],
      ['GET', `/api/research/studies/${NO_SUCH_ID}/recordings`],
      ['GET', `/api/research/recordings/${NO_SUCH_ID}/audio`],
    ] as const
  ).flatMap(([method, url]): AccessCase[] => [
    { method, url, as: 'anonymous', expect: 401 },
    { method, url, as: 'researcherA', expect: 404, why: 'not on its team' },
    { method, url, as: 'lwA1', expect: 403 },
  ]),
  ...(
    [
      ['PUT', `/api/research/studies/${NO_SUCH_ID}/members`, { userId: NO_SUCH_ID, role: 'coder' }],
      ['POST', `/api/research/studies/${NO_SUCH_ID}/sites`, { name: 'Site' }],
      ['POST', `/api/research/studies/${NO_SUCH_ID}/participants`, { role: 'gp' }],
      [
        'POST',
        `/api/research/participants/${NO_SUCH_ID}/consents`,
        { formVersion: '1', consentedOn: '2026-01-01', scopes: ['interview'] },
      ],
      ['PATCH', `/api/research/collections/${NO_SUCH_ID}`, { status: 'cancelled', heldOn: null, version: 1 }],
      ['POST', `/api/research/studies/${NO_SUCH_ID}/codes`, { name: 'Code' }],
      ['PUT', `/api/research/codes/${NO_SUCH_ID}`, { name: 'Code', version: 1 }],
      ['POST', `/api/research/codes/${NO_SUCH_ID}/merge`, { intoId: NO_SUCH_ID }],
      ['POST', `/api/research/sources/${NO_SUCH_ID}/codings`, { codeIds: [NO_SUCH_ID], start: 0, end: 1 }],
      ['POST', `/api/research/sources/${NO_SUCH_ID}/redactions`, { redactions: [], version: 1 }],
      ['DELETE', `/api/research/codings/${NO_SUCH_ID}`, undefined],
      ['POST', `/api/research/studies/${NO_SUCH_ID}/memos`, { targetType: 'study', text: 'Memo' }],
      [
        'POST',
        `/api/research/studies/${NO_SUCH_ID}/cmocs`,
        { title: 'T', contexts: ['C'], mechanismResource: 'R', mechanismResponse: 'S', outcome: 'O' },
      ],
      [
        'POST',
        `/api/research/cmocs/${NO_SUCH_ID}/evidence`,
        { sourceId: NO_SUCH_ID, start: 0, end: 1, stance: 'supports' },
      ],
      [
        'PUT',
        `/api/research/cmocs/${NO_SUCH_ID}/judgement`,
        { status: 'supported', confidence: null, version: 1 },
      ],
      ['DELETE', `/api/research/evidence/${NO_SUCH_ID}`, undefined],
      ['DELETE', `/api/research/recordings/${NO_SUCH_ID}`, undefined],
      ['PUT', `/api/research/studies/${NO_SUCH_ID}/rameses`, { items: [{ item: 1, reported: 'yes' }] }],
    ] as const
  ).flatMap(([method, url, body]): AccessCase[] => [
    { method, url, body, as: 'researcherA', expect: 404, why: 'not on its team' },
    { method, url, body, as: 'commissionerA', expect: 403 },
  ]),

  // The what-works explorer (issue 8): aggregates for leads, administrators, commissioners and researchers.
  ...(['/api/insight/options', '/api/insight/explorer?instrument=ucla3&factor=sex'] as const).flatMap(
    (url): AccessCase[] => [
      { method: 'GET', url, as: 'anonymous', expect: 401 },
      { method: 'GET', url, as: 'lwA1', expect: 403 },
      { method: 'GET', url, as: 'referrerA1a', expect: 403 },
      { method: 'GET', url, as: 'vcseA', expect: 403 },
      { method: 'GET', url, as: 'leadA1', expect: 200 },
      { method: 'GET', url, as: 'commissionerA', expect: 200 },
      { method: 'GET', url, as: 'researcherA', expect: 200 },
      { method: 'GET', url, as: 'icbAdminA', expect: 200 },
    ],
  ),
  {
    method: 'GET',
    url: (w) => `/api/insight/explorer?instrument=ucla3&factor=sex&organisationId=${w.orgs.pcnB1}`,
    as: 'commissionerA',
    expect: 404,
    why: 'another ICB',
  },
  {
    method: 'POST',
    url: '/api/insight/candidate-cmocs',
    body: { studyId: NO_SUCH_ID, query: { instrument: 'ucla3', factor: 'sex' }, level: 'female' },
    as: 'commissionerA',
    expect: 403,
  },

  // Operational reports (issue 8): leads, administrators and commissioners; aggregates only.
  { method: 'GET', url: '/api/reports/operational', as: 'anonymous', expect: 401 },
  { method: 'GET', url: '/api/reports/operational', as: 'leadA1', expect: 200 },
  { method: 'GET', url: '/api/reports/operational', as: 'pcnAdminA1', expect: 200 },
  { method: 'GET', url: '/api/reports/operational', as: 'commissionerA', expect: 200 },
  { method: 'GET', url: '/api/reports/operational', as: 'lwA1', expect: 403 },
  { method: 'GET', url: '/api/reports/operational', as: 'researcherA', expect: 403 },
  {
    method: 'GET',
    url: (w) => `/api/reports/operational?organisationId=${w.orgs.pcnB1}`,
    as: 'commissionerA',
    expect: 404,
    why: 'another ICB',
  },
  {
    method: 'GET',
    url: (w) => `/api/reports/operational?organisationId=${w.orgs.icbA}`,
    as: 'leadA1',
    expect: 404,
    why: 'above the PCN',
  },
  { method: 'GET', url: '/api/reports/operational.csv', as: 'commissionerA', expect: 200 },
  { method: 'GET', url: '/api/reports/operational.xlsx', as: 'researcherA', expect: 403 },
  { method: 'GET', url: '/api/reports/operational/options', as: 'lwA1', expect: 403 },
  { method: 'GET', url: '/api/reports/practice-populations', as: 'researcherA', expect: 403 },
  { method: 'POST', url: '/api/reports/practice-populations', as: 'leadA1', body: {}, expect: 403 },
  {
    method: 'POST',
    url: '/api/reports/practice-populations',
    as: 'commissionerA',
    body: {},
    expect: 422,
    why: 'JSON, not the CSV file',
  },

  // sign-out last: it ends the session the rows above share
  { method: 'POST', url: '/api/auth/sign-out', as: 'referrerA1a', expect: 204 },
  { method: 'POST', url: '/api/auth/sign-out-everywhere', as: 'commissionerA', expect: 204 },
];

/** A route, the body it would accept, and the status each caller must get. */
type RouteRow = [AccessCase['method'], string, unknown, Partial<Record<UserKey, number>>];

/** Each row as cases: anonymous callers are always 401, then every caller the row names. */
function casesFrom(rows: RouteRow[]): AccessCase[] {
  return rows.flatMap(([method, url, body, expectations]): AccessCase[] => [
    { method, url, body, as: 'anonymous', expect: 401 },
    ...Object.entries(expectations).map(
      ([as, status]): AccessCase => ({ method, url, body, as: as as UserKey, expect: status }),
    ),
  ]);
}

function outcomeCases(): AccessCase[] {
  const rows: RouteRow[] = [
    [
      'GET',
      '/api/outcomes/instruments',
      undefined,
      {
        lwA1: 200,
        leadA1: 200,
        commissionerA: 200,
        researcherA: 200,
        referrerA1a: 403,
        vcseA: 403,
        directoryManagerA: 403,
      },
    ],
    [
      'GET',
      '/api/outcomes/instruments/ons4/questionnaire',
      undefined,
      { lwA1: 200, lwB1: 200, referrerA1a: 403 },
    ],
    ['POST', '/api/outcomes/instruments', {}, { lwA1: 403, leadA1: 403, icbAdminA: 422, pcnAdminA1: 422 }],
    [
      'PUT',
      '/api/outcomes/licences/ons4',
      { licenceReference: 'x' },
      { icbAdminA: 409, lwA1: 403, commissionerA: 403 },
    ],
    [
      'GET',
      '/api/outcome-settings',
      undefined,
      { lwA1: 200, leadA1: 200, pcnAdminA1: 200, referrerA1a: 403, commissionerA: 403 },
    ],
    [
      'PUT',
      '/api/outcome-settings',
      {
        instrumentCodes: ['ons4'],
        shortFollowUpFromMonths: 3,
        shortFollowUpToMonths: 4,
        longFollowUpFromMonths: 9,
        longFollowUpToMonths: 12,
        version: 99,
      },
      { leadA1: 409, pcnAdminA1: 409, lwA1: 403, referrerA1a: 403 },
    ],
    ['GET', '/api/messages', undefined, { lwA1: 403, commissionerA: 403, leadA1: 200, pcnAdminA1: 200 }],
    ['GET', '/api/messages/dev', undefined, { leadA1: 403, pcnAdminA1: 200 }],
    ['POST', `/api/messages/${NO_SUCH_ID}/retry`, undefined, { lwA1: 403, pcnAdminA1: 404 }],
    [
      'GET',
      '/api/outcomes/due',
      undefined,
      { lwA1: 200, leadA1: 200, referrerA1a: 403, commissionerA: 403, pcnAdminA1: 403 },
    ],
    ['GET', `/api/outcomes/due?linkWorkerId=${NO_SUCH_ID}`, undefined, { lwA1: 404, leadA1: 404 }],
    [
      'GET',
      '/api/outcomes/follow-ups',
      undefined,
      { lwA1: 200, leadA1: 200, leadB1: 200, referrerA1a: 403, commissionerA: 403 },
    ],
  ];
  return casesFrom(rows);
}

function directoryCases(): AccessCase[] {
  const service = `/api/directory/services/${NO_SUCH_ID}`;
  const rows: RouteRow[] = [
    [
      'GET',
      '/api/directory/search?q=walk',
      undefined,
      {
        lwA1: 200,
        leadA1: 200,
        referrerA1a: 200,
        directoryManagerA: 200,
        icbAdminA: 200,
        lwB1: 200,
        commissionerA: 403,
        researcherA: 403,
        vcseA: 403,
      },
    ],
    [
      'GET',
      service,
      undefined,
      { lwA1: 404, lwB1: 404, directoryManagerA: 404, commissionerA: 403, vcseA: 403 },
    ],
    [
      'POST',
      '/api/directory/services',
      {},
      { lwA1: 403, leadA1: 403, pcnAdminA1: 403, directoryManagerA: 422, icbAdminA: 422 },
    ],
    ['PUT', service, { version: 1, service: {} }, { lwA1: 403, directoryManagerA: 422, commissionerA: 403 }],
    [
      'POST',
      `${service}/verify`,
      { version: 1 },
      { lwA1: 404, leadA1: 404, directoryManagerA: 404, referrerA1a: 403, commissionerA: 403 },
    ],
    [
      'POST',
      `${service}/reports`,
      { kind: 'closed', note: 'x' },
      { lwA1: 404, referrerA1a: 403, researcherA: 403 },
    ],
    [
      'POST',
      `/api/directory/reports/${NO_SUCH_ID}/resolve`,
      { resolution: 'x' },
      { directoryManagerA: 404, lwA1: 403, leadA1: 403 },
    ],
    [
      'GET',
      '/api/directory/tasks',
      undefined,
      { lwA1: 200, directoryManagerA: 200, referrerA1a: 403, commissionerA: 403 },
    ],
    ['GET', '/api/directory/needs', undefined, { lwA1: 200, referrerA1a: 200, commissionerA: 403 }],
    ['PUT', '/api/directory/needs', { items: [] }, { directoryManagerA: 200, lwA1: 403, pcnAdminA1: 403 }],
    ['GET', '/api/directory/terms', undefined, { lwA1: 200, researcherA: 403 }],
    ['GET', '/api/directory/settings', undefined, { lwA1: 200, vcseA: 403 }],
    [
      'PUT',
      '/api/directory/settings',
      { staleAfterMonths: 3, replyExpectedWithinDays: 10, version: 99 },
      { directoryManagerA: 409, icbAdminA: 409, lwA1: 403, leadA1: 403 },
    ],
  ];
  return [
    ...casesFrom(rows),
    // The ORUK API is open data: no sign-in.
    { method: 'GET', url: '/oruk/v3/services', as: 'anonymous', expect: 200 },
    { method: 'GET', url: `/oruk/v3/services/${NO_SUCH_ID}`, as: 'anonymous', expect: 404 },
  ];
}

/** Every pathway route that opens or changes one person's record, with a body it would accept. */
function pathwayRecordRoutes(): {
  method: AccessCase['method'];
  url: string;
  body?: unknown;
  leadOnly?: boolean;
  referrerMay?: boolean;
}[] {
  const at = '2026-11-26T09:00:00Z';
  const day = '2026-11-26';
  const referral = `/api/referrals/${NO_SUCH_ID}`;
  return [
    { method: 'GET', url: `${referral}/episode` },
    { method: 'POST', url: `${referral}/contacts`, body: { kind: 'attempt', occurredAt: at, mode: 'phone' } },
    {
      method: 'POST',
      url: `${referral}/appointments`,
      body: { startsAt: at, durationMinutes: 30, mode: 'phone' },
    },
    { method: 'PATCH', url: `/api/appointments/${NO_SUCH_ID}`, body: { version: 1, status: 'cancelled' } },
    {
      method: 'POST',
      url: `${referral}/what-matters`,
      body: {
        baseVersion: null,
        heldOn: day,
        needs: [{ domain: 'loneliness', priority: 'high', concern: 'x' }],
        ownWords: 'x',
      },
    },
    {
      method: 'PUT',
      url: `${referral}/plan`,
      body: { version: null, agreedOn: day, goals: [{ description: 'x' }] },
    },
    { method: 'GET', url: `${referral}/plan.pdf` },
    { method: 'POST', url: `/api/goals/${NO_SUCH_ID}/progress`, body: { rating: 5, recordedOn: day } },
    {
      method: 'POST',
      url: `${referral}/discharge`,
      body: {
        version: 1,
        reason: 'other',
        dischargedOn: day,
        closingSummary: 'x',
        supportOffered: 'x',
        outcome: 'x',
      },
    },
    { method: 'GET', url: `${referral}/message-back`, referrerMay: true },
    { method: 'GET', url: `${referral}/message-back.txt`, referrerMay: true },
    {
      method: 'POST',
      url: `${referral}/reallocate`,
      body: { version: 1, linkWorkerId: NO_SUCH_ID, reason: 'x' },
      leadOnly: true,
    },
    {
      method: 'POST',
      url: `/api/link-workers/${NO_SUCH_ID}/hand-over`,
      body: { toLinkWorkerId: NO_SUCH_ID, reason: 'x' },
      leadOnly: true,
    },
    { method: 'GET', url: `${referral}/connections` },
    {
      method: 'POST',
      url: `${referral}/connections`,
      body: { serviceId: NO_SUCH_ID, kind: 'signposted', consentToShare: false, on: day },
    },
    {
      method: 'POST',
      url: `/api/connections/${NO_SUCH_ID}/status`,
      body: { status: 'accepted', on: day, version: 1 },
    },
    { method: 'GET', url: `${referral}/measures` },
    { method: 'GET', url: `${referral}/measures/due` },
    {
      method: 'POST',
      url: `${referral}/measures`,
      body: {
        instrumentCode: 'ons4',
        timepoint: 'baseline',
        completedOn: day,
        completedBy: 'self',
        mode: 'online',
        answers: {},
        submissionId: NO_SUCH_ID,
      },
    },
    { method: 'POST', url: `/api/measures/${NO_SUCH_ID}/amend`, body: { answers: {}, reason: 'x' } },
    { method: 'GET', url: `${referral}/measures/fhir` },
    {
      method: 'POST',
      url: `${referral}/measures/fhir`,
      body: {
        resourceType: 'QuestionnaireResponse',
        questionnaire: 'http://localhost:3000/fhir/Questionnaire/ons4|1',
        status: 'completed',
      },
    },
    { method: 'GET', url: `/api/measures/${NO_SUCH_ID}/fhir` },
    { method: 'GET', url: `${referral}/completion-links` },
    { method: 'POST', url: `${referral}/completion-links`, body: { timepoint: 'baseline' } },
    { method: 'POST', url: `/api/completion-links/${NO_SUCH_ID}/revoke` },
    { method: 'GET', url: `/api/people/${NO_SUCH_ID}/measures` },
    { method: 'GET', url: `/api/people/${NO_SUCH_ID}` },
    { method: 'GET', url: `/api/people/${NO_SUCH_ID}/timeline` },
    { method: 'POST', url: `/api/people/${NO_SUCH_ID}/flags`, body: { kind: 'risk', note: 'x' } },
    {
      method: 'POST',
      url: `/api/flags/${NO_SUCH_ID}/resolve`,
      body: { resolutionNote: 'x' },
      leadOnly: true,
    },
  ];
}

describeEachDatabase('access matrix: foundation routes', (db) => {
  let t: TestApp;
  let world: World;
  let session: ReturnType<typeof sessionsFor>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    session = sessionsFor(t, world);
  });
  afterAll(() => t?.close());
  accessMatrix(cases, () => ({ t, world, session }));
});
