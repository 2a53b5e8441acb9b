import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { assertRole, type SystemContext } from '../../platform/actor.ts';
import { type AppDeps, asActor, asSystem } from '../../platform/deps.ts';
import {
  countPublicCall,
  createCompletionLink,
  createLinkBody,
  listCompletionLinks,
  openCompletionLink,
  progressBody,
  publicTokenBody,
  revokeCompletionLink,
  saveCompletionProgress,
  submitBody,
  submitCompletionLink,
} from './links.ts';
import {
  amendBody,
  amendMeasure,
  measureBody,
  measuresOf,
  personMeasures,
  recordMeasure,
} from './measures.ts';
import {
  caseloadDue,
  caseloadDueQuery,
  episodeDueMeasures,
  followUps,
  outcomeSettingsBody,
  outcomeSettingsOf,
  updateOutcomeSettings,
} from './schedule.ts';
import {
  addInstrument,
  instrumentQuestionnaire,
  licenceBody,
  listInstruments,
  recordLicence,
} from './service.ts';

const tags = ['outcomes'];
const codeParams = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'This instrument code is not valid'),
});

export const outcomeRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/outcomes/instruments',
    {
      schema: {
        tags,
        summary: 'The outcome instruments usable here, and whether each needs a licence first',
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => listInstruments(tx, actor)),
  );
  app.get(
    '/outcomes/instruments/:code/questionnaire',
    { schema: { tags, summary: 'An instrument as a FHIR R4 Questionnaire', params: codeParams } },
    async (req, reply) => {
      const q = await asActor(deps, req, (tx, actor) =>
        instrumentQuestionnaire(tx, actor, req.params.code, deps.publicUrl),
      );
      return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(q));
    },
  );
  app.post(
    '/outcomes/instruments',
    {
      schema: {
        tags,
        summary: 'Add your organisation’s own instrument, in the definition format',
        body: z.record(z.string(), z.unknown()),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await asActor(deps, req, (tx, actor) => addInstrument(tx, actor, req.body))),
  );
  app.put(
    '/outcomes/licences/:code',
    {
      schema: {
        tags,
        summary: 'Record your organisation’s licence for an instrument, with its conversion tables',
        params: codeParams,
        body: licenceBody,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => recordLicence(tx, actor, req.params.code, req.body)),
  );
};

const referralParams = z.strictObject({ id: z.uuid('This referral id is not valid') });

export const measureRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/referrals/:id/measures',
    {
      schema: {
        tags,
        summary: 'The outcome measures recorded on an episode, with their scores',
        params: referralParams,
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => measuresOf(tx, actor, req.params.id)) }),
  );
  app.post(
    '/referrals/:id/measures',
    {
      schema: {
        tags,
        summary:
          'Record a completed (or partly completed) measure; the same submissionId twice is one response',
        params: referralParams,
        body: measureBody,
      },
    },
    async (req, reply) => {
      const { created, measure } = await asActor(deps, req, (tx, actor) =>
        recordMeasure(tx, actor, req.params.id, req.body),
      );
      return reply.status(created ? 201 : 200).send(measure);
    },
  );
  app.post(
    '/measures/:id/amend',
    {
      schema: {
        tags,
        summary: 'Correct a measure’s answers: a new version, the original kept',
        params: z.strictObject({ id: z.uuid('This measure id is not valid') }),
        body: amendBody,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => amendMeasure(tx, actor, req.params.id, req.body))),
  );
};

export const scheduleRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/outcome-settings',
    { schema: { tags, summary: 'The PCN’s instruments and follow-up windows' } },
    async (req) =>
      asActor(deps, req, (tx, actor) => {
        assertRole(actor, 'link_worker', 'lead_link_worker', 'admin');
        return outcomeSettingsOf(tx, actor.actingOrganisationId!);
      }),
  );
  app.put('/outcome-settings', { schema: { tags, body: outcomeSettingsBody } }, async (req) =>
    asActor(deps, req, (tx, actor) => updateOutcomeSettings(tx, actor, req.body)),
  );
  app.get(
    '/referrals/:id/measures/due',
    {
      schema: {
        tags,
        summary:
          'The measures an episode calls for: baseline, discharge and follow-up windows, and how each stands',
        params: z.strictObject({ id: z.uuid('This referral id is not valid') }),
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => episodeDueMeasures(tx, actor, req.params.id)),
  );
  app.get(
    '/outcomes/follow-ups',
    {
      schema: {
        tags,
        summary: 'People who agreed to a follow-up whose window is open or opens within a month',
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => followUps(tx, actor)),
  );
};

export const completionLinkRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/referrals/:id/completion-links',
    {
      schema: {
        tags,
        summary:
          'A single-use self-completion link for the person (shown once, with a QR code), sent by text or email if asked',
        params: referralParams,
        body: createLinkBody,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await asActor(deps, req, (tx, actor) =>
            createCompletionLink(tx, actor, req.params.id, req.body, deps.publicUrl),
          ),
        ),
  );
  app.get(
    '/referrals/:id/completion-links',
    {
      schema: {
        tags,
        summary: 'The episode’s self-completion links and how each stands',
        params: referralParams,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => listCompletionLinks(tx, actor, req.params.id)),
  );
  app.post(
    '/completion-links/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Cancel a self-completion link: it accepts nothing after',
        params: z.strictObject({ id: z.uuid('This link id is not valid') }),
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => revokeCompletionLink(tx, actor, req.params.id)),
  );
  app.get(
    '/people/:id/measures',
    {
      schema: {
        tags,
        summary: 'A person’s current measures across their episodes, for their charts',
        params: z.strictObject({ id: z.uuid('This person id is not valid') }),
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => personMeasures(tx, actor, req.params.id)),
  );
  app.get(
    '/outcomes/due',
    {
      schema: {
        tags,
        summary: 'The measures a link worker’s caseload calls for today: baselines, discharges, follow-ups',
        querystring: caseloadDueQuery,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => caseloadDue(tx, actor, req.query)),
  );
};

/** The person's side of a self-completion link: no sign-in; the token (in the body, never the address) is the key. */
export const publicCompletionRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const options = { config: { auth: 'public' as const, csrf: false }, bodyLimit: 65_536 };
  const counted = async <T>(req: FastifyRequest, work: (tx: Db, ctx: SystemContext) => Promise<T>) => {
    await asSystem(deps, req, countPublicCall);
    return asSystem(deps, req, work);
  };
  app.post(
    '/completion/open',
    { ...options, schema: { tags, summary: 'Open a self-completion link', body: publicTokenBody } },
    async (req) => counted(req, (tx, ctx) => openCompletionLink(tx, ctx, req.body.token)),
  );
  app.put(
    '/completion/progress',
    { ...options, schema: { tags, summary: 'Save the answers given so far', body: progressBody } },
    async (req) => counted(req, (tx, ctx) => saveCompletionProgress(tx, ctx, req.body)),
  );
  app.post(
    '/completion/submit',
    {
      ...options,
      schema: { tags, summary: 'Send the answers: the link is then used', body: submitBody },
    },
    async (req, reply) => {
      const result = await counted(req, (tx, ctx) => submitCompletionLink(tx, ctx, req.body));
      return reply.status(result.alreadySent ? 200 : 201).send(result);
    },
  );
};
