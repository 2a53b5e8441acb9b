import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor, asSystem } from '../../platform/deps.ts';
import { ConflictError, UnauthenticatedError, ValidationError } from '../../platform/errors.ts';
import { clearSessionCookie, setSessionCookie } from '../../platform/http-auth.ts';
import { recordAudit } from '../audit/service.ts';
import {
  actingBody,
  changePasswordBody,
  createUserBody,
  idParams,
  me,
  mfaCodeBody,
  mfaEnrolment,
  passwordTokenInfo,
  passwordTokenQuery,
  recoveryCodesResult,
  roleAssignmentInput,
  roleParams,
  sessionStage,
  setPasswordBody,
  signInBody,
  updateUserBody,
  userList,
  userListQuery,
  userSummary,
  userWithLink,
} from './contract.ts';
import { buildMe } from './me.ts';
import { confirmEnrolment, startEnrolment, verifySecondFactor } from './mfa.ts';
import {
  type ResolvedSession,
  revokeAllSessions,
  revokeSession,
  setActingOrganisation,
  setSessionStage,
} from './sessions.ts';
import { changePassword, describePasswordToken, setPasswordWithToken, signIn } from './sign-in.ts';
import { assertNotThrottled, lockThrottle, recordFailure } from './throttle.ts';
import {
  addRole,
  createUser,
  getUser,
  issuePasswordLink,
  listUsers,
  removeRole,
  resetMfa,
  setUserActive,
  updateUser,
} from './users.ts';

/** Events about a signed-in person go to the organisation they act for, or to each where they hold a role. */
const sessionOrganisations = (session: ResolvedSession) =>
  session.actingOrganisationId
    ? [session.actingOrganisationId]
    : session.memberships.map((m) => m.organisationId);

const noContent = { 204: z.null().describe('Done') };
const emptyBody = z.strictObject({}).optional();

export const identityRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const badCredentials = () =>
    new UnauthenticatedError(
      'Enter a correct email address and password. Both are case-sensitive only for the password.',
    );

  app.post(
    '/auth/sign-in',
    {
      config: { auth: 'public', csrf: false },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: signInBody,
        response: { 200: z.object({ stage: sessionStage, csrfToken: z.string() }) },
      },
    },
    async (req, reply) => {
      const result = await asSystem(deps, req, (tx, ctx) => signIn(tx, ctx, req.body, deps.session));
      if (!result.ok) throw badCredentials();
      setSessionCookie(reply, deps, result.token);
      return { stage: result.stage, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/auth/mfa',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Finish signing in with a TOTP or recovery code',
        body: mfaCodeBody,
        response: { 200: z.object({ stage: sessionStage }) },
      },
    },
    async (req) => {
      const session = req.session!;
      const throttleKey = `mfa:${session.user.id}`;
      const ok = await asSystem(deps, req, async (tx, ctx) => {
        await lockThrottle(tx, throttleKey, null);
        await assertNotThrottled(tx, throttleKey, null, ctx.now);
        if (session.stage !== 'mfa_required') return 'not-needed' as const;
        const method = await verifySecondFactor(tx, session.user.id, req.body.code, ctx.now);
        if (!method) {
          await recordFailure(tx, throttleKey, null, ctx.now);
          return false;
        }
        await setSessionStage(tx, session.sessionId, 'complete');
        await recordAudit(tx, ctx, {
          action: 'auth.second_factor',
          recordType: 'user',
          recordIds: [session.user.id],
          organisationId: sessionOrganisations(session),
          detail: { method },
        });
        return true;
      });
      if (ok === false) {
        throw new ValidationError(
          'The security code is not right. Check the code in your app and try again',
          {
            field: 'code',
          },
        );
      }
      return { stage: ok === 'not-needed' ? session.stage : 'complete' };
    },
  );

  app.post(
    '/auth/mfa/enrolment',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Start setting up an authenticator app',
        body: emptyBody,
        response: { 200: mfaEnrolment },
      },
    },
    async (req) => {
      const session = req.session!;
      if (session.stage === 'mfa_required') {
        throw new ConflictError('Enter your current security code before setting up a new authenticator.');
      }
      return asSystem(deps, req, (tx) => startEnrolment(tx, session.user));
    },
  );

  app.post(
    '/auth/mfa/enrolment/confirm',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Confirm the authenticator with a code; returns one-time recovery codes',
        body: mfaCodeBody,
        response: { 200: recoveryCodesResult },
      },
    },
    async (req) => {
      const session = req.session!;
      if (session.stage === 'mfa_required') {
        throw new ConflictError('Enter your current security code before setting up a new authenticator.');
      }
      const result = await asSystem(deps, req, async (tx, ctx) => {
        const done = await confirmEnrolment(tx, session.user.id, req.body.code, ctx.now);
        if (!done) return null;
        await setSessionStage(tx, session.sessionId, 'complete');
        await recordAudit(tx, ctx, {
          action: 'auth.mfa_enrolled',
          recordType: 'user',
          recordIds: [session.user.id],
          organisationId: sessionOrganisations(session),
        });
        return done;
      });
      if (!result) {
        throw new ValidationError(
          'The code is not right. Check your authenticator app shows Linkwork and enter the current 6-digit code',
          { field: 'code' },
        );
      }
      return result;
    },
  );

  app.post(
    '/auth/sign-out',
    {
      config: { auth: 'session' },
      schema: { tags: ['auth'], summary: 'Sign out', body: emptyBody, response: noContent },
    },
    async (req, reply) => {
      const session = req.session!;
      await asSystem(deps, req, async (tx, ctx) => {
        await revokeSession(tx, session.sessionId, ctx.now);
        await recordAudit(tx, ctx, {
          action: 'auth.sign_out',
          recordType: 'user',
          recordIds: [session.user.id],
          organisationId: sessionOrganisations(session),
        });
      });
      clearSessionCookie(reply, deps);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/sign-out-everywhere',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'End every session of this user',
        body: emptyBody,
        response: noContent,
      },
    },
    async (req, reply) => {
      const session = req.session!;
      await asSystem(deps, req, async (tx, ctx) => {
        const ended = await revokeAllSessions(tx, session.user.id, ctx.now);
        await recordAudit(tx, ctx, {
          action: 'auth.sign_out_everywhere',
          recordType: 'user',
          recordIds: [session.user.id],
          organisationId: sessionOrganisations(session),
          detail: { sessionsEnded: ended },
        });
      });
      clearSessionCookie(reply, deps);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/password-token',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Check a set-password link',
        querystring: passwordTokenQuery,
        response: { 200: passwordTokenInfo },
      },
    },
    async (req) => asSystem(deps, req, (tx, ctx) => describePasswordToken(tx, req.query.token, ctx.now)),
  );

  app.post(
    '/auth/password',
    {
      config: { auth: 'public', csrf: false },
      schema: {
        tags: ['auth'],
        summary: 'Set a password from an invitation or reset link',
        body: setPasswordBody,
        response: noContent,
      },
    },
    async (req, reply) => {
      await asSystem(deps, req, (tx, ctx) => setPasswordWithToken(tx, ctx, req.body));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { auth: 'session' },
      schema: {
        tags: ['me'],
        summary: 'Who is signed in, and for which organisation',
        response: { 200: me },
      },
    },
    async (req) => buildMe(req.session!, deps.session.idleMinutes),
  );

  app.put(
    '/me/acting-organisation',
    {
      schema: {
        tags: ['me'],
        summary: 'Choose the organisation to act for',
        body: actingBody,
        response: { 200: me },
      },
    },
    async (req) => {
      const session = req.session!;
      if (!session.memberships.some((m) => m.organisationId === req.body.organisationId)) {
        throw new ValidationError('Choose one of the organisations where you have a role', {
          field: 'organisationId',
        });
      }
      await asSystem(deps, req, async (tx, ctx) => {
        await setActingOrganisation(tx, session.sessionId, req.body.organisationId);
        await recordAudit(tx, ctx, {
          action: 'auth.acting_organisation_chosen',
          recordType: 'user',
          recordIds: [session.user.id],
          organisationId: req.body.organisationId,
        });
      });
      return buildMe({ ...session, actingOrganisationId: req.body.organisationId }, deps.session.idleMinutes);
    },
  );

  app.post(
    '/me/password',
    {
      schema: {
        tags: ['me'],
        summary: 'Change your password',
        body: changePasswordBody,
        response: noContent,
      },
    },
    async (req, reply) => {
      const result = await asActor(deps, req, (tx, actor) => changePassword(tx, actor, req.body));
      if (result === 'wrong_current_password') {
        throw new ValidationError('Your current password is not right', { field: 'currentPassword' });
      }
      return reply.status(204).send(null);
    },
  );

  // Users, for administrators at and above the users' organisations

  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Users with roles in your scope',
        querystring: userListQuery,
        response: { 200: userList },
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => listUsers(tx, actor, req.query)) }),
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user and a set-password link',
        body: createUserBody,
        response: { 201: userWithLink },
      },
    },
    async (req, reply) => {
      const result = await asActor(deps, req, (tx, actor) => createUser(tx, actor, req.body, deps.publicUrl));
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/users/:id',
    { schema: { tags: ['users'], params: idParams, response: { 200: userSummary } } },
    async (req) => asActor(deps, req, (tx, actor) => getUser(tx, actor, req.params.id)),
  );

  app.patch(
    '/users/:id',
    { schema: { tags: ['users'], params: idParams, body: updateUserBody, response: { 200: userSummary } } },
    async (req) => asActor(deps, req, (tx, actor) => updateUser(tx, actor, req.params.id, req.body)),
  );

  for (const [path, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/users/:id/${path}`,
      { schema: { tags: ['users'], params: idParams, body: emptyBody, response: { 200: userSummary } } },
      async (req) => asActor(deps, req, (tx, actor) => setUserActive(tx, actor, req.params.id, active)),
    );
  }

  app.post(
    '/users/:id/roles',
    {
      schema: {
        tags: ['users'],
        params: idParams,
        body: roleAssignmentInput,
        response: { 200: userSummary },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => addRole(tx, actor, req.params.id, req.body)),
  );

  app.delete(
    '/users/:id/roles/:assignmentId',
    { schema: { tags: ['users'], params: roleParams, body: emptyBody, response: { 200: userSummary } } },
    async (req) =>
      asActor(deps, req, (tx, actor) => removeRole(tx, actor, req.params.id, req.params.assignmentId)),
  );

  app.post(
    '/users/:id/password-link',
    { schema: { tags: ['users'], params: idParams, body: emptyBody, response: { 200: userWithLink } } },
    async (req) =>
      asActor(deps, req, (tx, actor) => issuePasswordLink(tx, actor, req.params.id, deps.publicUrl)),
  );

  app.post(
    '/users/:id/mfa-reset',
    { schema: { tags: ['users'], params: idParams, body: emptyBody, response: { 200: userSummary } } },
    async (req) => asActor(deps, req, (tx, actor) => resetMfa(tx, actor, req.params.id)),
  );
};
